import path from "node:path";
import type { Catalog } from "../../src/hierarchy/catalog.js";
import type { ConsolidatedMode } from "../../src/hierarchy/session.js";
import { type App, createApp } from "../../src/server/app.js";
import { FileStore } from "../../src/stores/file.js";
import type { Store } from "../../src/stores/store.js";

/** The shared conformance fixtures, read in place. */
export const FIXTURES = path.resolve(import.meta.dirname, "../../../shared/fixtures");

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export function catalog(name: string, store: Store, consolidated: ConsolidatedMode = "use"): Catalog {
  return { name, store, consolidated, description: null, url: null };
}

export function fileCatalog(name: string, dir: string, consolidated: ConsolidatedMode = "use"): Catalog {
  return catalog(name, new FileStore(dir), consolidated);
}

export interface GqlResult {
  data?: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: { io?: { gets: number; lists: number; writes: number; bytes: number; waves: number } };
}

/** Runs a query through the real yoga handler (HTTP semantics, no socket). */
export async function gql(
  app: App,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GqlResult> {
  const response = await app.fetch("http://localhost/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", "x-zarr-io": "1", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GqlResult;
}

export { createApp };
