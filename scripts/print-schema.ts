// Prints the schema's SDL (`npm run schema` writes it to schema.graphql).
import { writeFileSync } from "node:fs";
import { printSchema } from "graphql";
import { buildSchema } from "../src/schema/index.js";

const sdl = printSchema(buildSchema());
if (process.argv.includes("--write")) writeFileSync("schema.graphql", `${sdl}\n`);
else process.stdout.write(`${sdl}\n`);
