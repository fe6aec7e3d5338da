// The servers `npm run bench` loads, in a process of their own so that the load generator does
// not share their event loop: ours over a consolidated synthetic tree, and bare graphql-yoga.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSchema, createYoga } from "graphql-yoga";
import { createApp } from "../src/server/app.js";
import { listen } from "../src/server/http.js";
import { MemoryStore } from "../src/stores/memory.js";
import { syntheticTree } from "../test/support/synthetic.js";

const tree = syntheticTree({ fanout: 3, depth: 4, arraysPerGroup: 2, format: 2, consolidated: true });
const app = createApp({
  catalogs: [{ name: "c", store: new MemoryStore("memory://c", tree.files), consolidated: "use" }],
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
    nodes: tree.nodes.length + 1,
  })}\n`,
);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
