import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Catalog } from "../hierarchy/catalog.js";
import { json, readinessResponse } from "./health.js";
import { listening, type RunningServer } from "./http.js";
import { countedCatalogs, type Metrics, metricsResponse } from "./metrics.js";

export interface OperationsListenerOptions {
  catalogs: readonly Catalog[];
  metrics: Metrics;
  readyTimeoutMs?: number;
  draining?: () => boolean;
}

/**
 * The operations listener (`--ops-port`): `/health`, `/ready` and `/metrics` on a port of their
 * own, so what names the catalogs (readiness failures, per-catalog metrics) need not share the
 * public one. Readiness probes count in the metrics as the app's own store calls do.
 */
export async function listenOperations(
  options: OperationsListenerOptions,
  port: number,
  host: string,
): Promise<RunningServer> {
  const readiness = {
    catalogs: countedCatalogs([...options.catalogs], options.metrics),
    timeoutMs: options.readyTimeoutMs,
    draining: options.draining,
  };
  const answer = (path: string): Promise<Response> | Response => {
    switch (path) {
      case "/health":
        return json({ status: "ok" }, 200);
      case "/ready":
        return readinessResponse(readiness);
      case "/metrics":
        return metricsResponse(options.metrics);
      default:
        return json({ status: "not found" }, 404);
    }
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://ops").pathname;
    const ok = request.method === "GET" || request.method === "HEAD";
    Promise.resolve(ok ? answer(path) : json({ status: "method not allowed" }, 405))
      .then(async (r) => {
        response.writeHead(r.status, Object.fromEntries(r.headers));
        response.end(request.method === "HEAD" ? undefined : Buffer.from(await r.arrayBuffer()));
      })
      .catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
  });
  return listening(server, port, host, "/");
}
