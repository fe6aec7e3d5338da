// CORS over a real listener: what a browser sends (preflights with Origin and
// Access-Control-Request-*) and what it needs back, for each setting.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listen, type RunningServer } from "../src/server/http.js";
import { PREFLIGHT_MAX_AGE_SECONDS } from "../src/server/web/cors.js";
import type { CorsSetting } from "../src/server/web/index.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp } from "./support/app.js";

const GROUP = JSON.stringify({ zarr_format: 3, node_type: "group", attributes: {} });
const servers: RunningServer[] = [];

async function serve(cors?: CorsSetting): Promise<string> {
  const app = createApp({ catalogs: [catalog("c", new MemoryStore("memory://c", { "zarr.json": GROUP }))], cors });
  const server = await listen(app, 0, "127.0.0.1");
  servers.push(server);
  return server.url;
}

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type, x-zarr-io",
    },
  });

const query = (url: string, origin?: string) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": "page-1", ...(origin ? { origin } : {}) },
    body: JSON.stringify({ query: "{ catalogs { name } }" }),
  });

let anyOrigin: string;
let listed: string;
let off: string;

beforeAll(async () => {
  [anyOrigin, listed, off] = await Promise.all([
    serve(),
    serve(["https://app.example.org", "http://localhost:5173"]),
    serve(false),
  ]);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe("default: any origin may read, without credentials", () => {
  test("a preflight is answered 204, cacheable, for the method and headers asked", async () => {
    const response = await preflight(anyOrigin, "https://anywhere.example");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    expect(response.headers.get("access-control-allow-headers")).toBe("authorization, content-type, x-zarr-io");
    expect(response.headers.get("access-control-max-age")).toBe(String(PREFLIGHT_MAX_AGE_SECONDS));
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  test("an answer says * and exposes x-request-id, never allowing credentials", async () => {
    const response = await query(anyOrigin, "https://anywhere.example");
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("access-control-expose-headers")?.split(/,\s*/)).toContain("x-request-id");
    expect(response.headers.get("x-request-id")).toBe("page-1");
  });

  test("a request without Origin (not from a browser page) gets no CORS headers", async () => {
    const response = await query(anyOrigin);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("a list of origins", () => {
  test("an allowed origin is named back, with Vary: Origin", async () => {
    const pre = await preflight(listed, "http://localhost:5173");
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(pre.headers.get("vary")).toContain("Origin");
    const response = await query(listed, "http://localhost:5173");
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(response.headers.get("vary")).toContain("Origin");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  test("a disallowed origin gets no CORS headers at all (not even 'null')", async () => {
    const pre = await preflight(listed, "https://evil.example");
    expect(pre.status).toBe(204);
    for (const header of ["allow-origin", "allow-methods", "allow-headers", "max-age", "allow-credentials"]) {
      expect(pre.headers.get(`access-control-${header}`)).toBeNull();
    }
    const response = await query(listed, "https://evil.example");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-expose-headers")).toBeNull();
    // The sandboxed-document origin is not allowed either.
    expect((await query(listed, "null")).headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("off", () => {
  test("no CORS headers, and a preflight is refused", async () => {
    const pre = await preflight(off, "https://app.example.org");
    expect(pre.status).toBe(405);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    expect((await pre.json()).errors[0].extensions.code).toBe("BAD_REQUEST");
    const response = await query(off, "https://app.example.org");
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
