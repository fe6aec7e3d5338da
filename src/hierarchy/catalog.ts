import { AbortableStore } from "../stores/abortable.js";
import { monotonicMs } from "../stores/clock.js";
import { CountingStore } from "../stores/counting.js";
import { IoCounter } from "../stores/io-counter.js";
import type { Store, StoreEntry } from "../stores/store.js";
import type { ReadAccess } from "./access.js";
import { CatalogBudget, NodeBudget } from "./budget.js";
import { DocumentCache } from "./document-cache.js";
import { DEFAULT_READER_LIMITS, DocumentReader, type ReaderLimits } from "./documents.js";
import { NotFoundError } from "./errors.js";
import { type CatalogSession, type ConsolidatedMode, CatalogSession as Session } from "./session.js";

/** A named store the server serves. */
export interface Catalog {
  name: string;
  store: Store;
  description?: string | null;
  /** Public URL of a remote store (gs://, https://); null for file and memory stores. */
  url?: string | null;
  /** Default consolidated-metadata mode; a query may override it. */
  consolidated: ConsolidatedMode;
  /** Who may read it; absent: anyone. To anyone else it answers exactly as an unknown catalog. */
  read?: ReadAccess;
  /** Limits of its own, within the server's: its reads in flight, its share of the node budget. */
  limits?: Partial<HierarchyLimits>;
  /** false: never written, even on a --writable server (a config catalog in mode read). */
  writable?: boolean;
  /**
   * How long (ms) a document or listing the store confirmed may be used again without asking it;
   * 0 (the default): every request asks (a conditional read).
   */
  maxStalenessMs?: number;
}

export interface HierarchyLimits extends ReaderLimits {
  /** Nodes one request may visit in walks (members, nmembers, tree, info). */
  nodeBudget: number;
}

export const DEFAULT_HIERARCHY_LIMITS: HierarchyLimits = { ...DEFAULT_READER_LIMITS, nodeBudget: 100_000 };

/** A catalog's limits apply within the server's: each the smaller of the two. */
function within(server: HierarchyLimits, own: Partial<HierarchyLimits> | undefined): HierarchyLimits {
  if (!own) return server;
  const min = (a: number, b: number | undefined) => (b === undefined ? a : Math.min(a, b));
  return {
    concurrency: min(server.concurrency, own.concurrency),
    maxDocumentBytes: min(server.maxDocumentBytes, own.maxDocumentBytes),
    nodeBudget: min(server.nodeBudget, own.nodeBudget),
  };
}

/**
 * Everything one request holds: one DocumentReader per catalog (over a counting, abortable view
 * of its store, shared by every mode, so a document is read once), one session per
 * (catalog, mode), and the node budget. Readers share what they read with other requests through
 * the server's DocumentCache.
 */
export class RequestScope {
  readonly io = new IoCounter();
  readonly budget: NodeBudget;
  /** When the request began: no cached read older than this answers it beyond a catalog's staleness bound. */
  readonly startedAt = monotonicMs();
  private readonly readers = new Map<string, DocumentReader>();
  private readonly sessions = new Map<string, CatalogSession>();
  private readonly catalogBudgets = new Map<string, NodeBudget>();

  constructor(
    readonly catalogs: ReadonlyMap<string, Catalog>,
    readonly limits: HierarchyLimits = DEFAULT_HIERARCHY_LIMITS,
    readonly signal?: AbortSignal,
    /** Documents and listings shared with other requests of the same server. */
    readonly cache: DocumentCache = new DocumentCache(),
    /** Whether this request may read a catalog (from its bearer token); default: every catalog. */
    readonly mayRead: (catalog: Catalog) => boolean = () => true,
  ) {
    this.budget = new NodeBudget(limits.nodeBudget);
  }

  /** The catalogs this request may read, by name. */
  readable(): Catalog[] {
    return [...this.catalogs.values()].filter((c) => this.mayRead(c));
  }

  catalog(name: string): Catalog {
    const catalog = this.catalogs.get(name);
    // One the caller may not read is not there for it: the answer must not tell them apart.
    if (!catalog || !this.mayRead(catalog)) {
      throw new NotFoundError(`no catalog named ${JSON.stringify(name)}`, { catalog: name });
    }
    return catalog;
  }

  /**
   * The documents this request's answer rests on, per catalog, with their versions; null when
   * something else went into it (a listing, an unversioned object, a failure), so that no
   * version check could prove a repeat of the answer still right.
   */
  dependencies(): Map<string, Map<string, string | null>> | null {
    const out = new Map<string, Map<string, string | null>>();
    for (const [name, reader] of this.readers) {
      if (!reader.exact) return null;
      out.set(name, new Map(reader.dependencies));
    }
    return out;
  }

  /** Whether every document in `dependencies` still has its recorded version (one wave of reads). */
  async unchanged(dependencies: Map<string, Map<string, string | null>>): Promise<boolean> {
    const checks = [...dependencies].map(([name, deps]) =>
      this.catalogs.has(name) ? this.reader(name).unchanged(deps) : Promise.resolve(false),
    );
    return (await Promise.all(checks)).every(Boolean);
  }

  /** The one way a request reads a catalog: counted, bounded by the deadline, shared through the cache. */
  private reader(name: string): DocumentReader {
    let reader = this.readers.get(name);
    if (!reader) {
      const catalog = this.catalog(name);
      reader = new DocumentReader(
        new CountingStore(new AbortableStore(catalog.store), this.io),
        within(this.limits, catalog.limits),
        this.signal,
        { cache: this.cache, catalog: name, maxStalenessMs: catalog.maxStalenessMs ?? 0, startedAt: this.startedAt },
      );
      this.readers.set(name, reader);
    }
    return reader;
  }

  /** This request wrote `key` in catalog `name` (see DocumentReader.remember; no entry: only forget it). */
  wrote(name: string, key: string, entry?: StoreEntry | null): void {
    const reader = this.readers.get(name);
    if (entry === undefined) reader?.forget(key);
    else reader?.remember(key, entry ?? undefined);
    const dir = key.includes("/") ? key.slice(0, key.lastIndexOf("/")) : "";
    for (const session of this.sessions.values()) if (session.catalog === name) session.forget(dir);
  }

  /** This request removed or replaced everything below `prefix` in catalog `name`. */
  removedBelow(name: string, prefix: string): void {
    this.readers.get(name)?.forgetBelow(prefix);
    for (const session of this.sessions.values()) if (session.catalog === name) session.forget(prefix, true);
  }

  /** One budget per catalog per request, shared by its sessions of every mode. */
  private catalogBudget(catalog: Catalog): NodeBudget {
    const own = catalog.limits?.nodeBudget;
    if (own === undefined) return this.budget;
    let budget = this.catalogBudgets.get(catalog.name);
    if (!budget) {
      budget = new CatalogBudget(Math.min(own, this.limits.nodeBudget), this.budget);
      this.catalogBudgets.set(catalog.name, budget);
    }
    return budget;
  }

  session(name: string, mode?: ConsolidatedMode | null): CatalogSession {
    const catalog = this.catalog(name);
    const effective = mode ?? catalog.consolidated;
    const id = `${effective}:${name}`;
    let session = this.sessions.get(id);
    if (!session) {
      session = new Session(name, this.reader(name), effective, this.catalogBudget(catalog));
      this.sessions.set(id, session);
    }
    return session;
  }
}
