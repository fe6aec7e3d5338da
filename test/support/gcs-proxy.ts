// A loopback HTTP proxy in front of the GCS emulator (started by the global setup) that records
// every request the real client sends, and can answer some itself: the emulator ignores
// preconditions and never fails, so what the client sends and how it takes failures is seen here.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GcsStore, type GcsStoreOptions } from "../../src/stores/gcs.js";

export const bucket = process.env.GCS_TEST_BUCKET ?? "zarr-graphql-test";

export function emulatorHost(): string {
  const host = process.env.STORAGE_EMULATOR_HOST;
  if (!host) throw new Error("STORAGE_EMULATOR_HOST is not set: the global setup did not start the GCS emulator");
  return host;
}

export function freshPrefix(): string {
  return `tests/${randomUUID()}`;
}

export interface Recorded {
  method: string;
  url: URL;
}

/**
 * A loopback HTTP proxy in front of the emulator that records every request and can answer
 * some itself (`intercept` returns a status to send instead of forwarding).
 */
export async function startProxy(intercept?: (req: Recorded) => { status: number; body?: unknown } | undefined) {
  const target = new URL(emulatorHost());
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const recorded = { method: req.method ?? "GET", url: new URL(req.url ?? "/", "http://proxy") };
    requests.push(recorded);
    const answer = intercept?.(recorded);
    if (answer) {
      req.resume();
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body ?? { error: { code: answer.status, message: "injected" } }));
      return;
    }
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A store whose client (made by GcsStore itself, with its retry settings) talks to `host`. */
export function storeVia(host: string, options: Partial<GcsStoreOptions> = {}): GcsStore {
  const saved = process.env.STORAGE_EMULATOR_HOST;
  process.env.STORAGE_EMULATOR_HOST = host;
  try {
    return new GcsStore({ bucket, prefix: freshPrefix(), timeoutMs: 5_000, retries: 2, ...options });
  } finally {
    process.env.STORAGE_EMULATOR_HOST = saved;
  }
}
