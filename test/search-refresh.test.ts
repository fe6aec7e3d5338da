// Indexing reads through the server's document cache: a refresh of a catalog nobody changed asks
// the store about each document (a stat) and reads and parses none of them again.
import { expect, test } from "vitest";
import { SearchService } from "../src/search/service.js";
import { createApp } from "../src/server/app.js";
import { CountingStore } from "../src/stores/counting.js";
import { FileStore } from "../src/stores/file.js";
import { IoCounter } from "../src/stores/io-counter.js";
import { catalog, fixture } from "./support/app.js";

test("a refresh of an unchanged catalog reads no document body", async () => {
  const counter = new IoCounter();
  // Written long ago by zarr-python, read in place: no timestamp is recent enough to be doubted.
  const store = new CountingStore(new FileStore(fixture("zarr-python-2.13", "tree.zarr"), { racyMs: 0 }), counter);
  const search = new SearchService({ refreshMs: null });
  createApp({ catalogs: [catalog("c", store, "ignore")], search });

  const first = await search.refresh("c");
  expect(first.nodes).toBeGreaterThan(3);
  expect(counter.counts.bytes).toBeGreaterThan(0);

  const before = { ...counter.counts };
  const again = await search.refresh("c");
  expect(again).toEqual({ ...first, changed: 0 });
  expect(counter.counts.gets - before.gets).toBeGreaterThan(0);
  expect(counter.counts.bytes - before.bytes).toBe(0);
});
