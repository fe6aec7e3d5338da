// Prints the subgraph SDL gateways compose (`npm run schema` writes it to schema.graphql, which
// is committed; .ci/run regenerates it and fails when the committed file has drifted).
import { writeFileSync } from "node:fs";
import { printSubgraphSchema } from "@apollo/subgraph";
import { buildSchema } from "../src/schema/index.js";

const sdl = `${printSubgraphSchema(buildSchema())}\n`;
if (process.argv.includes("--write")) writeFileSync("schema.graphql", sdl);
else process.stdout.write(sdl);
