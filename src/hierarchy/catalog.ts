import { AbortableStore } from "../stores/abortable.js";
import { CountingStore } from "../stores/counting.js";
import { IoCounter } from "../stores/io-counter.js";
import type { Store } from "../stores/store.js";
import { DEFAULT_READER_LIMITS, DocumentReader, type ReaderLimits } from "./documents.js";
import { NotFoundError } from "./errors.js";
import type { ParsedDocumentCache } from "./parse-cache.js";
import { type CatalogSession, type ConsolidatedMode, NodeBudget, CatalogSession as Session } from "./session.js";

/** A named store the server serves. */
export interface Catalog {
  name: string;
  store: Store;
  description?: string | null;
  /** Public URL of a remote store (gs://, https://); null for file and memory stores. */
  url?: string | null;
  /** Default consolidated-metadata mode; a query may override it. */
  consolidated: ConsolidatedMode;
}

export interface HierarchyLimits extends ReaderLimits {
  /** Nodes one request may visit in walks (members, nmembers, tree, info). */
  nodeBudget: number;
}

export const DEFAULT_HIERARCHY_LIMITS: HierarchyLimits = { ...DEFAULT_READER_LIMITS, nodeBudget: 100_000 };

/**
 * Everything one request holds: a counting view of each catalog's store, one DocumentReader
 * per catalog (shared by every mode, so a document is read once), one session per
 * (catalog, mode), and the node budget.
 */
export class RequestScope {
  readonly io = new IoCounter();
  readonly budget: NodeBudget;
  private readonly readers = new Map<string, DocumentReader>();
  private readonly sessions = new Map<string, CatalogSession>();

  constructor(
    readonly catalogs: ReadonlyMap<string, Catalog>,
    readonly limits: HierarchyLimits = DEFAULT_HIERARCHY_LIMITS,
    readonly signal?: AbortSignal,
    /** Parsed documents shared with other requests of the same server. */
    readonly parsed?: ParsedDocumentCache,
  ) {
    this.budget = new NodeBudget(limits.nodeBudget);
  }

  catalog(name: string): Catalog {
    const catalog = this.catalogs.get(name);
    if (!catalog) throw new NotFoundError(`no catalog named ${JSON.stringify(name)}`, { catalog: name });
    return catalog;
  }

  session(name: string, mode?: ConsolidatedMode | null): CatalogSession {
    const catalog = this.catalog(name);
    const effective = mode ?? catalog.consolidated;
    const id = `${effective}:${name}`;
    let session = this.sessions.get(id);
    if (!session) {
      let reader = this.readers.get(name);
      if (!reader) {
        reader = new DocumentReader(
          new CountingStore(new AbortableStore(catalog.store), this.io),
          this.limits,
          this.signal,
          this.parsed && { cache: this.parsed, catalog: name },
        );
        this.readers.set(name, reader);
      }
      session = new Session(name, reader, effective, this.budget);
      this.sessions.set(id, session);
    }
    return session;
  }
}
