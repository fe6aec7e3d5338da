// One of two processes racing to create the same keys in one folder (see writes-processes.test.ts).
// Usage: node --import tsx create-race.ts DIR NAME COUNT. Prints "ready", waits for "go" on stdin
// so both start together, then creates key-0 .. key-(COUNT-1) with "must not exist", and prints
// the keys it won as one line of JSON.
import { createInterface } from "node:readline";
import { FileStore } from "../../src/stores/file.js";
import { VersionConflictError } from "../../src/stores/store.js";

const [dir, name, count] = process.argv.slice(2);
const store = new FileStore(dir);
process.stdout.write("ready\n");
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));
const won: string[] = [];
await Promise.all(
  Array.from({ length: Number(count) }, async (_, i) => {
    const key = `race/key-${i}/zarr.json`;
    try {
      await store.set(key, new TextEncoder().encode(JSON.stringify({ writer: name })), { ifVersion: null });
      won.push(key);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }),
);
process.stdout.write(`${JSON.stringify(won)}\n`);
