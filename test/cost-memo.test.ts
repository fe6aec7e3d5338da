// The cost estimate is computed once per operation and per values of the variables it reads,
// and still refuses exactly what the estimate refuses.
import { parse } from "graphql";
import { describe, expect, test } from "vitest";
import { buildSchema } from "../src/schema/index.js";
import { estimateCost } from "../src/server/limits/cost.js";
import { memoizedEstimate } from "../src/server/limits/cost-memo.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, gql } from "./support/app.js";
import { syntheticTree } from "./support/synthetic.js";

const QUERY = `query ($key: String!, $first: Int, $depth: Int = 0) { catalog(name: "t") { root { attribute(key: $key)
  ... on ZarrGroup { members(first: $first, maxDepth: $depth) { nodes { path } } } } } }`;

describe("memoized cost estimate", () => {
  test("variables the estimate does not read do not cause a new estimate; those it reads do", () => {
    let estimates = 0;
    const counted: typeof estimateCost = (...args) => {
      estimates++;
      return estimateCost(...args);
    };
    const estimate = memoizedEstimate(counted);
    const schema = buildSchema();
    const document = parse(QUERY);
    const cost = (variables: Record<string, unknown>) =>
      estimate(schema, document, null, variables, { maxObjects: 100_000 });
    const first = cost({ key: "a", first: 10 })!;
    for (const key of ["b", "c", "d"]) expect(cost({ key, first: 10 })).toBe(first);
    expect(estimates).toBe(1);
    expect(cost({ key: "a", first: 1000 })).toBeGreaterThan(first);
    expect(estimates).toBe(2);
    // null is not the same as absent: absent takes the default (0), null walks everything.
    expect(cost({ key: "a", first: 10, depth: null })).toBeGreaterThan(first);
    expect(cost({ key: "a", first: 10, depth: undefined })).toBe(first);
    expect(estimates).toBe(3);
  });

  test("the server refuses by the values of each request", async () => {
    const tree = syntheticTree({ fanout: 2, depth: 2, arraysPerGroup: 1, format: 3 });
    const app = createApp({
      catalogs: [catalog("t", new MemoryStore("memory://t", tree.files))],
      limits: { cost: 500 },
    });
    const answer = (variables: Record<string, unknown>) => gql(app, QUERY, variables);
    expect((await answer({ key: "x", first: 10 })).errors).toBeUndefined();
    const refused = await answer({ key: "y", first: 10, depth: null });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "cost", max: 500 });
    expect((await answer({ key: "z", first: 10 })).errors).toBeUndefined();
  });
});
