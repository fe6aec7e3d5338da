import { EmbeddedIndex } from "../search/embedded.js";
import { PostgresIndex } from "../search/postgres/index.js";
import { DEFAULT_REFRESH_MS, SearchService } from "../search/service.js";

/** How the command line and the configuration file choose the search index. */
export interface SearchSettings {
  /** "embedded" (default) or a postgres:// URL. */
  index?: string;
  /** Refresh interval; 0 switches the timer off. */
  refreshMs?: number;
  /** Build the embedded index at start-up rather than on first search. */
  atStart?: boolean;
  /** Bound on each PostgreSQL statement: the request deadline. */
  statementTimeoutMs?: number;
  logger?: { warn(details: object, message: string): void };
}

export class SearchSettingsError extends Error {}

export function isPostgresUrl(index: string | undefined): boolean {
  return index !== undefined && /^postgres(ql)?:\/\//.test(index);
}

/**
 * The search service a `serve` process runs. Over PostgreSQL it only queries (and records its
 * own writes): `zarr-graphql index` builds and refreshes the shared index.
 */
export function searchService(settings: SearchSettings): SearchService {
  const refreshMs = settings.refreshMs === 0 ? null : (settings.refreshMs ?? DEFAULT_REFRESH_MS);
  if (isPostgresUrl(settings.index)) {
    const index = new PostgresIndex({ url: settings.index!, statementTimeoutMs: settings.statementTimeoutMs });
    return new SearchService({ index, refreshMs, build: "never", logger: settings.logger });
  }
  if (settings.index !== undefined && settings.index !== "embedded") {
    throw new SearchSettingsError(
      `--index takes "embedded" or a postgres:// URL, got ${JSON.stringify(settings.index.replace(/\/\/[^@/]*@/, "//…@"))}`,
    );
  }
  return new SearchService({
    index: new EmbeddedIndex(),
    refreshMs,
    build: settings.atStart ? "start" : "lazy",
    logger: settings.logger,
  });
}
