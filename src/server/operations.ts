import type { Plugin } from "graphql-yoga";
import type { Logger } from "pino";
import type { Catalog } from "../hierarchy/catalog.js";
import { readinessPlugin } from "./health.js";
import { type Metrics, metricsEndpointPlugin } from "./metrics.js";
import { observePlugin, type RequestSink } from "./observe.js";
import { requestLog } from "./request-log.js";

export interface OperationsOptions {
  /** Where the counts go (default: a registry of the app's own, with process metrics). */
  metrics?: Metrics;
  /** How long /ready waits for the catalogs' roots. */
  readyTimeoutMs?: number;
  /** True once shutdown has begun: /ready answers 503 from then on. */
  draining?: () => boolean;
  /** /ready and /metrics are served on a listener of their own (ops-server.ts), not the app's. */
  separate?: boolean;
}

/** /ready and /metrics (unless served separately), and metrics and a log line for every GraphQL request. */
export function operationsPlugins(
  catalogs: readonly Catalog[],
  metrics: Metrics,
  logger: Logger | undefined,
  options: OperationsOptions = {},
): Plugin[] {
  const sinks: RequestSink[] = [(facts, response) => metrics.record(facts, response.status)];
  if (logger) sinks.push(requestLog(logger));
  const observe = observePlugin("/graphql", sinks);
  if (options.separate) return [observe];
  return [
    readinessPlugin({ catalogs, timeoutMs: options.readyTimeoutMs, draining: options.draining }),
    metricsEndpointPlugin(metrics),
    observe,
  ];
}
