import type { Plugin } from "graphql-yoga";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { Catalog } from "../hierarchy/catalog.js";
import { CountingStore } from "../stores/counting.js";
import { IoCounter } from "../stores/io-counter.js";
import type { RequestFacts } from "./observe.js";

/**
 * The server's Prometheus metrics, in a registry of its own (so two servers in one process, as
 * in tests, do not share counts). Names are documented in the README ("Operations").
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "zarr_graphql_requests_total",
    help: "GraphQL requests answered, by operation type and HTTP status.",
    labelNames: ["operation", "status"] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "zarr_graphql_errors_total",
    help: "Errors in GraphQL responses, by extensions.code.",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: "zarr_graphql_request_duration_seconds",
    help: "Time from a GraphQL request's arrival to its response, by operation type.",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly storeCalls = new Counter({
    name: "zarr_graphql_store_calls_total",
    help: "Calls to catalogs' stores (every GET, 404s included; every list page; every write), by catalog and kind.",
    labelNames: ["catalog", "kind"] as const,
    registers: [this.registry],
  });
  readonly storeBytes = new Counter({
    name: "zarr_graphql_store_read_bytes_total",
    help: "Bytes read from catalogs' stores, by catalog.",
    labelNames: ["catalog"] as const,
    registers: [this.registry],
  });

  /**
   * `processMetrics` adds the process's own (CPU, memory, event loop lag), under the same
   * prefix; the command line turns them on. They watch the process from timers and observers,
   * which apps made by the dozen in one process (tests) need not each start.
   */
  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "zarr_graphql_" });
  }

  /** Each label set's own series, bound once: prom-client hashes the labels on every unbound call. */
  private readonly bound = new Map<string, { requests: { inc(): void }; duration: { observe(v: number): void } }>();

  /** One answered GraphQL request. */
  record(facts: RequestFacts, status: number): void {
    const key = `${facts.operation}\u0000${status}`;
    let series = this.bound.get(key);
    if (!series) {
      series = {
        requests: this.requests.labels({ operation: facts.operation, status: String(status) }),
        duration: this.duration.labels({ operation: facts.operation }),
      };
      this.bound.set(key, series);
    }
    series.requests.inc();
    series.duration.observe(facts.seconds());
    for (const code of facts.errorCodes) this.errors.inc({ code });
  }
}

/**
 * Counts one catalog's store calls into the metrics, across every request. Its series are bound
 * once: a walk makes hundreds of thousands of calls, and an unbound call hashes its labels each time.
 */
class CatalogCallCounter extends IoCounter {
  private readonly calls: Record<"gets" | "lists" | "writes", { inc(n?: number): void }>;
  private readonly bytes: { inc(n?: number): void };

  constructor(metrics: Metrics, catalog: string) {
    super();
    const calls = (kind: "get" | "list" | "write") => metrics.storeCalls.labels({ catalog, kind });
    this.calls = { gets: calls("get"), lists: calls("list"), writes: calls("write") };
    this.bytes = metrics.storeBytes.labels({ catalog });
  }

  override begin(kind: "gets" | "lists" | "writes"): () => void {
    this.calls[kind].inc();
    return super.begin(kind);
  }

  override addListPages(n: number): void {
    this.calls.lists.inc(n);
    super.addListPages(n);
  }

  override addBytes(n: number): void {
    this.bytes.inc(n);
    super.addBytes(n);
  }
}

/**
 * The catalogs with their stores counted into `metrics`. Counting at the store, as the
 * per-request `extensions.io` does, means the totals are exactly the calls made, readiness
 * probes included.
 */
export function countedCatalogs(catalogs: readonly Catalog[], metrics: Metrics): Catalog[] {
  return catalogs.map((c) => ({ ...c, store: new CountingStore(c.store, new CatalogCallCounter(metrics, c.name)) }));
}

/** The answer to `GET /metrics`: the registry in Prometheus' text format. */
export async function metricsResponse(metrics: Metrics): Promise<Response> {
  const text = await metrics.registry.metrics();
  return new Response(text, { headers: { "content-type": metrics.registry.contentType } });
}

/** `GET /metrics` on the app's own listener. */
export function metricsEndpointPlugin(metrics: Metrics): Plugin {
  return {
    async onRequest({ url, request, endResponse }) {
      if (url.pathname !== "/metrics" || request.method !== "GET") return;
      endResponse(await metricsResponse(metrics));
    },
  };
}
