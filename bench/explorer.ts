// The explorer in headless Chromium: first render of the bundled example, and expanding a group
// of about 1,000 children in a 10,000-node hierarchy. Times are taken in the page
// (performance.now(), after the frame that shows the rows). `npm run bench` runs this after
// its other tables (`--no-explorer` skips it); `tsx bench/explorer.ts` runs it alone.
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { EXAMPLE_STORES } from "../src/server/example.js";
import { FileStore } from "../src/stores/file.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog } from "../test/support/app.js";
import { launchBrowser } from "../test/support/browser.js";
import { offlinePage, serveExplorer } from "../test/support/explorer.js";
import { syntheticTree } from "../test/support/synthetic.js";
import { printAligned } from "./table.js";

const RUNS = Number(process.env.BENCH_EXPLORER_RUNS ?? 5);

// The root holds 1,000 groups and 9 arrays; each group 9 arrays: 10,010 nodes in all.
const BIG = { fanout: 1000, depth: 1, arraysPerGroup: 9, format: 3 as const };

// In-page code goes as text: tsx names the functions it compiles with a helper the page lacks.

/** Resolves, in the page, when `selector` matches at least `count` elements and a frame has shown them. */
const WAIT_FOR = `({ selector, count }) => new Promise((resolve) => {
  const done = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
  if (document.querySelectorAll(selector).length >= count) return done();
  const observer = new MutationObserver(() => {
    if (document.querySelectorAll(selector).length >= count) {
      observer.disconnect();
      done();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})`;

/**
 * Clicks the catalog's twisty, then "more…" whenever a page has shown, until every member shows:
 * [ms to the first page, ms to all, ms the first page's request took (sent to answer read)].
 */
const EXPAND_ALL = `({ root, name }) => new Promise((resolve) => {
  const rows = () => document.querySelectorAll('[role=treeitem][data-catalog="' + name + '"][aria-level="2"]').length;
  const more = () => document.querySelector("[role=treeitem].tree-more");
  const started = performance.now();
  let firstPage = -1;
  let pages = 0;
  let seen = 0;
  const watch = () => observer.observe(document, { childList: true, subtree: true, characterData: true });
  const observer = new MutationObserver(() => {
    const now = rows();
    const button = more();
    if (now === seen || (button && button.textContent === "Loading…")) return;
    seen = now;
    pages++;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => {
      if (firstPage < 0) firstPage = performance.now() - started;
      if (!button) {
        const request = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/graphql") && e.startTime >= started);
        return resolve([firstPage, performance.now() - started, request ? request.responseEnd - request.startTime : -1]);
      }
      watch();
      button.click();
    }));
  });
  watch();
  document.querySelector(root + " .twisty").click();
})`;

function inPage<T>(page: Page, source: string, args: unknown): Promise<T> {
  return page.evaluate(`(${source})(${JSON.stringify(args)})`) as Promise<T>;
}

function waitInPage(page: Page, selector: string, count: number): Promise<number> {
  return inPage(page, WAIT_FOR, { selector, count });
}

interface Timing {
  case: string;
  target: string;
  runs: number[];
  note?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** From navigation start (a new page, nothing cached) until `selector` shows `count` elements. */
async function firstRender(open: () => Promise<Page>, url: string, selector: string, count = 1): Promise<number> {
  const page = await open();
  await page.goto(url, { waitUntil: "commit" });
  const at = await waitInPage(page, selector, count);
  await page.context().close();
  return at;
}

/**
 * Opens / and expands the catalog whose root has 1,009 members: the time until the first page
 * shows, then until every member shows (clicking "more…" as a reader would, in the page).
 */
async function expandBig(open: () => Promise<Page>, base: string, name: string): Promise<[number, number, number]> {
  const page = await open();
  await page.goto(base);
  const root = `[role=treeitem][data-catalog="${name}"][data-path=""]`;
  await page.waitForSelector(root);
  const [first, all, request] = await inPage<[number, number, number]>(page, EXPAND_ALL, { root, name });
  const shown = await page.locator(`[role=treeitem][data-catalog="${name}"][aria-level="2"]`).count();
  if (shown !== 1009) throw new Error(`expected 1,009 members on screen, saw ${shown}`);
  await page.context().close();
  return [first, all, request];
}

export async function explorerBench(): Promise<void> {
  const consolidated = syntheticTree({ ...BIG, consolidated: true });
  const plain = syntheticTree(BIG);
  const server = await serveExplorer([
    ...EXAMPLE_STORES.map((s) => ({ ...catalog(s.name, new FileStore(s.url)), description: s.description })),
    catalog("big", new MemoryStore("memory://big", consolidated.files)),
    catalog("big-listed", new MemoryStore("memory://big-listed", plain.files)),
  ]);
  const browser = await launchBrowser();
  const open = async () => (await offlinePage(browser)).page;
  try {
    // One unmeasured round of every case: the browser's start-up, the server's first compile of
    // each query and first parse of each document are not what a reader waits for after that.
    await firstRender(open, server.base, "[role=treeitem]");
    await firstRender(open, `${server.base}?catalog=climate&path=atmosphere/temperature`, "[data-field=shape]");
    await expandBig(open, server.base, "big");
    await expandBig(open, server.base, "big-listed");
    const rows: Timing[] = [
      { case: "first render of / (catalogs in the tree)", target: "< 1,000 ms", runs: [] },
      {
        case: "deep link to climate/atmosphere/temperature (shape shown)",
        target: "< 1,000 ms",
        runs: [],
      },
      { case: "expand a group of 1,009 members: first 1,000 shown", target: "< 500 ms", runs: [] },
      { case: "  … of which the request (sent to answer read)", target: "", runs: [] },
      { case: "  … and the last 9 shown (more…)", target: "", runs: [] },
      { case: "the same without consolidated metadata: first 1,000", target: "< 500 ms", runs: [] },
      { case: "  … of which the request", target: "", runs: [] },
      { case: "  … and the last 9 shown", target: "", runs: [] },
    ];
    for (let i = 0; i < RUNS; i++) {
      rows[0].runs.push(await firstRender(open, server.base, "[role=treeitem]", 4));
      rows[1].runs.push(
        await firstRender(open, `${server.base}?catalog=climate&path=atmosphere/temperature`, "[data-field=shape]"),
      );
      for (const [at, name] of [
        [2, "big"],
        [5, "big-listed"],
      ] as const) {
        const [first, all, request] = await expandBig(open, server.base, name);
        rows[at].runs.push(first);
        rows[at + 1].runs.push(request);
        rows[at + 2].runs.push(all);
      }
    }
    console.log(
      `\nExplorer in headless Chromium (${RUNS} runs each; hierarchy of ${consolidated.nodes.length + 1} nodes, in memory)`,
    );
    const header = ["case", "median", "max", "target"];
    const lines = rows.map((r) => [
      r.case,
      `${median(r.runs).toFixed(0)} ms`,
      `${Math.max(...r.runs).toFixed(0)} ms`,
      r.target,
    ]);
    printAligned(header, lines);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await explorerBench();
