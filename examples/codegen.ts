// GraphQL Code Generator, client preset: typed documents for Apollo Client, urql or fetch,
// generated from schema.graphql (the client schema) and the operations in ./app.
//   npx graphql-codegen --config examples/codegen.ts   (from the repository root: see cwd below)
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["./app/**/*.ts"],
  // @connection and @refetchable are Relay's compile-time directives (Apollo strips @connection
  // too): not the server's, so codegen is told not to look for them in the schema.
  skipDocumentsValidation: { ignoreRules: ["KnownDirectivesRule"] },
  generates: {
    "./__generated__/codegen/": {
      preset: "client",
      config: {
        // The schema's custom scalars as TypeScript sees them.
        scalars: { SafeInt: "number", JSON: "unknown" },
        useTypeImports: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
