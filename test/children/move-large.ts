// Moves node "g" to "h" in the file store at DIR through the GraphQL API, in a process of its
// own (see writes-processes.test.ts), and prints the mutation's answer and the process's peak
// resident memory (KiB) as one line of JSON.
import { FileStore } from "../../src/stores/file.js";
import { catalog } from "../support/app.js";
import { mutate, writableApp } from "../support/writes.js";

const [dir] = process.argv.slice(2);
const { app } = writableApp([catalog("big", new FileStore(dir))]);
const result = await mutate(
  app,
  `mutation { moveNode(input: {catalog: "big", path: "g", newPath: "h"}) { movedObjects node { path } } }`,
);
process.stdout.write(`${JSON.stringify({ result, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
