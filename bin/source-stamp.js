// What the server's sources looked like: each TypeScript file under src/ (the explorer's
// excepted: it is built apart) with its size and modification time. The build records the stamp
// beside the bundle; the CLI runs the bundle only while the sources still have that stamp, so an
// edited checkout never runs stale code.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SERVER_BUNDLE = path.join(ROOT, "dist/server/main.mjs");
export const SERVER_STAMP = path.join(ROOT, "dist/server/stamp.json");

export function sourceStamp() {
  const src = path.join(ROOT, "src");
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== path.join(src, "explorer")) walk(full);
      } else if (entry.name.endsWith(".ts")) {
        const { size, mtimeMs } = statSync(full);
        files.push(`${path.relative(src, full)} ${size} ${mtimeMs}`);
      }
    }
  };
  walk(src);
  return files.sort().join("\n");
}

/** Whether dist/server holds a bundle built from the sources as they are now. */
export function bundleIsCurrent() {
  try {
    return JSON.parse(readFileSync(SERVER_STAMP, "utf8")).sources === sourceStamp();
  } catch {
    return false;
  }
}
