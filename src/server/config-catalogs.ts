import { ReadAccess } from "../hierarchy/access.js";
import type { Catalog } from "../hierarchy/catalog.js";
import type { ConsolidatedMode } from "../hierarchy/session.js";
import { type OpenStoreOptions, openStore } from "../stores/open.js";
import type { CatalogConfig } from "./config.js";

export interface OpenOptions {
  /** The mode it starts with (the command line's --consolidated may override the file). */
  consolidated: ConsolidatedMode;
  /** The server's write token: whoever may write may also read, private catalogs included. */
  writeToken?: string;
  /** How remote stores time out and retry (as for the command line's stores). */
  store?: OpenStoreOptions;
  /** Its staleness bound, when the command line or the file's top level sets one. */
  maxStalenessMs?: number;
}

/** A configured catalog as the server serves it: its store opened, its access and limits set. */
export function catalogFromConfig(spec: CatalogConfig, options: OpenOptions): Catalog {
  const tokens = spec.readTokens && [...spec.readTokens, ...(options.writeToken ? [options.writeToken] : [])];
  return {
    name: spec.name,
    store: openStore(spec.url, options.store),
    url: spec.publicUrl,
    description: spec.description,
    consolidated: options.consolidated,
    read: tokens ? new ReadAccess(tokens) : undefined,
    limits: Object.keys(spec.limits).length > 0 ? spec.limits : undefined,
    writable: spec.mode === "write",
    maxStalenessMs: options.maxStalenessMs ?? spec.maxStalenessMs ?? undefined,
  };
}
