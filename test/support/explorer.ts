// The explorer in a real browser: the page built afresh from src/explorer, served by the real
// app on loopback, opened in Debian's headless Chromium with every non-loopback request refused.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { buildExplorer } from "../../scripts/build-explorer.js";
import type { Catalog } from "../../src/hierarchy/catalog.js";
import { type AppOptions, createApp } from "../../src/server/app.js";
import { listen } from "../../src/server/http.js";
import { type HeadlessBrowser, launchBrowser } from "./browser.js";

/** Screenshots of the main views land here (ignored by git): the tests' artifacts. */
export const SCREENSHOTS = path.resolve(import.meta.dirname, "../../.tmp/screenshots");

export interface ExplorerServer {
  /** The page: http://127.0.0.1:PORT/ */
  base: string;
  graphql: string;
  /** Where the page was built for this server. */
  dir: string;
  close(): Promise<void>;
}

/** Builds the page into a temporary folder and serves it, with `catalogs`, on a free loopback port. */
export async function serveExplorer(catalogs: Catalog[], options: Partial<AppOptions> = {}): Promise<ExplorerServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "zarr-graphql-explorer-"));
  await buildExplorer(dir);
  const app = createApp({ catalogs, ...options, explorer: { dir } });
  const running = await listen(app, 0, "127.0.0.1");
  return {
    base: running.url.replace(/graphql$/, ""),
    graphql: running.url,
    dir,
    close: async () => {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

export interface OfflinePage {
  page: Page;
  context: BrowserContext;
  /** Every request the page tried to send off this machine (each refused). */
  outside: string[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
}

/**
 * A page in a fresh context that may use the clipboard, where any request to a host other than
 * loopback is refused and recorded: the explorer must work with no internet.
 */
export async function offlinePage(browser: HeadlessBrowser): Promise<OfflinePage> {
  const context = await browser.browser.newContext({
    permissions: ["clipboard-read", "clipboard-write"],
    viewport: { width: 1280, height: 860 },
  });
  const outside: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === "http:" || url.protocol === "https:") && !LOOPBACK.has(url.hostname)) {
      outside.push(url.href);
      return route.abort("blockedbyclient");
    }
    return route.continue();
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return { page, context, outside, pageErrors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page (evaluated through the browser's debugging protocol, which the page's
 * content security policy does not govern) and returns its serious and critical violations.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as any).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n: any) => String(n.target)),
    }));
  });
  return (violations as AxeViolation[]).filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** The data of the page's own answer to the operation `name` (read off the network). */
export async function pageAnswer(page: Page, name: string, action: () => Promise<unknown>): Promise<any> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/graphql") && r.request().postDataJSON()?.operationName === name),
    action(),
  ]);
  return response.json();
}

/** The pages a test file opens, each offline and recorded, so that none may reach off the machine. */
export class ExplorerPages {
  readonly opened: OfflinePage[] = [];

  constructor(
    private readonly browser: HeadlessBrowser,
    private readonly server: ExplorerServer,
  ) {}

  /** A new page, not yet navigated. */
  async blank(): Promise<OfflinePage> {
    const offline = await offlinePage(this.browser);
    this.opened.push(offline);
    return offline;
  }

  /** A new page at the explorer, `query` its query string ("?catalog=…"). */
  async open(query = ""): Promise<Page> {
    const { page } = await this.blank();
    await page.goto(`${this.server.base}${query}`);
    return page;
  }
}

/** Posts an operation to the server's /graphql as any client would; the parsed answer. */
export async function postGraphQL(server: ExplorerServer, query: string, variables: unknown = {}): Promise<any> {
  const response = await fetch(server.graphql, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

export interface ExplorerHarness {
  readonly server: ExplorerServer;
  readonly browser: HeadlessBrowser;
  readonly pages: ExplorerPages;
  open(query?: string): Promise<Page>;
  graphql(query: string, variables?: unknown): Promise<any>;
}

/**
 * For a test file: serves the explorer over `catalogs()` and starts the browser before its
 * tests (closing both after them); the handle opens offline pages and posts to /graphql.
 */
export function explorerHarness(catalogs: () => Catalog[] | Promise<Catalog[]>): ExplorerHarness {
  let server: ExplorerServer | undefined;
  let browser: HeadlessBrowser | undefined;
  let pages: ExplorerPages | undefined;
  beforeAll(async () => {
    server = await serveExplorer(await catalogs());
    browser = await launchBrowser();
    pages = new ExplorerPages(browser, server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
    get pages() {
      return pages!;
    },
    open: (query) => pages!.open(query),
    graphql: (query, variables) => postGraphQL(server!, query, variables),
  };
}

/**
 * expect.poll with room for a loaded machine: the page's answers arrive when they arrive, and
 * vitest's default (one second) is shorter than a busy CI's GraphQL round trip can be.
 */
export function eventually<T>(value: () => T | Promise<T>) {
  return expect.poll(value, { timeout: 15_000, interval: 50 });
}
