import { expect } from "vitest";
import type { App } from "../../../src/server/app.js";
import { gql } from "../app.js";

export interface Case {
  selection: Record<string, number>[];
  shape: number[];
  data: unknown;
}

export interface Expected {
  dtype: string;
  cases: Case[];
}

/**
 * Asks `values` for every case of one array in one request (one alias per case) and checks
 * each answer's shape and data against numpy's, element for element.
 */
export async function expectValues(app: App, catalog: string, path: string, expected: Expected): Promise<void> {
  const { cases } = expected;
  const vars = cases.map((_, i) => `$s${i}: [DimSelection!]`).join(", ");
  const fields = cases
    .map((_, i) => `c${i}: values(selection: $s${i}, maxElements: 100000) { shape dataType data }`)
    .join("\n");
  const query = `query ($path: String!, ${vars}) {
    catalog(name: "${catalog}") { node(path: $path) { ... on ZarrArray { ${fields} } } }
  }`;
  const variables = Object.fromEntries(cases.map((c, i) => [`s${i}`, c.selection]));
  const result = await gql(app, query, { path, ...variables });
  expect(result.errors).toBeUndefined();
  const node = result.data.catalog.node;
  cases.forEach((c, i) => {
    const answer = node[`c${i}`];
    expect(answer.shape, `${path} selection ${JSON.stringify(c.selection)}`).toEqual(c.shape);
    expect(answer.data, `${path} selection ${JSON.stringify(c.selection)}`).toEqual(c.data);
  });
}
