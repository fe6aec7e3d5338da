// The search answer equals an independent, brute-force evaluation of the filter over every node
// of random hierarchies (random attributes: strings with unicode, numbers with int64 digits and
// 1 vs 1.0, nested objects, lists), for random filters using every operator with and/or/not
// nested, on both backends. The oracle (test/support/search-oracle.ts) shares no code with src/search.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../src/hierarchy/catalog.js";
import type { SearchIndex } from "../src/search/search-index.js";
import { SearchService } from "../src/search/service.js";
import type { App } from "../src/server/app.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, gql } from "./support/app.js";
import { BACKENDS } from "./support/search-backends.js";
import {
  ALL_DTYPES,
  DIMS,
  type Hierarchy,
  hierarchyArb,
  hierarchyFiles,
  KEYS,
  NAMES,
  NUMBERS,
  STRINGS,
} from "./support/search-hierarchy.js";
import { cmpStr, facetCounts, hasText, type ModelNode, printed, satisfies } from "./support/search-oracle.js";

const REGEXES = ["^a", "b$", "a.c", "[0-9]+", "^$", "É", "(K|k)", "^s.*e$", "σ", "x y", "\\d", "^[a-z_]+$", "😀"];
const LIKES = ["a%", "%b", "_", "%", "K", "%_%", "a\\_b", "sea%", "%É%", "%σ%", "___"];
const WORDS = [
  "sea",
  "surface",
  "temperature",
  "k",
  "é",
  "x",
  "y",
  "a",
  "b",
  "ab",
  "time",
  "σ",
  "units",
  "o",
  "1",
  "sst",
];

const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.constantFrom(...STRINGS),
    fc.constantFrom(...NUMBERS).map(Number),
    fc.array(tie("v"), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom("x", "y", "v"), tie("v"), { maxKeys: 2 }),
  ),
})).v;
const scalar = fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(...NUMBERS).map(Number));

const attributeMatch = fc.record(
  {
    key: fc.constantFrom(...KEYS, "o.x", "o.v", "l.0", "l.1", "o.x.0", "_ARRAY_DIMENSIONS", "_ARRAY_DIMENSIONS.0"),
    eq: jsonValue,
    ne: jsonValue,
    // [JSON!]: items are never null.
    in: fc.array(
      jsonValue.filter((v) => v !== null),
      { maxLength: 3 },
    ),
    notIn: fc.array(
      jsonValue.filter((v) => v !== null),
      { maxLength: 3 },
    ),
    lt: scalar,
    lte: scalar,
    gt: scalar,
    gte: scalar,
    contains: jsonValue,
    exists: fc.boolean(),
    like: fc.constantFrom(...LIKES),
    regex: fc.constantFrom(...REGEXES),
    caseSensitive: fc.boolean(),
  },
  { requiredKeys: ["key"] },
);

const stringMatch = fc.record(
  {
    eq: fc.constantFrom(...NAMES, "A", "é", "σigma", ""),
    like: fc.constantFrom(...LIKES),
    regex: fc.constantFrom(...REGEXES),
    caseSensitive: fc.boolean(),
  },
  { requiredKeys: [] },
);

const leafFilter = fc.oneof(
  fc.record({ nodeType: fc.constantFrom("GROUP", "ARRAY") }),
  fc.record({ zarrFormat: fc.constantFrom(2, 3) }),
  fc.record({ pathPrefix: fc.constantFrom("", "a", "ab", "a/b", "É", "t/a") }),
  fc.record({ name: stringMatch }),
  fc.record({ attribute: attributeMatch }),
  fc.record({ attribute: attributeMatch }),
  fc.record({ dataType: fc.subarray(ALL_DTYPES) }),
  fc
    .record(
      { eq: fc.integer({ min: 0, max: 3 }), gte: fc.integer({ min: 0, max: 3 }), lte: fc.integer({ min: 0, max: 3 }) },
      { requiredKeys: [] },
    )
    .map((ndim) => ({ ndim })),
  fc.record({ dimensionName: fc.constantFrom(...DIMS) }),
);

const filterArb: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ f: Record<string, unknown> }>((tie) => ({
  f: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafFilter,
    leafFilter,
    fc.tuple(leafFilter, leafFilter).map(([a, b]) => ({ ...a, ...b })),
    fc.array(tie("f"), { maxLength: 3 }).map((and) => ({ and })),
    fc.array(tie("f"), { maxLength: 3 }).map((or) => ({ or })),
    tie("f").map((not) => ({ not })),
  ),
})).f;

const caseArb = fc.record({
  filter: fc.option(filterArb, { nil: undefined }),
  text: fc.option(
    fc.subarray(WORDS, { maxLength: 2 }).map((w) => w.join(" _")),
    { nil: undefined },
  ),
});

const QUERY = `query ($filter: NodeFilter, $text: String, $first: Int, $after: String) {
  search(filter: $filter, text: $text, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { catalog path }
  }
}`;

interface Scenario {
  hierarchies: [Hierarchy, Hierarchy];
  cases: { filter?: Record<string, unknown>; text?: string }[];
  facetKey: string;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  hierarchies: fc.tuple(hierarchyArb, hierarchyArb),
  cases: fc.array(caseArb, { minLength: 1, maxLength: 8 }),
  facetKey: fc.constantFrom("units", "n", "o", "l", "l.0", "x", "nodeType", "dataType"),
});

/** JSON text with object keys sorted: objects are equal whatever their key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

let run = 0;

async function check(index: SearchIndex, scenario: Scenario): Promise<void> {
  run++;
  const names = [`r${run}a`, `r${run}b`];
  const catalogs: Catalog[] = scenario.hierarchies.map((h, i) =>
    catalog(names[i], new MemoryStore(`memory://${names[i]}`, hierarchyFiles(h))),
  );
  // The index outlives the scenario (one database per backend), so the service is not closed:
  // it has no timer (refreshMs null), and closing it would close the index.
  const search = new SearchService({ index, refreshMs: null, build: "never" });
  const app: App = createApp({ catalogs, search });
  await search.refreshAll();
  const all: { catalog: string; node: ModelNode }[] = scenario.hierarchies.flatMap((h, i) =>
    h.nodes.map((node) => ({ catalog: names[i], node })),
  );
  for (const c of scenario.cases) {
    const expected = all
      .filter(({ node }) => satisfies(c.filter, node) && hasText(c.text, node))
      .sort((a, b) => cmpStr(a.catalog, b.catalog) || cmpStr(a.node.path, b.node.path));
    const result = await gql(app, QUERY, { filter: c.filter, text: c.text, first: 1000 });
    expect(result.errors, JSON.stringify(c)).toBeUndefined();
    const got = result.data.search;
    expect(
      got.nodes.map((n: { catalog: string; path: string }) => [n.catalog, n.path]),
      JSON.stringify(c),
    ).toEqual(expected.map((e) => [e.catalog, e.node.path]));
    expect(got.totalCount).toBe(expected.length);
  }
  // Paging with cursors gives the same hits, and the facet counts are the oracle's.
  const c = scenario.cases[0];
  const pages: string[][] = [];
  let after: string | null = null;
  for (;;) {
    const page = await gql(app, QUERY, { filter: c.filter, text: c.text, first: 2, after });
    pages.push(...page.data.search.nodes.map((n: { catalog: string; path: string }) => [n.catalog, n.path]));
    if (!page.data.search.pageInfo.hasNextPage) break;
    after = page.data.search.pageInfo.endCursor;
  }
  const whole = await gql(app, QUERY, { filter: c.filter, text: c.text, first: 1000 });
  expect(pages).toEqual(whole.data.search.nodes.map((n: { catalog: string; path: string }) => [n.catalog, n.path]));
  const facets = await gql(
    app,
    `query ($filter: NodeFilter, $text: String, $key: String!) { search(filter: $filter, text: $text) { facets(key: $key, first: 1000) { value count } } }`,
    { filter: c.filter, text: c.text, key: scenario.facetKey },
  );
  const hits = all.filter(({ node }) => satisfies(c.filter, node) && hasText(c.text, node)).map((h) => h.node);
  const want = facetCounts(hits, scenario.facetKey).map((g) => stable([printed(g.value), g.count]));
  const got = facets.data.search.facets as { value: unknown; count: number }[];
  expect(got.map((g) => stable([g.value, g.count])).sort()).toEqual(want.sort());
  expect(got.map((g) => g.count)).toEqual([...got.map((g) => g.count)].sort((a, b) => b - a));
}

for (const backend of BACKENDS) {
  describe(`search answers as the filter says (${backend.name})`, () => {
    let index: SearchIndex;
    beforeAll(async () => {
      index = await backend.make();
    });
    afterAll(async () => {
      await index?.close();
    });

    it("random hierarchies and random filters: every answer equals a brute-force evaluation", async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, (s) => check(index, s)),
        { numRuns: 40, endOnFailure: true },
      );
    }, 240_000);
  });
}
