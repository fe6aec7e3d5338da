// Runs the real command line (bin/zarr-graphql.js) as a child process, for tests of what a user
// at a terminal sees: the "listening on" line, exit codes, messages on stderr.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterEach } from "vitest";

const BIN = path.resolve(import.meta.dirname, "../../bin/zarr-graphql.js");
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

export interface CliProcess {
  child: ChildProcess;
  /** Exit code, once the process has exited and its output is all in. */
  exited: Promise<number | null>;
  /** The GraphQL URL from the "listening on" line; rejects if the process exits first. */
  listening: Promise<string>;
  stdout(): string;
  stderr(): string;
}

/** `zarr-graphql serve ARGS`; `env` values of undefined remove the variable. */
export function serve(args: string[], env: Record<string, string | undefined> = {}): CliProcess {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  const child = spawn(process.execPath, [BIN, "serve", ...args], { env: merged, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c) => {
    stdout += c;
  });
  child.stderr!.on("data", (c) => {
    stderr += c;
  });
  // "close", not "exit": the process's last output may still be on its way when it exits.
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      const match = /listening on (\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  // A server that is meant to refuse to start is never awaited as listening.
  listening.catch(() => undefined);
  return { child, exited, listening, stdout: () => stdout, stderr: () => stderr };
}

/** POSTs a query, with a bearer token when given; the HTTP status and the JSON body. */
export async function postWithStatus(url: string, query: string, token?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** POSTs a query, with a bearer token when given; the JSON body. */
export async function post(url: string, query: string, token?: string) {
  return (await postWithStatus(url, query, token)).body;
}
