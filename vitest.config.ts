import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// Node loads graphql's CommonJS build for every package (its package.json has no "exports");
// Vite would give the files it transforms (ours) the ESM build named by "module", and two
// graphql instances break graphql-js's own type checks. One instance: Node's.
const graphqlEntry = createRequire(import.meta.url).resolve("graphql");

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Two cores: keep parallelism modest so loopback servers and emulators are not starved.
    maxWorkers: 2,
    globalSetup: ["test/global-setup.ts"],
  },
});
