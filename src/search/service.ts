import type { Catalog, RequestScope } from "../hierarchy/catalog.js";
import { DocumentCache } from "../hierarchy/document-cache.js";
import { BadInputError } from "../hierarchy/errors.js";
import { ancestors } from "../hierarchy/paths.js";
import type { ZarrNodeRef } from "../hierarchy/session.js";
import { encodeCursor } from "./cursor.js";
import { EmbeddedIndex } from "./embedded.js";
import { answers, type Query } from "./evaluate.js";
import { indexingScope, readSubtree } from "./reader.js";
import { recordOf, type SearchRecord } from "./record.js";
import type { FacetCount, IndexChange, IndexQuery, SearchIndex, SortKey } from "./search-index.js";

/**
 * Search for a server: keeps the index of its catalogs true to the stores (built on first
 * search, refreshed on an interval, updated by this server's own writes) and answers searches
 * from it, re-checking every hit of the returned page against the live metadata.
 */

export const DEFAULT_REFRESH_MS = 60_000;

export interface SearchOptions {
  /** Default: the embedded (in-memory) index. */
  index?: SearchIndex;
  /** How often indexed catalogs are read again; null: only when asked (refresh()). Default 60 s. */
  refreshMs?: number | null;
  /**
   * Who builds the index: "lazy" (default for the embedded index), this server, when a catalog is
   * first searched; "start", this server, at start-up; "never", another process (`zarr-graphql
   * index` over a shared PostgreSQL index), this server only queries it and records its own writes.
   */
  build?: "lazy" | "start" | "never";
  /** Where failed refreshes are reported. */
  logger?: { warn(details: object, message: string): void };
}

/** What one refresh did: nodes read, re-indexed (new or changed), removed, and unreadable. */
export interface RefreshSummary {
  nodes: number;
  changed: number;
  removed: number;
  failed: number;
}

export interface SearchArgs extends Query {
  /** Catalog names asked for; null: every catalog. */
  catalogs: string[] | null;
  first: number;
  after: SortKey | null;
}

export interface SearchEdge {
  cursor: string;
  node: ZarrNodeRef | Error;
}

export interface SearchAnswer {
  edges(): Promise<SearchEdge[]>;
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  facets(key: string, first: number): Promise<FacetCount[]>;
}

export class SearchService {
  readonly index: SearchIndex;
  readonly refreshMs: number | null;
  readonly build: "lazy" | "start" | "never";
  private catalogs: ReadonlyMap<string, Catalog> = new Map();
  /** Where indexing reads documents: the server's cache once attached, kept across refreshes. */
  private cache = new DocumentCache();
  private readonly built = new Map<string, Promise<void>>();
  private readonly refreshing = new Map<string, Promise<RefreshSummary>>();
  private timer?: NodeJS.Timeout;
  private readonly logger?: SearchOptions["logger"];

  constructor(options: SearchOptions = {}) {
    this.index = options.index ?? new EmbeddedIndex();
    this.refreshMs = options.refreshMs === undefined ? DEFAULT_REFRESH_MS : options.refreshMs;
    this.build = options.build ?? (this.index.kind === "embedded" ? "lazy" : "never");
    this.logger = options.logger;
  }

  /**
   * The catalogs this server serves (as the app wraps them, so index reads are counted too), and
   * the server's document cache, which indexing reads through.
   */
  attach(catalogs: Iterable<Catalog>, cache?: DocumentCache): void {
    if (cache) this.cache = cache;
    this.catalogs = new Map([...catalogs].map((c) => [c.name, c]));
    if (this.build === "start") for (const name of this.catalogs.keys()) this.ensureBuilt(name).catch(() => undefined);
  }

  /** Reads the catalog again and brings its index up to date; re-indexes only nodes whose version changed. */
  refresh(name: string): Promise<RefreshSummary> {
    let run = this.refreshing.get(name);
    if (!run) {
      run = this.readAndApply(name).finally(() => this.refreshing.delete(name));
      this.refreshing.set(name, run);
    }
    return run;
  }

  async refreshAll(): Promise<void> {
    for (const name of this.catalogs.keys()) await this.refresh(name);
  }

  private async readAndApply(name: string): Promise<RefreshSummary> {
    const startedAt = new Date();
    const { records, failed } = await readSubtree(indexingScope(this.catalogs, this.cache), name);
    if (failed > 0)
      this.logger?.warn({ catalog: name, failed }, "search index: nodes that could not be read were left out");
    const known = await this.index.versions(name);
    const upsert = records.filter((r) => r.version === null || known.get(r.path) !== r.version || !known.has(r.path));
    const present = new Set(records.map((r) => r.path));
    const remove = [...known.keys()].filter((path) => !present.has(path));
    await this.index.apply(name, { upsert, remove }, startedAt);
    return { nodes: records.length, changed: upsert.length, removed: remove.length, failed };
  }

  /** Builds the catalog's index if this server builds it and has not yet; starts the refresh timer. */
  private ensureBuilt(name: string): Promise<void> {
    if (this.build === "never") return Promise.resolve();
    let built = this.built.get(name);
    if (!built) {
      built = this.refresh(name).then(() => undefined);
      this.built.set(name, built);
      // A failed build is tried again by the next search.
      built.catch((error: unknown) => {
        this.built.delete(name);
        this.logger?.warn({ catalog: name, err: error }, "search index: building failed");
      });
      this.startTimer();
    }
    return built;
  }

  private startTimer(): void {
    if (this.timer || this.refreshMs === null) return;
    this.timer = setInterval(() => {
      for (const name of this.built.keys()) {
        this.refresh(name).catch((error: unknown) =>
          this.logger?.warn({ catalog: name, err: error }, "search index: refresh failed; the index stays as it was"),
        );
      }
    }, this.refreshMs);
    this.timer.unref();
  }

  /** When the catalog's index was last brought up to date (a refresh's start); null if never. */
  async indexedAt(name: string): Promise<Date | null> {
    return this.index.indexedAt(name);
  }

  /**
   * A write through this server changed the node at `path` (and, with `subtree`, everything below
   * it): the index takes it in now, reading it back (and the ancestors the write may have
   * created) through a scope of its own. A failure leaves the index to the next refresh: the
   * write itself succeeded.
   */
  async changed(catalog: string, path: string, subtree = false): Promise<void> {
    await this.afterWrite(catalog, async () => {
      const scope = indexingScope(this.catalogs, this.cache);
      const session = scope.session(catalog);
      const above = await Promise.all(
        ancestors(path).map(async (p) => {
          const meta = p === "" ? await session.root() : await session.open(p);
          return meta ? recordOf(catalog, p, meta) : null;
        }),
      );
      const upsert = above.filter((r): r is SearchRecord => r !== null);
      if (subtree) {
        const { records } = await readSubtree(scope, catalog, path);
        return { upsert: [...upsert, ...records], remove: [], removeBelow: path };
      }
      const meta = path === "" ? await session.root() : await session.open(path);
      if (meta) upsert.push(recordOf(catalog, path, meta));
      return { upsert, remove: meta ? [] : [path] };
    });
  }

  /** A write through this server removed the node at `path` and everything below it. */
  async removed(catalog: string, path: string): Promise<void> {
    await this.afterWrite(catalog, async () => ({ upsert: [], remove: [], removeBelow: path }));
  }

  private async afterWrite(catalog: string, change: () => Promise<IndexChange>): Promise<void> {
    try {
      // A refresh in flight read the store before this write: let it land first.
      await this.refreshing.get(catalog)?.catch(() => undefined);
      await this.index.apply(catalog, await change());
    } catch (error) {
      this.logger?.warn({ catalog, err: error }, "search index: a write could not be indexed; the next refresh will");
    }
  }

  /**
   * One page of hits. Catalogs the caller may not read contribute nothing. The page's hits are
   * read live through the request's loaders (one wave) and dropped if they no longer answer the
   * query; totals and facets are the index's, as fresh as `indexedAt`.
   */
  async search(scope: RequestScope, args: SearchArgs): Promise<SearchAnswer> {
    const readable = new Set(scope.readable().map((c) => c.name));
    const names = (args.catalogs ?? [...readable]).filter((name) => readable.has(name) && this.catalogs.has(name));
    await Promise.all(names.map((name) => this.ensureBuilt(name)));
    const query: IndexQuery = {
      filter: args.filter,
      words: args.words,
      catalogs: [...new Set(names)],
      signal: scope.signal,
    };
    const page = await this.index.search(query, args.first, args.after);
    let edges: Promise<SearchEdge[]> | undefined;
    const first = page.hits[0];
    const last = page.hits.at(-1);
    return {
      // Read only when asked for: a query for totals or facets reads no node.
      edges: () => {
        edges ??= this.recheck(scope, args, page.hits);
        return edges;
      },
      totalCount: page.totalCount,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: args.after !== null,
        // The page's bounds in the index, so the next page starts after the last hit even if it was dropped.
        startCursor: first ? encodeCursor(first) : null,
        endCursor: last ? encodeCursor(last) : null,
      },
      facets: (key, count) => {
        if (!Number.isInteger(count) || count < 0 || count > MAX_FACETS) {
          throw new BadInputError(`facets: first must be between 0 and ${MAX_FACETS}`);
        }
        return this.index.facets(query, key, count);
      },
    };
  }

  /** The page's hits read live through the request's loaders, those that no longer answer left out. */
  private async recheck(scope: RequestScope, args: SearchArgs, hits: SortKey[]): Promise<SearchEdge[]> {
    const checked = await Promise.all(
      hits.map(async (hit): Promise<SearchEdge | null> => {
        const session = scope.session(hit.catalog);
        try {
          const meta = hit.path === "" ? await session.root() : await session.open(hit.path);
          if (!meta || !answers(args, recordOf(hit.catalog, hit.path, meta))) return null;
          return { cursor: encodeCursor(hit), node: session.ref(hit.path, meta) };
        } catch (error) {
          // A node that cannot be read now stands as its error, as in members.
          return { cursor: encodeCursor(hit), node: error as Error };
        }
      }),
    );
    return checked.filter((e): e is SearchEdge => e !== null);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.index.close();
  }
}

export const MAX_FACETS = 1_000;
