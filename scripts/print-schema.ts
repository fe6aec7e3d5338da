// `npm run schema` writes the two committed schema files; `--check` (CI) fails when either
// differs from what the code builds.
//   schema.graphql    the client schema: what front ends and their tools (Relay, codegen) read
//   subgraph.graphql  the Apollo Federation subgraph SDL that gateways compose
import { readFileSync, writeFileSync } from "node:fs";
import { printSubgraphSchema } from "@apollo/subgraph";
import { clientSdl } from "../src/schema/client-schema.js";
import { buildSchema } from "../src/schema/index.js";

const subgraph = `${printSubgraphSchema(buildSchema())}\n`;
const files = { "schema.graphql": clientSdl(subgraph), "subgraph.graphql": subgraph };

if (process.argv.includes("--write")) {
  for (const [file, text] of Object.entries(files)) writeFileSync(file, text);
} else if (process.argv.includes("--check")) {
  const stale = Object.entries(files).filter(([file, text]) => {
    try {
      return readFileSync(file, "utf8") !== text;
    } catch {
      return true;
    }
  });
  for (const [file] of stale) {
    process.stderr.write(
      `${file} is stale: the schema the code builds differs; run \`npm run schema\` and commit it\n`,
    );
  }
  process.exit(stale.length > 0 ? 1 : 0);
} else {
  process.stdout.write(files["schema.graphql"]);
}
