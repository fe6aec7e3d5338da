// Builds the explorer (src/explorer) into dist/explorer: one minified script, one stylesheet and
// the page. Run by `npm install` (the `prepare` script) and `npm run build:explorer`; the browser
// tests build into a folder of their own.
import { copyFile, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { EXPLORER_DIR } from "../src/server/explorer.js";

const SOURCE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src/explorer");

/** Builds the page into `outDir` (emptied first); resolves with the files written. */
export async function buildExplorer(outDir: string = EXPLORER_DIR): Promise<string[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: path.join(SOURCE, "main.ts") },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: "esm",
    // Browsers of the last few years; nothing is polyfilled.
    target: ["es2022", "chrome100", "firefox100", "safari15"],
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
  });
  await copyFile(path.join(SOURCE, "index.html"), path.join(outDir, "index.html"));
  return [...Object.keys(result.metafile.outputs).map((f) => path.basename(f)), "index.html"];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await buildExplorer(process.argv[2] ?? EXPLORER_DIR);
  process.stdout.write(`explorer built: ${files.join(", ")}\n`);
}
