import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { asyncCalls, type ReadCalls, syncCalls } from "../src/stores/raw-fs.js";
import { ReadPacer } from "../src/stores/read-pacer.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Holds the thread as a slow disk would. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

test("a local folder is read synchronously; three slow calls send it to the thread pool, and after the retry time it is tried again", async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "pacer-"));
  let clock = 0;
  let slowMs = 0;
  const sync: ReadCalls = {
    ...syncCalls,
    stat: (file) => {
      spin(slowMs);
      return syncCalls.stat(file);
    },
  };
  const pacer = new ReadPacer(dir, { retryMs: 1_000, now: () => clock, sync });
  // Until statfs has said the folder is local, the thread pool.
  let calls = await pacer.calls();
  for (let i = 0; i < 100 && calls === asyncCalls; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    calls = await pacer.calls();
  }
  expect(calls).not.toBe(asyncCalls);
  expect(await calls.stat(dir)).toBeTruthy();

  slowMs = 25;
  for (let i = 0; i < 3; i++) await calls.stat(dir);
  expect(await pacer.calls()).toBe(asyncCalls);
  clock += 999;
  expect(await pacer.calls()).toBe(asyncCalls);

  // The retry time has passed: timed again, and kept while calls are fast.
  clock += 1;
  slowMs = 0;
  const again = await pacer.calls();
  expect(again).not.toBe(asyncCalls);
  for (let i = 0; i < 10; i++) await again.stat(dir);
  expect(await pacer.calls()).toBe(again);

  // Still slow: back to the thread pool after three slow calls.
  slowMs = 25;
  for (let i = 0; i < 3; i++) await again.stat(dir);
  expect(await pacer.calls()).toBe(asyncCalls);
});
