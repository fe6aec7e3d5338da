// Builds the server (src/, the explorer aside) into one ES module, dist/server/main.mjs, with
// the stamp of the sources it was built from. Run by `npm install` (the `prepare` script), by
// `npm run bench`, and by `npm run build:server`. The CLI runs the bundle while the sources keep
// that stamp and the sources themselves (through tsx) otherwise: the same code either way, but
// tsx compiles every function to carry its name (`__name` calls on each closure made) and loads
// through module hooks, which cost a deep walk about a tenth of its time.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { ROOT, SERVER_BUNDLE, SERVER_STAMP, sourceStamp } from "../bin/source-stamp.js";

export async function buildServer(): Promise<void> {
  const stamp = sourceStamp();
  await rm(path.dirname(SERVER_BUNDLE), { recursive: true, force: true });
  await mkdir(path.dirname(SERVER_BUNDLE), { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, "src/server/main.ts")],
    outfile: SERVER_BUNDLE,
    bundle: true,
    // Dependencies load from node_modules as they do under tsx.
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
  });
  // Written last: a build cut short leaves no stamp, and the CLI runs the sources.
  await writeFile(SERVER_STAMP, JSON.stringify({ sources: stamp }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildServer();
  process.stdout.write(`server built: ${path.relative(ROOT, SERVER_BUNDLE)}\n`);
}
