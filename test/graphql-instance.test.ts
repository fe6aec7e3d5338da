// Every import of graphql, ours and our dependencies', resolves to one module instance (its
// CommonJS build, which Node picks for every package), so graphql-js's own type checks
// (instanceof GraphQLError, isObjectType, ...) hold for objects made anywhere.
import { createRequire } from "node:module";
import { createGraphQLError } from "@graphql-tools/utils";
import * as graphql from "graphql";
import { expect, test } from "vitest";
import { buildSchema } from "../src/schema/index.js";

test("one graphql module instance, shared with the libraries", () => {
  const loadedByNode = createRequire(import.meta.url)("graphql") as typeof graphql;
  expect(graphql.GraphQLObjectType).toBe(loadedByNode.GraphQLObjectType);
  expect(graphql.GraphQLError).toBe(loadedByNode.GraphQLError);
  // A schema built by Pothos, an error made by graphql-tools (both load graphql themselves).
  const schema = buildSchema();
  expect(graphql.isSchema(schema)).toBe(true);
  expect(graphql.isObjectType(schema.getQueryType())).toBe(true);
  expect(createGraphQLError("x")).toBeInstanceOf(graphql.GraphQLError);
});
