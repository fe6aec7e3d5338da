import type { Plugin } from "graphql-yoga";
import { type Catalog, RequestScope } from "../hierarchy/catalog.js";

export const DEFAULT_READY_TIMEOUT_MS = 2_000;

/** One catalog's readiness: null when its root is readable, else why not. */
export type CatalogHealth = Map<string, string | null>;

/** Reads one catalog's root (a group or an array at ""), giving up after `timeoutMs`. */
async function rootProblem(catalog: Catalog, timeoutMs: number): Promise<string | null> {
  const signal = AbortSignal.timeout(timeoutMs);
  // A scope of its own, open to every catalog: readiness is the server's view, not a caller's.
  const scope = new RequestScope(new Map([[catalog.name, catalog]]), undefined, signal);
  let timer: NodeJS.Timeout | undefined;
  // A store that ignores the signal must not hold the answer up either.
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const read = scope
    .session(catalog.name, "ignore")
    .root()
    .then(
      (root) => (root ? null : "no Zarr group or array at the root"),
      (error: unknown) => (signal.aborted ? `no answer within ${timeoutMs} ms` : (error as Error).message),
    );
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every catalog's readiness, checked concurrently, in at most about `timeoutMs`. */
export async function checkCatalogs(catalogs: readonly Catalog[], timeoutMs: number): Promise<CatalogHealth> {
  const problems = await Promise.all(catalogs.map((c) => rootProblem(c, timeoutMs)));
  return new Map(catalogs.map((c, i) => [c.name, problems[i]]));
}

export interface ReadinessOptions {
  catalogs: readonly Catalog[];
  timeoutMs?: number;
  /** True once the server is shutting down: it stops being ready so balancers drain it. */
  draining?: () => boolean;
}

export function json(body: unknown, status: number): Response {
  return new Response(`${JSON.stringify(body)}\n`, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

/**
 * The answer to `GET /ready`: 200 `{"status":"ready"}` when every catalog's root can be read,
 * else 503 with the catalogs that failed and why; 503 "shutting down" once draining.
 */
export async function readinessResponse(options: ReadinessOptions): Promise<Response> {
  if (options.draining?.()) return json({ status: "shutting down" }, 503);
  const health = await checkCatalogs(options.catalogs, options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  const failed = Object.fromEntries([...health].filter(([, problem]) => problem !== null));
  if (Object.keys(failed).length === 0) return json({ status: "ready", catalogs: health.size }, 200);
  return json({ status: "unavailable", failed }, 503);
}

/**
 * `GET /ready` on the app's own listener (see readinessResponse). (`GET /health`, 200 while
 * the process serves at all, is yoga's own.) Both name catalogs, as the metrics do: keep them on
 * an operations network, or on the operations listener (ops-server.ts).
 */
export function readinessPlugin(options: ReadinessOptions): Plugin {
  return {
    async onRequest({ url, request, endResponse }) {
      if (url.pathname !== "/ready" || (request.method !== "GET" && request.method !== "HEAD")) return;
      endResponse(await readinessResponse(options));
    },
  };
}
