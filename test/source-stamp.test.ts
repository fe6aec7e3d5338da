// The CLI runs the built server only while the sources are as they were built from: the stamp
// must change with any source file of the server, and only with those.
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, sourceStamp } from "../bin/source-stamp.js";

describe("the sources' stamp", () => {
  test("names every server source once, the explorer's aside, and changes when one is touched", () => {
    const stamp = sourceStamp();
    expect(sourceStamp()).toBe(stamp);
    const names = stamp.split("\n").map((line) => line.split(" ")[0]);
    expect(names).toContain(path.join("server", "main.ts"));
    expect(names).toContain(path.join("stores", "file.ts"));
    expect(names.some((name) => name.startsWith("explorer"))).toBe(false);
    expect(new Set(names).size).toBe(names.length);

    // A file added (and changed, and taken away again): times are not set back exactly on
    // every file system, so no existing file is touched.
    const file = path.join(ROOT, "src", "hierarchy", `stamp-test-${process.pid}.ts`);
    try {
      writeFileSync(file, "export {};\n");
      const added = sourceStamp();
      expect(added).not.toBe(stamp);
      writeFileSync(file, "export const changed = 1;\n");
      expect(sourceStamp()).not.toBe(added);
    } finally {
      rmSync(file, { force: true });
    }
    expect(sourceStamp()).toBe(stamp);
  });
});
