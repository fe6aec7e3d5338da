// Writes run in processes of their own: writers sharing one folder, as replicas on one network
// volume are (a create that must not overwrite is won by exactly one of them), and a move of
// objects larger than the process may hold.
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

test("moveNode moves objects larger than the process may hold: none of them passes through its memory", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "zarr-graphql-move-"));
  dirs.push(dir);
  const size = 384 * 1024 * 1024;
  const group = { zarr_format: 3, node_type: "group", attributes: {} };
  const array = {
    zarr_format: 3,
    node_type: "array",
    shape: [2 * size],
    data_type: "uint8",
    chunk_grid: { name: "regular", configuration: { chunk_shape: [size] } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: 0,
    codecs: [{ name: "bytes" }],
    attributes: { big: true },
  };
  await fs.mkdir(path.join(dir, "g", "a", "c"), { recursive: true });
  await fs.writeFile(path.join(dir, "zarr.json"), JSON.stringify(group));
  await fs.writeFile(path.join(dir, "g", "zarr.json"), JSON.stringify(group));
  await fs.writeFile(path.join(dir, "g", "a", "zarr.json"), JSON.stringify(array));
  // Sparse chunks: their size on disk is a few blocks, in memory it would be all of it.
  for (const name of ["0", "1"]) {
    const handle = await fs.open(path.join(dir, "g", "a", "c", name), "w");
    await handle.write(`start of ${name}`, 0);
    await handle.write(`end of ${name}`, size - `end of ${name}`.length);
    await handle.close();
  }
  const mover = child("move-large.ts", [dir], ["--max-old-space-size=48"]);
  const { result, maxRssKiB } = (await mover.result) as { result: any; maxRssKiB: number };
  expect(result.errors).toBeUndefined();
  expect(result.data.moveNode).toEqual({ movedObjects: 4, node: { path: "h" } });
  // Peak memory stays below one object's size: no object was ever held whole.
  expect(maxRssKiB * 1024).toBeLessThan(size);
  for (const name of ["0", "1"]) {
    const file = path.join(dir, "h", "a", "c", name);
    expect((await fs.stat(file)).size).toBe(size);
    const handle = await fs.open(file, "r");
    const head = Buffer.alloc(`start of ${name}`.length);
    const tail = Buffer.alloc(`end of ${name}`.length);
    await handle.read(head, 0, head.length, 0);
    await handle.read(tail, 0, tail.length, size - tail.length);
    await handle.close();
    expect([head.toString(), tail.toString()]).toEqual([`start of ${name}`, `end of ${name}`]);
  }
  await expect(fs.access(path.join(dir, "g"))).rejects.toThrow();
  expect(JSON.parse(await fs.readFile(path.join(dir, "h", "a", "zarr.json"), "utf8")).attributes).toEqual({
    big: true,
  });
}, 120_000);
