// The explorer at / in headless Chromium, offline: browsing, a node, deep links and history,
// the keyboard, "Copy as GraphQL", errors in place, paging, accessibility, and what is served.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, test } from "vitest";
import { ReadAccess } from "../src/hierarchy/access.js";
import { EXAMPLE_STORES } from "../src/server/example.js";
import { FileStore } from "../src/stores/file.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog } from "./support/app.js";
import {
  eventually,
  explorerHarness,
  offlinePage,
  pageAnswer,
  screenshot,
  seriousViolations,
} from "./support/explorer.js";
import { syntheticTree } from "./support/synthetic.js";

const TOKEN = "explorer-test-token-0123456789";

let brokenDir: string;

const explorer = explorerHarness(() => {
  // A copy of the bundled example with one malformed document, read without its consolidated
  // metadata so the malformed document is what answers for that node.
  brokenDir = mkdtempSync(path.join(tmpdir(), "zarr-graphql-broken-"));
  cpSync(EXAMPLE_STORES[0].url, brokenDir, { recursive: true });
  writeFileSync(path.join(brokenDir, "land/glacier/zarr.json"), '{"zarr_format": 3, "node_type": "group", ');
  // A group of 1,050 children: more than one page of members.
  const wide = syntheticTree({ fanout: 1050, depth: 1, arraysPerGroup: 0, format: 3, consolidated: true });
  return [
    ...EXAMPLE_STORES.map((s) => ({ ...catalog(s.name, new FileStore(s.url)), description: s.description })),
    catalog("broken", new FileStore(brokenDir), "ignore"),
    catalog("wide", new MemoryStore("memory://wide", wide.files)),
    { ...catalog("private", new FileStore(EXAMPLE_STORES[1].url)), read: new ReadAccess([TOKEN]) },
  ];
});
const { open, graphql } = explorer;

afterAll(() => {
  if (brokenDir) rmSync(brokenDir, { recursive: true, force: true });
});

const row = (page: Page, catalogName: string, nodePath: string) =>
  page.locator(`[role=treeitem][data-catalog="${catalogName}"][data-path="${nodePath}"]`);

describe("what the server serves", () => {
  test("the page at / (any query string) with a policy that allows this origin only; assets gzipped, revalidated by ETag", async () => {
    const page = await fetch(`${explorer.server.base}?catalog=climate&path=lat`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const policy = page.headers.get("content-security-policy")!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).toContain('src="explorer/app.js"');
    expect(html).not.toMatch(/https?:\/\//);

    const script = await fetch(`${explorer.server.base}explorer/app.js`, { headers: { "accept-encoding": "gzip" } });
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const etag = script.headers.get("etag")!;
    const again = await fetch(`${explorer.server.base}explorer/app.js`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);

    expect((await fetch(`${explorer.server.base}explorer/nothing.js`)).status).toBe(404);
    expect((await fetch(`${explorer.server.base}health`)).status).toBe(200);
    const api = await graphql("{ catalogs { name } }", {});
    expect(api.data.catalogs.map((c: { name: string }) => c.name)).toEqual(["broken", "climate", "legacy", "wide"]);
  });

  test("all of the page's JavaScript is under 200 KB gzipped", () => {
    const scripts = readdirSync(explorer.server.dir).filter((f) => f.endsWith(".js"));
    expect(scripts).toEqual(["app.js"]);
    const gzipped = scripts.reduce(
      (sum, f) => sum + gzipSync(readFileSync(path.join(explorer.server.dir, f))).length,
      0,
    );
    expect(gzipped).toBeLessThan(200 * 1024);
  });

  test("without a build, / says how to build the page (and the API still answers)", async () => {
    const { createApp } = await import("../src/server/app.js");
    const app = createApp({ catalogs: [], explorer: { dir: path.join(tmpdir(), "zarr-graphql-no-such-build") } });
    const response = await app.fetch("http://localhost/");
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("npm run build:explorer");
    const off = createApp({ catalogs: [], explorer: false });
    expect((await off.fetch("http://localhost/")).status).toBe(404);
  });
});

describe("in the browser", () => {
  test("browse: expand the bundled example two levels, open an array, see its shape", async () => {
    const page = await open();
    await eventually(() => page.locator("[role=treeitem]").count()).toBe(4);
    expect(await page.locator("main").textContent()).toContain("climate — Bundled format-3 example (consolidated)");
    await screenshot(page, "home");
    await row(page, "climate", "").click();
    await row(page, "climate", "atmosphere").click();
    const temperature = row(page, "climate", "atmosphere/temperature");
    await temperature.waitFor();
    expect(await row(page, "climate", "atmosphere").getAttribute("aria-expanded")).toBe("true");
    expect(await row(page, "climate", "atmosphere").getAttribute("aria-level")).toBe("2");
    expect(await temperature.getAttribute("aria-level")).toBe("3");
    expect(await temperature.textContent()).toContain("8,760 × 37 × 721 × 1,440 float32");
    await temperature.click();
    expect(new URL(page.url()).search).toBe("?catalog=climate&path=atmosphere/temperature");
    await eventually(() => page.locator("[data-field=shape]").textContent()).toBe(
      "8,760 × 37 × 721 × 1,440 (time, level, lat, lon)",
    );
    const facts = await page.locator("table[data-section=array]").textContent();
    expect(facts).toContain("1 × 1 × 181 × 360 — grid 8,760 × 37 × 4 × 4 = 5,185,920 chunks");
    expect(facts).toContain("24 × 37 × 181 × 360 — grid 365 × 1 × 4 × 4 = 5,840 shards, 24 × 37 × 1 × 1 chunks each");
    expect(facts).toContain("sharding_indexed");
    expect(await page.locator("[data-field=source]").textContent()).toBe("consolidated metadata");
    expect(await page.locator("[data-section=attributes]").textContent()).toContain("air_temperature");
    expect(await temperature.getAttribute("aria-selected")).toBe("true");
    // Its coordinates (inherited from the groups above) and its preview (all fill value here: the
    // bundled example writes no chunks for it, so the image is transparent).
    const coordinates = page.locator("[data-section=coordinates]");
    await eventually(() => coordinates.locator("tr[data-dimension=lat] a").textContent()).toBe("lat");
    expect(await coordinates.locator("tr[data-dimension=level] a").textContent()).toBe("atmosphere/level");
    await eventually(() => page.locator("[data-section=preview] img").getAttribute("src")).toMatch(
      /^data:image\/png;base64,/,
    );
    expect(await page.getByRole("slider").count()).toBe(2);
    await screenshot(page, "array");
  });

  test("attributes: nested values expand in place", async () => {
    const page = await open("?catalog=climate&path=ancillary");
    const attributes = page.locator("[data-section=attributes]");
    const provenance = attributes.locator("tr", { hasText: "provenance" }).first();
    await provenance.waitFor();
    const summary = provenance.locator("summary").first();
    expect(await summary.textContent()).toBe("4 keys: pipeline, version, validated, notes");
    expect(await provenance.locator("table").isVisible()).toBe(false);
    await summary.click();
    const nested = provenance.locator("table").first();
    expect(await nested.isVisible()).toBe(true);
    expect(await nested.locator("tr").allTextContents()).toEqual([
      "pipelinemake-example",
      "version[1,2,0]",
      "validatedtrue",
      "notesnull",
    ]);
  });

  test("a deep link opens the same node and reveals it in the tree; back and forward walk the history", async () => {
    const page = await open("?catalog=legacy&path=surface/tas");
    await eventually(() => page.locator("article.node h1").textContent()).toMatch(/^tas/);
    expect(await page.locator("[data-field=shape]").textContent()).toContain("(time, lat, lon)");
    const tas = row(page, "legacy", "surface/tas");
    await tas.waitFor();
    expect(await tas.getAttribute("aria-selected")).toBe("true");
    // Format 2: the document is .zarray, and the node came from .zmetadata.
    expect(await page.locator("article.node").textContent()).toContain(".zarray");
    await page.locator("nav[aria-label=Breadcrumb] a", { hasText: "surface" }).click();
    await eventually(() => new URL(page.url()).search).toBe("?catalog=legacy&path=surface");
    await eventually(() => page.locator("article.node h1").textContent()).toMatch(/^surface/);
    await page.goBack();
    await eventually(() => page.locator("article.node h1").textContent()).toMatch(/^tas/);
    await page.goForward();
    await eventually(() => page.locator("article.node h1").textContent()).toMatch(/^surface/);
    await page.goBack();
    await page.goBack();
    await eventually(() => page.url()).toBe("about:blank");
  });

  test("the tree works from the keyboard, with a visible focus", async () => {
    const page = await open();
    await row(page, "climate", "").waitFor();
    // Tab reaches the tree (one tab stop for the whole tree).
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.getAttribute("role") === "treeitem");
    }
    expect(reached).toBe(true);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-path") ?? null);
    const focusedCatalog = () => page.evaluate(() => document.activeElement?.getAttribute("data-catalog"));
    await eventually(focusedCatalog).toBe("broken");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("ArrowDown");
    await eventually(focusedCatalog).toBe("climate");
    await page.keyboard.press("ArrowRight"); // expand climate
    await row(page, "climate", "ancillary").waitFor();
    await page.keyboard.press("ArrowDown");
    await eventually(focused).toBe("ancillary");
    await page.keyboard.press("ArrowDown");
    await eventually(focused).toBe("atmosphere");
    await page.keyboard.press("ArrowRight"); // expand atmosphere
    await row(page, "climate", "atmosphere/level").waitFor();
    await page.keyboard.press("ArrowRight"); // to its first member
    await eventually(focused).toBe("atmosphere/level");
    await page.keyboard.press("Enter");
    await eventually(() => page.locator("article.node h1").textContent()).toMatch(/^level/);
    // Focus stays in the tree after opening a node.
    await eventually(focused).toBe("atmosphere/level");
    await page.keyboard.press("ArrowLeft"); // to the parent
    await eventually(focused).toBe("atmosphere");
    await page.keyboard.press("ArrowLeft"); // collapse it
    expect(await row(page, "climate", "atmosphere").getAttribute("aria-expanded")).toBe("false");
    expect(await row(page, "climate", "atmosphere/level").count()).toBe(0);
    await page.keyboard.press("End");
    await eventually(focused).toBe("");
    await eventually(focusedCatalog).toBe("wide");
  });

  test("Copy as GraphQL: the copied query and variables, run through /graphql, give the data the page shows", async () => {
    const offline = await explorer.pages.blank();
    const { page } = offline;
    const answer = await pageAnswer(page, "Node", () =>
      page.goto(`${explorer.server.base}?catalog=climate&path=atmosphere/temperature`),
    );
    await page.locator("details[data-operation=Node] summary").click();
    await page.locator("details[data-operation=Node] button[data-copy=query]").click();
    await eventually(() => page.locator("details[data-operation=Node] [role=status]").textContent()).toBe(
      "Query copied",
    );
    const query = await page.evaluate(() => navigator.clipboard.readText());
    await page.locator("details[data-operation=Node] button[data-copy=variables]").click();
    await eventually(() => page.locator("details[data-operation=Node] [role=status]").textContent()).toBe(
      "Variables copied",
    );
    const variables = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    expect(query).toMatch(/^query Node\(/);
    expect(variables).toEqual({ catalog: "climate", path: "atmosphere/temperature" });
    const ours = await graphql(query, variables);
    expect(ours.errors).toBeUndefined();
    expect(ours.data).toEqual(answer.data);
    expect(ours.data.catalog.node.shape).toEqual([8760, 37, 721, 1440]);
    await screenshot(page, "copy-as-graphql");

    // Every other panel on the page holds a query that runs as shown.
    await eventually(() => page.locator("details.gql").count()).toBe(6);
    const panels = await page.locator("details.gql").evaluateAll((all) =>
      all.map((d) => ({
        name: d.getAttribute("data-operation"),
        query: d.querySelector(".gql-query")!.textContent!,
        variables: d.querySelector(".gql-variables")!.textContent!,
      })),
    );
    expect(panels.map((p) => p.name).sort()).toEqual([
      "Catalogs",
      "Coordinates",
      "Extents",
      "Members",
      "Node",
      "Preview",
    ]);
    for (const panel of panels) {
      const result = await graphql(panel.query, JSON.parse(panel.variables));
      expect(result.errors, panel.name!).toBeUndefined();
    }
  });

  test("a broken node shows its error where it is; its siblings and the rest render", async () => {
    const page = await open("?catalog=broken&path=land");
    const glacier = row(page, "broken", "land/glacier");
    await glacier.waitFor();
    expect(await glacier.textContent()).toContain("INVALID_METADATA");
    expect(await glacier.getAttribute("title")).toContain('invalid metadata in "land/glacier/zarr.json"');
    for (const sibling of ["land/land_sea_mask", "land/orography", "land/soil"]) {
      expect(await row(page, "broken", sibling).count()).toBe(1);
    }
    await eventually(() => page.locator("article.node h1").textContent()).toMatch(/^land/);
    expect(await page.locator("article.node .error").count()).toBe(0);
    await glacier.click();
    const error = page.locator("article.node .error");
    await error.waitFor();
    expect(await error.textContent()).toContain("This node could not be read");
    expect(await error.textContent()).toContain("INVALID_METADATA");
    // The rest of the page is still there and still works.
    await row(page, "broken", "land/orography").click();
    await eventually(() => page.locator("[data-field=shape]").textContent()).toBe("721 × 1,440 (lat, lon)");
    await row(page, "broken", "land/glacier").click();
    await error.waitFor();
    await screenshot(page, "broken-node");
  });

  test("members come a page at a time: more… fetches the next", async () => {
    const page = await open("?catalog=wide");
    const children = page.locator('[role=treeitem][data-catalog=wide][aria-level="2"]');
    await eventually(() => children.count()).toBe(1000);
    const more = page.locator("[role=treeitem].tree-more");
    expect(await more.textContent()).toBe("more… (50 more)");
    expect(await children.first().getAttribute("aria-setsize")).toBe("1050");
    await more.click();
    await eventually(() => children.count()).toBe(1050);
    expect(await more.count()).toBe(0);
    expect(await children.last().getAttribute("aria-posinset")).toBe("1050");
  });

  test("a catalog that needs a token shows once the reader gives it (kept in the tab, sent as a bearer token)", async () => {
    const page = await open();
    await eventually(() => page.locator("[role=treeitem][aria-level='1']").count()).toBe(4);
    await page.locator("details.token summary").click();
    await page.getByLabel("Bearer token for catalogs that need one (kept in this tab only)").fill(TOKEN);
    await page.getByRole("button", { name: "Use" }).click();
    await eventually(() => page.locator("[role=treeitem][aria-level='1']").count()).toBe(5);
    await row(page, "private", "").click();
    await row(page, "private", "surface").click();
    await row(page, "private", "surface/tas").click();
    await eventually(() => page.locator("[data-field=shape]").textContent()).toContain("(time, lat, lon)");
    // Its queries name the header they need; without it the API knows no such catalog.
    const panel = page.locator("details[data-operation=Node]");
    await panel.locator("summary").click();
    expect(await panel.textContent()).toContain("Authorization: Bearer");
    const query = (await panel.locator(".gql-query").textContent())!;
    const variables = JSON.parse((await panel.locator(".gql-variables").textContent())!);
    expect((await graphql(query, variables)).errors[0].extensions.code).toBe("NOT_FOUND");
    await page.locator("details.token summary").click();
    await page.getByRole("button", { name: "Forget" }).click();
    await eventually(() => page.locator("[role=treeitem][aria-level='1']").count()).toBe(4);
  });

  test("on a server without the search and values APIs (its introspection says so) the page leaves them out", async () => {
    const offline = await explorer.pages.blank();
    const { page, context } = offline;
    // An older server: its schema has no Query.search, no ZarrArray.extent/preview, no ZarrGroup.dimensions.
    await context.route("**/graphql", async (route) => {
      if (route.request().postDataJSON()?.operationName !== "Capabilities") return route.continue();
      const response = await route.fetch();
      const body = await response.json();
      const drop = (type: any, names: string[]) => {
        type.fields = type.fields.filter((f: { name: string }) => !names.includes(f.name));
      };
      drop(body.data.query, ["search"]);
      drop(body.data.array, ["extent", "preview", "values"]);
      drop(body.data.group, ["dimensions"]);
      body.data.search = null;
      return route.fulfill({ response, json: body });
    });
    await page.goto(`${explorer.server.base}?catalog=climate&path=atmosphere/temperature`);
    await eventually(() => page.locator("[data-field=shape]").textContent()).toContain("8,760 × 37 × 721 × 1,440");
    await row(page, "climate", "atmosphere/temperature").waitFor();
    expect(await page.getByRole("search").count()).toBe(0);
    expect(await page.locator("[data-section=coordinates], [data-section=preview]").count()).toBe(0);
    // A search link on such a server says so instead of failing.
    await page.goto(`${explorer.server.base}?q=temperature`);
    await eventually(() => page.locator("main [role=alert]").textContent()).toBe("This server has no search API.");
  });

  test("axe-core finds no serious or critical violation in the main views", async () => {
    const views = [
      "",
      "?catalog=climate&path=atmosphere/temperature",
      "?catalog=climate&path=ancillary",
      "?catalog=broken&path=land/glacier",
    ];
    for (const view of views) {
      const page = await open(view);
      await page.locator("article").waitFor();
      await page.waitForFunction(() => !document.querySelector("[role=status]")?.textContent?.includes("Loading"));
      // Open every panel and nested value, so what they hold is checked too.
      await page.locator("details").evaluateAll((all) => {
        for (const d of all) (d as HTMLDetailsElement).open = true;
      });
      expect(await seriousViolations(page), view || "/").toEqual([]);
    }
  });

  test("nothing left this machine: no page asked for a host but loopback, and none failed", async () => {
    expect(explorer.pages.opened.length).toBeGreaterThan(5);
    for (const { outside, pageErrors } of explorer.pages.opened) {
      expect(outside).toEqual([]);
      expect(pageErrors).toEqual([]);
    }
    // The guard itself works: a request elsewhere is refused and recorded.
    const probe = await offlinePage(explorer.browser);
    const failed = await probe.page.evaluate(() =>
      fetch("http://192.0.2.1/x").then(
        () => false,
        () => true,
      ),
    );
    expect(failed).toBe(true);
    expect(probe.outside).toEqual(["http://192.0.2.1/x"]);
    await probe.context.close();
  });
});
