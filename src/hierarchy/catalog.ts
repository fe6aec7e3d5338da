import { AbortableStore } from "../stores/abortable.js";
import { CountingStore } from "../stores/counting.js";
import { IoCounter } from "../stores/io-counter.js";
import type { Store, StoreEntry } from "../stores/store.js";
import type { ReadAccess } from "./access.js";
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
  /** Who may read it; absent: anyone. To anyone else it answers exactly as an unknown catalog. */
  read?: ReadAccess;
  /** Limits of its own, within the server's: its reads in flight, its share of the node budget. */
  limits?: Partial<HierarchyLimits>;
  /** false: never written, even on a --writable server (a config catalog in mode read). */
  writable?: boolean;
}

export interface HierarchyLimits extends ReaderLimits {
  /** Nodes one request may visit in walks (members, nmembers, tree, info). */
  nodeBudget: number;
}

export const DEFAULT_HIERARCHY_LIMITS: HierarchyLimits = { ...DEFAULT_READER_LIMITS, nodeBudget: 100_000 };

/** A catalog's own node budget, which also draws on the request's. */
class CatalogBudget extends NodeBudget {
  constructor(
    max: number,
    private readonly request: NodeBudget,
  ) {
    super(max);
  }

  override take(n: number): void {
    super.take(n);
    this.request.take(n);
  }
}

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
    /** Whether this request may read a catalog (from its bearer token); default: every catalog. */
    readonly mayRead: (catalog: Catalog) => boolean = () => true,
  ) {
    this.budget = new NodeBudget(limits.nodeBudget);
  }

  /** The catalogs this request may read, by name. */
  readable(): Catalog[] {
    return [...this.catalogs.values()].filter((c) => this.mayRead(c));
  }

  /** Reader limits for one catalog: the request's, tightened by the catalog's own. */
  private readerLimits(catalog: Catalog): HierarchyLimits {
    return catalog.limits ? { ...this.limits, ...catalog.limits } : this.limits;
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

  private reader(name: string): DocumentReader {
    let reader = this.readers.get(name);
    if (!reader) {
      reader = new DocumentReader(
        new CountingStore(this.catalog(name).store, this.io),
        this.readerLimits(this.catalog(name)),
        this.signal,
        this.parsed && { cache: this.parsed, catalog: name },
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

  private readonly catalogBudgets = new Map<string, NodeBudget>();

  /** One budget per catalog per request, shared by its sessions of every mode. */
  private catalogBudget(name: string, max: number): NodeBudget {
    let budget = this.catalogBudgets.get(name);
    if (!budget) {
      budget = new CatalogBudget(max, this.budget);
      this.catalogBudgets.set(name, budget);
    }
    return budget;
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
          this.readerLimits(catalog),
          this.signal,
          this.parsed && { cache: this.parsed, catalog: name },
        );
        this.readers.set(name, reader);
      }
      const own = catalog.limits?.nodeBudget;
      const budget = own === undefined ? this.budget : this.catalogBudget(name, own);
      session = new Session(name, reader, effective, budget);
      this.sessions.set(id, session);
    }
    return session;
  }
}
