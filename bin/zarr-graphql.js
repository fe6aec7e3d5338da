#!/usr/bin/env node
// Runs the server built by `npm install` (dist/server, see scripts/build-server.ts) while the
// sources are as they were built from, and the TypeScript sources through tsx otherwise, so the
// package works without a build step and an edited checkout never runs stale code.
//
// The server keeps what it read in a cache of bounded size, but V8 lets its heap grow far past
// what is live before it collects: a server paging a 100,000-node hierarchy reached 900 MB of
// resident memory with 250 MB live. Unless the heap is already bounded (a --max-old-space-size
// flag or NODE_OPTIONS), the CLI runs itself again with a bound, and passes signals on. The two
// are tied by an IPC channel: when the parent is gone, even killed outright, the channel closes
// and the child shuts down as on SIGTERM, so no server outlives the process that started it.
import { spawn } from "node:child_process";
import { bundleIsCurrent, SERVER_BUNDLE } from "./source-stamp.js";

const HEAP_MB = 352;
// A young generation twice V8's default: a deep walk's per-request garbage (promises, pages in
// the making) then mostly dies before it is copied, which cut a 100,000-node walk's CPU time by
// an eighth here, for about as much resident memory as 32 MB more of old space would take.
const SEMI_SPACE_MB = 32;
const bounded =
  process.execArgv.some((flag) => flag.startsWith("--max-old-space-size")) ||
  /--max-old-space-size/.test(process.env.NODE_OPTIONS ?? "");

if (bounded) {
  if (process.channel) {
    process.channel.unref();
    process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
  }
  if (bundleIsCurrent()) {
    // Logged stacks name the sources' lines, as under tsx.
    process.setSourceMapsEnabled(true);
    await import(SERVER_BUNDLE);
  } else {
    const { register } = await import("tsx/esm/api");
    register();
    await import("../src/server/main.ts");
  }
} else {
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      `--max-semi-space-size=${SEMI_SPACE_MB}`,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    // Its own process group: a terminal's Ctrl-C reaches only this process, which passes it on
    // once (twice, the server would take it for "stop now" and skip draining).
    { stdio: ["inherit", "inherit", "inherit", "ipc"], detached: true },
  );
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
