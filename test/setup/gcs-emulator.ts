// Starts one GCS emulator (the Firebase Storage emulator, see test/gcs-emulator/) for the whole
// test run and points the Google Cloud Storage client at it through STORAGE_EMULATOR_HOST.
// Test workers inherit process.env as it is after global setup (vitest copies it when it spawns
// them), so tests read STORAGE_EMULATOR_HOST and GCS_TEST_BUCKET from there.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const EMULATOR_DIR = path.join(ROOT, "test", "gcs-emulator");
export const GCS_TEST_BUCKET = "zarr-graphql-test";
const START_TIMEOUT_MS = 60_000;

/** Installs the emulator's own dependencies (outside the project's lock file) when missing. */
async function installIfMissing(): Promise<void> {
  if (existsSync(path.join(EMULATOR_DIR, "node_modules", "firebase-tools", "package.json"))) return;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  try {
    await promisify(execFile)(
      npm,
      ["install", "--prefix", EMULATOR_DIR, "--ignore-scripts", "--omit=optional", "--no-audit", "--no-fund"],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 },
    );
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(
      `installing the GCS emulator (test/gcs-emulator) failed: ${(error as Error).message}\n${stdout ?? ""}\n${stderr ?? ""}`.slice(
        0,
        8000,
      ),
    );
  }
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(
      () => fail(new Error(`GCS emulator did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`${error.message}\n${stderr.slice(-4000)}`));
    };
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /GCS_EMULATOR_PORT=(\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("error", fail);
    child.once("exit", (code, signal) => fail(new Error(`GCS emulator exited early (code ${code}, signal ${signal})`)));
  });
}

/** Makes sure the test bucket exists: the emulator creates a bucket on first use of its URL. */
async function ensureBucket(host: string, bucket: string): Promise<void> {
  const response = await fetch(`${host}/b/${bucket}/o?maxResults=1`);
  if (!response.ok) throw new Error(`GCS emulator: listing bucket ${bucket} answered HTTP ${response.status}`);
  await response.arrayBuffer();
}

export async function startGcsEmulator(): Promise<() => Promise<void>> {
  await installIfMissing();
  // The emulator keeps blobs under os.tmpdir(); give it its own so nothing else is touched.
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "zarr-graphql-gcs-"));
  const child = spawn(process.execPath, [path.join(EMULATOR_DIR, "start.mjs")], {
    cwd: EMULATOR_DIR,
    env: { ...process.env, TMPDIR: tmp, TEMP: tmp, TMP: tmp, STORAGE_EMULATOR_DEBUG: "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let port: number;
  try {
    port = await waitForPort(child);
  } catch (error) {
    child.kill("SIGKILL");
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
  // Keep draining output so a chatty emulator never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();

  const previous = { host: process.env.STORAGE_EMULATOR_HOST, bucket: process.env.GCS_TEST_BUCKET };
  const host = `http://127.0.0.1:${port}`;
  process.env.STORAGE_EMULATOR_HOST = host;
  process.env.GCS_TEST_BUCKET = GCS_TEST_BUCKET;
  await ensureBucket(host, GCS_TEST_BUCKET);

  return async () => {
    restore("STORAGE_EMULATOR_HOST", previous.host);
    restore("GCS_TEST_BUCKET", previous.bucket);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await fs.rm(tmp, { recursive: true, force: true });
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
