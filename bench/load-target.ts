// The servers `npm run bench` loads, in a process of their own so that the load generator does
// not share their event loop: ours (default settings: limits, metrics, request log to a sink,
// response cache) over two consolidated synthetic trees, and bare graphql-yoga.

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { createSchema, createYoga } from "graphql-yoga";
import pino from "pino";
import { createApp } from "../src/server/app.js";
import { listen } from "../src/server/http.js";
import { MemoryStore } from "../src/stores/memory.js";
import { syntheticTree } from "../test/support/synthetic.js";

/** A small hierarchy, as a typical catalog's browse view, and a larger one. */
const small = syntheticTree({ fanout: 2, depth: 2, arraysPerGroup: 2, format: 2, consolidated: true });
const large = syntheticTree({ fanout: 3, depth: 4, arraysPerGroup: 2, format: 2, consolidated: true });
// The request log is on, as in production, written to a sink: its cost is the server's, not the terminal's.
const logger = pino(
  { level: "info", base: { service: "zarr-graphql" } },
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  }),
);
const app = createApp({
  catalogs: [
    { name: "small", store: new MemoryStore("memory://small", small.files), consolidated: "use" },
    { name: "large", store: new MemoryStore("memory://large", large.files), consolidated: "use" },
  ],
  logger,
});
const ours = await listen(app, 0, "127.0.0.1");
const bare = createServer(
  createYoga({
    schema: createSchema({ typeDefs: "type Query { hello: String }", resolvers: { Query: { hello: () => "world" } } }),
    logging: false,
  }),
);
await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
process.stdout.write(
  `${JSON.stringify({
    ours: ours.url,
    bare: `http://127.0.0.1:${(bare.address() as AddressInfo).port}/graphql`,
    nodes: { small: small.nodes.length + 1, large: large.nodes.length + 1 },
  })}\n`,
);
// "cpu" on stdin: this process's CPU time so far (µs), so the bench can charge each load its own.
let pending = "";
process.stdin.on("data", (chunk: Buffer) => {
  pending += chunk.toString();
  for (let i = pending.indexOf("\n"); i >= 0; i = pending.indexOf("\n")) {
    if (pending.slice(0, i) === "cpu") {
      const { user, system } = process.cpuUsage();
      process.stdout.write(`${JSON.stringify({ cpu: user + system })}\n`);
    }
    pending = pending.slice(i + 1);
  }
});
process.stdin.on("end", () => process.exit(0));
