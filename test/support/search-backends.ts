import { EmbeddedIndex } from "../../src/search/embedded.js";
import { PostgresIndex } from "../../src/search/postgres/index.js";
import type { SearchIndex } from "../../src/search/search-index.js";
import { freshDatabase } from "./postgres.js";

/** Every index backend, for suites that run the same cases against each. */
export const BACKENDS: { name: string; make: () => Promise<SearchIndex> }[] = [
  { name: "embedded", make: async () => new EmbeddedIndex() },
  { name: "postgres", make: async () => new PostgresIndex({ url: await freshDatabase() }) },
];
