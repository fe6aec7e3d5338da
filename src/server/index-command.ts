import type { Catalog } from "../hierarchy/catalog.js";
import type { SearchService } from "../search/service.js";

export interface IndexerOptions {
  /** Keep refreshing every `refreshMs` until a signal stops the process. */
  watch: boolean;
  refreshMs: number;
  logger: { info(details: object, message: string): void; error(details: object, message: string): void };
  /** Where one line per catalog and pass goes (stdout). */
  out: (line: string) => void;
}

/**
 * `zarr-graphql index`: builds the shared (PostgreSQL) index of every catalog, then with --watch
 * refreshes it on an interval, so that API replicas only query it. A catalog that fails keeps
 * its index as it was; the process exits 1 after a single pass in which any catalog failed.
 */
export async function runIndexer(search: SearchService, catalogs: Catalog[], options: IndexerOptions): Promise<void> {
  search.attach(catalogs);
  const pass = async (): Promise<boolean> => {
    let ok = true;
    for (const catalog of catalogs) {
      const started = performance.now();
      try {
        const summary = await search.refresh(catalog.name);
        const ms = Math.round(performance.now() - started);
        options.logger.info({ catalog: catalog.name, ...summary, ms }, "indexed");
        options.out(
          `indexed ${catalog.name}: ${summary.nodes} nodes (${summary.changed} new or changed, ${summary.removed} removed) in ${ms} ms`,
        );
      } catch (error) {
        ok = false;
        options.logger.error({ catalog: catalog.name, err: error }, "indexing failed; the index stays as it was");
        options.out(`failed ${catalog.name}: ${(error as Error).message}`);
      }
    }
    return ok;
  };
  const ok = await pass();
  if (!options.watch) {
    await search.close();
    if (!ok) process.exitCode = 1;
    return;
  }
  await new Promise<void>((resolve) => {
    let running = Promise.resolve();
    const timer = setInterval(() => {
      running = running.then(() => pass().then(() => undefined));
    }, options.refreshMs);
    const stop = () => {
      clearInterval(timer);
      running.then(() => search.close()).finally(resolve);
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}
