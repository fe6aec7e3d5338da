// The explorer's search in headless Chromium, offline: a word, facets that narrow the hits,
// an attribute key chosen as a facet, hits that open their node, and the query it shows.
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { EXAMPLE_STORES } from "../src/server/example.js";
import { FileStore } from "../src/stores/file.js";
import { catalog } from "./support/app.js";
import { eventually, explorerHarness, pageAnswer, screenshot, seriousViolations } from "./support/explorer.js";

const explorer = explorerHarness(() => EXAMPLE_STORES.map((s) => catalog(s.name, new FileStore(s.url))));
const { open, graphql } = explorer;

const hits = (page: Page) =>
  page.locator("ol.hits li.hit a").evaluateAll((links) => links.map((a) => a.textContent!.replace(/\/$/, "")));

/** What /graphql says of a hit's attribute, read from the node itself (not through search). */
async function attributeOf(hit: string, key: string): Promise<unknown> {
  const [catalogName, ...rest] = hit.split("/");
  const result = await graphql(
    `query ($c: String!, $p: String!, $k: String!) { catalog(name: $c) { node(path: $p) { attribute(key: $k) } } }`,
    { c: catalogName, p: rest.join("/"), k: key },
  );
  return result.data.catalog.node.attribute;
}

test("search a word from the box, narrow by a facet, widen again with back", async () => {
  const page = await open();
  const box = page.getByRole("searchbox", { name: "Search metadata" });
  await box.fill("temperature");
  await box.press("Enter");
  await eventually(() => new URL(page.url()).search).toBe("?q=temperature");
  const count = page.locator("p.count");
  await count.waitFor();
  const all = await hits(page);
  expect(all).toContain("climate/atmosphere/temperature");
  expect(all).toContain("legacy/surface/tas");
  expect(Number(await count.getAttribute("data-total"))).toBe(all.length);
  await screenshot(page, "search");

  // The units facet says how many hits have units "K"; choosing it leaves exactly those.
  const kelvin = page.locator('[data-facet=units] button[data-value="K"]');
  const expected = Number(await kelvin.locator(".count").textContent());
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(all.length);
  await kelvin.click();
  await eventually(() => new URL(page.url()).search).toBe("?q=temperature&a.units=K");
  await eventually(() => hits(page).then((h) => h.length)).toBe(expected);
  const narrowed = await hits(page);
  for (const hit of narrowed) {
    expect(all).toContain(hit);
    expect(await attributeOf(hit, "units")).toBe("K");
  }
  for (const hit of all.filter((h) => !narrowed.includes(h))) expect(await attributeOf(hit, "units")).not.toBe("K");
  expect(await page.locator('[data-facet=units] button[data-value="K"]').getAttribute("aria-pressed")).toBe("true");
  await screenshot(page, "search-faceted");

  // A second facet narrows further (and), the node type facet to arrays.
  await page.locator('[data-facet=nodeType] button[data-value="ARRAY"]').click();
  await eventually(() => new URL(page.url()).search).toBe("?q=temperature&a.units=K&type=ARRAY");
  await page.goBack();
  await page.goBack();
  await eventually(() => hits(page).then((h) => h.length)).toBe(all.length);
  expect(await page.locator("ul.chips").count()).toBe(0);
});

test("an attribute key chosen as a facet lists its values; a hit opens its node", async () => {
  const page = await open("?q=&type=ARRAY");
  await page.locator("p.count").waitFor();
  await page.getByLabel("Facet on an attribute").fill("standard_name");
  await page.getByRole("button", { name: "Add" }).click();
  const facet = page.locator("[data-facet=standard_name]");
  await facet.locator("button.facet-value").first().waitFor();
  const air = facet.locator('button[data-value="air_temperature"]');
  const expected = Number(await air.locator(".count").textContent());
  await air.click();
  await eventually(() => hits(page).then((h) => h.length)).toBe(expected);
  for (const hit of await hits(page)) expect(await attributeOf(hit, "standard_name")).toBe("air_temperature");
  expect(new URL(page.url()).searchParams.getAll("facet")).toEqual(["standard_name"]);
  // A hit is a link to its node.
  await page.locator("ol.hits a", { hasText: "atmosphere/temperature" }).click();
  await eventually(() => new URL(page.url()).search).toBe("?catalog=climate&path=atmosphere/temperature");
  await eventually(() => page.locator("[data-field=shape]").textContent()).toContain("8,760 × 37 × 721 × 1,440");
});

test("the search's GraphQL panel holds the query that produced it, and it runs to the same data", async () => {
  const offline = await explorer.pages.blank();
  const { page } = offline;
  const answer = await pageAnswer(page, "Search", () => page.goto(`${explorer.server.base}?q=wind&a.units=m%20s-1`));
  const panel = page.locator("details[data-operation=Search]");
  await panel.locator("summary").click();
  const query = await panel.locator(".gql-query").textContent();
  const variables = JSON.parse((await panel.locator(".gql-variables").textContent())!);
  expect(variables.text).toBe("wind");
  expect(variables.filter).toEqual({ attribute: { key: "units", eq: "m s-1" } });
  const ours = await graphql(query!, variables);
  expect(ours.errors).toBeUndefined();
  expect(ours.data).toEqual(answer.data);
  expect(ours.data.search.totalCount).toBeGreaterThan(0);
});

test("axe-core finds no serious violation in the search view; nothing left this machine", async () => {
  const page = await open("?q=temperature&a.units=K&facet=standard_name");
  await page.locator("p.count").waitFor();
  await page.locator("details").evaluateAll((all) => {
    for (const d of all) (d as HTMLDetailsElement).open = true;
  });
  expect(await seriousViolations(page)).toEqual([]);
  for (const { outside, pageErrors } of explorer.pages.opened) {
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  }
});
