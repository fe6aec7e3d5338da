// In a real headless Chromium (Debian's, driven by playwright-core): GraphiQL served by the
// server itself with every request beyond loopback blocked, and pages of other origins reading
// the API as CORS lets them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type App, createApp } from "../src/server/app.js";
import { EXAMPLE_QUERY, EXAMPLE_STORES } from "../src/server/example.js";
import { FileStore } from "../src/stores/file.js";
import { catalog } from "./support/app.js";
import { type HeadlessBrowser, launchBrowser } from "./support/browser.js";
import { serveDirectory } from "./support/static-server.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

let browser: HeadlessBrowser;
const closers: (() => Promise<void>)[] = [];

/** Serves the app on loopback, recording each request's method. */
async function serve(app: App): Promise<{ url: string; methods: string[] }> {
  const methods: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    methods.push(req.method ?? "");
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, methods };
}

const exampleCatalogs = () => EXAMPLE_STORES.map((s) => catalog(s.name, new FileStore(s.url)));

/** A browser context that lets only loopback requests out, recording every other one it stopped. */
async function offlineContext(): Promise<{ context: BrowserContext; blocked: string[] }> {
  const context = await browser.browser.newContext();
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (LOOPBACK.has(url.hostname)) return route.continue();
    blocked.push(url.href);
    return route.abort("internetdisconnected");
  });
  closers.push(() => context.close());
  return { context, blocked };
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await browser?.close();
});

describe("GraphiQL without a CDN", () => {
  test("opens at /graphql with no request beyond loopback, runs the default query and shows the bundled example", {
    timeout: 120_000,
  }, async () => {
    const api = await serve(createApp({ catalogs: exampleCatalogs(), defaultQuery: EXAMPLE_QUERY }));
    const { context, blocked } = await offlineContext();
    const page = await context.newPage();
    await page.goto(api.url, { timeout: 60_000 });
    await page.locator('button[aria-label^="Execute query"]').click({ timeout: 60_000 });
    // What the pane shows, as laid out; Monaco lays text out with non-breaking spaces.
    // biome-ignore lint/performance/useDomNodeTextContent: playwright's innerText is the rendered text, wanted here
    const shown = async () => (await page.locator(".graphiql-response").innerText()).replace(/\s+/g, " ");
    await expect.poll(shown, { timeout: 30_000 }).toContain('"name": "climate"');
    const text = await shown();
    expect(text).toContain('"consolidated": true');
    expect(text).toContain("Synthetic hourly global climate sample");
    expect(text).not.toContain('"errors"');
    expect(blocked).toEqual([]);
  });
});

describe("pages of other origins", () => {
  let site: { base: string; close(): Promise<void> };
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "zarr-graphql-page-"));
    writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>a front end</title>");
    site = await serveDirectory(dir);
    closers.push(() => site.close());
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** What the page at `site` gets from fetching `url` with a bearer token and JSON (a preflighted request). */
  async function fetchFromPage(url: string) {
    // No request interception here: with it, playwright answers preflights itself.
    const context = await browser.browser.newContext();
    closers.push(() => context.close());
    const page = await context.newPage();
    await page.goto(`${site.base}/index.html`);
    return page.evaluate(async (api) => {
      try {
        const response = await fetch(api, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer page-token-0123456789" },
          body: JSON.stringify({ query: "{ catalogs { name } }" }),
        });
        return {
          status: response.status,
          requestId: response.headers.get("x-request-id"),
          body: await response.json(),
        };
      } catch (error) {
        return { failed: String(error) };
      }
    }, url);
  }

  test("by default any origin reads the answer and its x-request-id, after a preflight", async () => {
    const api = await serve(createApp({ catalogs: exampleCatalogs() }));
    const result = await fetchFromPage(api.url);
    expect(result).toMatchObject({
      status: 200,
      body: { data: { catalogs: [{ name: "climate" }, { name: "legacy" }] } },
    });
    expect((result as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(api.methods).toEqual(["OPTIONS", "POST"]);
  });

  test("a listed origin reads; an unlisted one is refused the answer by the browser", async () => {
    const allowing = await serve(createApp({ catalogs: exampleCatalogs(), cors: [site.base] }));
    expect(await fetchFromPage(allowing.url)).toMatchObject({ status: 200 });
    const refusing = await serve(createApp({ catalogs: exampleCatalogs(), cors: ["https://elsewhere.example"] }));
    const refused = await fetchFromPage(refusing.url);
    expect(refused).toEqual({ failed: expect.stringContaining("Failed to fetch") });
    // The preflight was answered without permission, so the browser never sent the query.
    expect(refusing.methods).toEqual(["OPTIONS"]);
  });
});
