// The explorer's coordinates and preview in headless Chromium, offline, over a hierarchy that
// zarr-python 2.13 writes here with numpy data: what the page shows is compared with numpy's own
// numbers for the same data.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, expect, test } from "vitest";
import { FileStore } from "../src/stores/file.js";
import { catalog } from "./support/app.js";
import { eventually, explorerHarness, pageAnswer, screenshot, seriousViolations } from "./support/explorer.js";

// A CF-style dataset: t2m(time, lat, lon) and its three coordinates, consolidated. Prints each
// time step's min and max as numpy computes them.
const WRITE = `
import json, sys
import numpy as np, zarr
root = zarr.open_group(sys.argv[1], mode="w")
lat = np.linspace(-89.5, 89.5, 90)
lon = np.arange(180) * 2.0
root.create_dataset("lat", data=lat, fill_value=None).attrs.update({"_ARRAY_DIMENSIONS": ["lat"], "units": "degrees_north"})
root.create_dataset("lon", data=lon, fill_value=None).attrs.update({"_ARRAY_DIMENSIONS": ["lon"], "units": "degrees_east"})
time = root.create_dataset("time", data=np.arange(4, dtype="i8") * 24, fill_value=None)
time.attrs.update({"_ARRAY_DIMENSIONS": ["time"], "units": "hours since 2024-01-01 00:00:00", "calendar": "standard"})
t = np.arange(4)[:, None, None]
la = np.deg2rad(lat)[None, :, None]
lo = np.deg2rad(lon)[None, None, :]
field = (250 + 40 * np.cos(la) + 8 * np.sin(2 * lo + t) * np.cos(la) + 5 * t).astype("f4")
t2m = root.create_dataset("t2m", data=field, chunks=(1, 45, 90), fill_value="NaN")
t2m.attrs.update({"_ARRAY_DIMENSIONS": ["time", "lat", "lon"], "units": "K", "long_name": "2 m temperature"})
root.attrs.update({"title": "explorer test", "history": "; ".join(f"step {i}: regridded and checked" for i in range(40))})
zarr.consolidate_metadata(root.store)
print(json.dumps([[float(field[i].min()), float(field[i].max())] for i in range(4)]))
`;

let dir: string;
let slices: [number, number][];

const explorer = explorerHarness(() => {
  dir = mkdtempSync(path.join(tmpdir(), "zarr-graphql-explorer-values-"));
  slices = JSON.parse(
    execFileSync("/usr/bin/python3", ["-c", WRITE, path.join(dir, "demo.zarr")], { encoding: "utf8" }),
  );
  return [catalog("demo", new FileStore(path.join(dir, "demo.zarr")))];
});
const { open, graphql } = explorer;

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** As the page prints numbers (en-US, at most three decimals). */
const shown = (n: number) => new Intl.NumberFormat("en-US").format(n);

const caption = (page: Page) => page.locator("[data-section=preview] figcaption").textContent();
const image = (page: Page) => page.locator("[data-section=preview] img").getAttribute("src");

test("coordinate extents per dimension, as numpy wrote them", async () => {
  const page = await open("?catalog=demo&path=t2m");
  const table = page.locator("[data-section=coordinates] table");
  await table.locator("tbody tr").first().waitFor();
  await eventually(() => table.locator("tr[data-dimension=lat] td").nth(2).textContent()).toBe("-89.5");
  const cells = async (name: string) => table.locator(`tr[data-dimension=${name}] td`).allTextContents();
  expect(await cells("lat")).toEqual(["90", "lat", "-89.5", "89.5", "2.011236", "degrees_north", "90"]);
  expect((await cells("lon")).slice(0, 5)).toEqual(["180", "lon", "0", "358", "2"]);
  expect(await table.locator("tr[data-dimension=lat] td").nth(4).getAttribute("title")).toBe(String(179 / 89));
  const time = await cells("time");
  expect(time[1]).toBe("time");
  expect(time[2]).toMatch(/^2024-01-01T00:00:00/);
  expect(time[3]).toMatch(/^2024-01-04T00:00:00/);
  expect(time[5]).toContain("(standard)");
  expect(time[6]).toBe("4");
  // A coordinate's own view shows its extent too.
  await table.locator("tr[data-dimension=lat] a").click();
  await eventually(() => page.locator("article.node h1").textContent()).toMatch(/^lat/);
  await eventually(() =>
    page.locator("[data-section=coordinates] tr[data-dimension=lat] td").nth(2).textContent(),
  ).toBe("-89.5");
});

test("a long attribute is folded, with a button for the rest", async () => {
  const page = await open("?catalog=demo");
  const history = page.locator("[data-section=attributes] tr", { hasText: "history" });
  await history.waitFor();
  const full = Array.from({ length: 40 }, (_, i) => `step ${i}: regridded and checked`).join("; ");
  const text = history.locator(".string");
  expect((await text.textContent())!.length).toBeLessThan(full.length);
  expect(full.startsWith((await text.textContent())!.replace(/…$/, ""))).toBe(true);
  await history.getByRole("button", { name: `show all ${full.length.toLocaleString("en-US")} characters` }).click();
  expect(await text.textContent()).toBe(full);
});

test("a preview of the array: a slider per leading dimension, a colour map to choose", async () => {
  const page = await open("?catalog=demo&path=t2m");
  await page.locator("[data-section=preview] img").waitFor();
  expect(await image(page)).toMatch(/^data:image\/png;base64,/);
  await eventually(() => caption(page)).toBe(
    `lat × lon · viridis · min ${shown(slices[0][0])} · max ${shown(slices[0][1])}`,
  );
  const first = await image(page);
  await screenshot(page, "preview");

  // The time slider, from the keyboard: the next time step, whose range numpy gave.
  const slider = page.getByRole("slider", { name: "time" });
  await slider.focus();
  await page.keyboard.press("ArrowRight");
  await eventually(() => caption(page)).toBe(
    `lat × lon · viridis · min ${shown(slices[1][0])} · max ${shown(slices[1][1])}`,
  );
  await page.keyboard.press("End");
  await eventually(() => caption(page)).toBe(
    `lat × lon · viridis · min ${shown(slices[3][0])} · max ${shown(slices[3][1])}`,
  );
  expect(await page.locator("[data-section=preview] output").textContent()).toBe("3 / 3");

  await page.getByLabel("Colour map").selectOption("magma");
  await eventually(() => caption(page)).toContain("magma");
  expect(await image(page)).not.toBe(first);
});

test("the preview's GraphQL panel holds the query that drew it, and it draws the same image", async () => {
  const offline = await explorer.pages.blank();
  const { page } = offline;
  const answer = await pageAnswer(page, "Preview", () => page.goto(`${explorer.server.base}?catalog=demo&path=t2m`));
  const panel = page.locator("details[data-operation=Preview]");
  await panel.locator("summary").click();
  const query = await panel.locator(".gql-query").textContent();
  const variables = JSON.parse((await panel.locator(".gql-variables").textContent())!);
  expect(variables.selection).toEqual([{ index: 0 }, {}, {}]);
  const ours = await graphql(query!, variables);
  expect(ours.errors).toBeUndefined();
  expect(ours.data).toEqual(answer.data);
  expect(await image(page)).toBe(ours.data.catalog.node.preview.dataUrl);
});

test("axe-core finds no serious violation in the values views; nothing left this machine", async () => {
  const page = await open("?catalog=demo&path=t2m");
  await page.locator("[data-section=preview] img").waitFor();
  await page.locator("[data-section=coordinates] tbody tr").first().waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  for (const { outside, pageErrors } of explorer.pages.opened) {
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  }
});
