// The index backends alone, through their interface: changes (upserts, removals, subtrees) are
// reflected exactly, including after the embedded index compacts its postings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFilter } from "../src/search/filter.js";
import type { SearchRecord } from "../src/search/record.js";
import type { SearchIndex } from "../src/search/search-index.js";
import { words } from "../src/search/text.js";
import { BACKENDS } from "./support/search-backends.js";

const record = (path: string, units: string, version = "1"): SearchRecord => ({
  catalog: "c",
  path,
  version,
  nodeType: "array",
  zarrFormat: 3,
  attributes: { units, note: `node ${path}` },
  dataType: "float32",
  ndim: 1,
  dimensionNames: ["x"],
});

for (const backend of BACKENDS) {
  describe(`index changes (${backend.name})`, () => {
    let index: SearchIndex;
    beforeAll(async () => {
      index = await backend.make();
    });
    afterAll(async () => {
      await index?.close();
    });

    it("upserts, removals and subtree removals, past a compaction, leave exactly the live nodes", async () => {
      const paths = Array.from({ length: 1500 }, (_, i) => `n${String(i).padStart(4, "0")}`);
      await index.apply("c", { upsert: paths.map((p) => record(p, "K")), remove: [] }, new Date(1000));
      // Remove 1,200 (more than the live ones left: the embedded index compacts), change 10, add a subtree.
      await index.apply("c", {
        upsert: [
          ...paths.slice(1200, 1210).map((p) => record(p, "degC", "2")),
          record("tree", "K"),
          record("tree/a", "K"),
        ],
        remove: paths.slice(0, 1200),
      });
      await index.apply("c", { upsert: [], remove: [], removeBelow: "tree" });
      const query = (filter: unknown, text = "") => ({
        filter: parseFilter(filter as never),
        words: words(text),
        catalogs: ["c"],
      });
      const kelvin = await index.search(query({ attribute: { key: "units", eq: "K" } }), 1000, null);
      expect(kelvin.totalCount).toBe(290);
      expect(kelvin.hits[0]).toEqual({ catalog: "c", path: "n1210" });
      const celsius = await index.search(query({ attribute: { key: "units", eq: "degC" } }, "node"), 5, null);
      expect(celsius.totalCount).toBe(10);
      expect(celsius.hits.map((h) => h.path)).toEqual(["n1200", "n1201", "n1202", "n1203", "n1204"]);
      expect(celsius.hasNextPage).toBe(true);
      const facets = await index.facets(query({}), "units", 10);
      expect(facets).toEqual([
        { value: "K", count: 290 },
        { value: "degC", count: 10 },
      ]);
      const versions = await index.versions("c");
      expect(versions.size).toBe(300);
      expect(versions.get("n1205")).toBe("2");
      expect(versions.has("n0000")).toBe(false);
      expect((await index.indexedAt("c"))?.getTime()).toBe(1000);
    });
  });
}
