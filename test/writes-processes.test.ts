// Writers in separate processes sharing one folder, as replicas on one network volume are: a
// create that must not overwrite is won by exactly one of them.
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";

const CHILDREN = path.resolve(import.meta.dirname, "children");
const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

/**
 * Starts a child running `script` under tsx: `ready` once it printed "ready", `go()` releases it,
 * `result` is the last line it printed, parsed.
 */
function child(script: string, args: string[], nodeArgs: string[] = []) {
  const proc = spawn(process.execPath, [...nodeArgs, "--import", "tsx", path.join(CHILDREN, script), ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let signalReady: () => void;
  const ready = new Promise<void>((resolve) => {
    signalReady = resolve;
  });
  proc.stdout.on("data", (c) => {
    stdout += c;
    if (stdout.startsWith("ready\n")) signalReady();
  });
  proc.stderr.on("data", (c) => {
    stderr += c;
  });
  const result = new Promise<unknown>((resolve, reject) =>
    proc.once("close", (code) =>
      code === 0
        ? resolve(JSON.parse(stdout.trim().split("\n").at(-1)!))
        : reject(new Error(`${script} exited ${code}: ${stderr.slice(-2000)}`)),
    ),
  );
  return { ready, go: () => proc.stdin.end("go\n"), result };
}

test("two processes creating the same keys: each key is won by exactly one, and holds the winner's bytes", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "zarr-graphql-race-"));
  dirs.push(dir);
  const count = 300;
  const a = child("create-race.ts", [dir, "a", String(count)]);
  const b = child("create-race.ts", [dir, "b", String(count)]);
  await Promise.all([a.ready, b.ready]);
  a.go();
  b.go();
  const [wonA, wonB] = (await Promise.all([a.result, b.result])) as [string[], string[]];
  expect(wonA.length + wonB.length).toBe(count);
  expect(new Set([...wonA, ...wonB]).size).toBe(count);
  for (const [writer, keys] of [
    ["a", wonA],
    ["b", wonB],
  ] as const) {
    for (const key of keys) {
      expect(JSON.parse(await fs.readFile(path.join(dir, key), "utf8")), key).toEqual({ writer });
    }
  }
  // No temporary file was left behind.
  const left = (await fs.readdir(path.join(dir, "race"), { recursive: true })).filter((f) =>
    String(f).endsWith(".tmp"),
  );
  expect(left).toEqual([]);
}, 60_000);
