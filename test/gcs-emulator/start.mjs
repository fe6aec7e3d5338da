// Starts the Firebase Storage emulator (firebase-tools) as a GCS JSON API test server on a free
// loopback port, without Java: the security-rules runtime (a downloaded jar) is replaced by a stub.
// The GCS API routes of the emulator use the admin storage layer, which never consults rules.
//
// Prints `GCS_EMULATOR_PORT=<port>` on stdout once the server accepts connections. Stops on
// SIGTERM/SIGINT and when its stdin closes (the parent went away), so it never outlives the tests.
//
// Usage: node start.mjs [--port N] [--project ID]
import { createRequire } from "node:module";
import net from "node:net";

const require = createRequire(import.meta.url);
const { StorageEmulator } = require("firebase-tools/lib/emulator/storage/index.js");
const { EmulatorRegistry } = require("firebase-tools/lib/emulator/registry.js");
const { Emulators } = require("firebase-tools/lib/emulator/types.js");

const HOST = "127.0.0.1";

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i !== -1 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** A port the kernel just handed out on loopback; the emulator binds it right after. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const port = Number(arg("--port", "0")) || (await freePort());
const projectId = arg("--project", "zarr-graphql-test");

const emulator = new StorageEmulator({ projectId, host: HOST, port, auto_download: false });
// No rules runtime: it would need Java and a downloaded jar. The gcloud (GCS JSON API) routes
// authorise everything through the admin layer; the Firebase-SDK routes will deny, unused here.
emulator._rulesRuntime = { alive: true, start: async () => {}, stop: async () => {} };
emulator._rulesManager = { start: async () => {}, stop: async () => {}, getRuleset: () => undefined };

// The registry knows the emulator's host and port, which it uses to build selfLink/mediaLink.
await EmulatorRegistry.start(emulator);
// The emulator serves rewriteTo/copyTo only without the /storage/v1 prefix that the real JSON
// API (and every client) puts before them; its other routes take both. Serve them there too.
const app = emulator._app;
const handle = app.handle.bind(app);
app.handle = (req, res, next) => {
  req.url = req.url.replace(/^\/storage\/v1(\/b\/[^/]+\/o\/[^/]+\/(?:rewriteTo|copyTo)\/)/, "$1");
  handle(req, res, next);
};
process.stdout.write(`GCS_EMULATOR_PORT=${port}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await EmulatorRegistry.stop(Emulators.STORAGE);
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
