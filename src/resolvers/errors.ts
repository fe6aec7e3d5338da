import { GraphQLError } from "graphql";
import { ZarrError } from "../hierarchy/errors.js";

/**
 * The one place model errors become GraphQL errors: the code and the details a client may
 * act on go into `extensions`; causes (which may name server paths or credentials) stay out.
 */
export function toGraphQLError(error: unknown, located?: GraphQLError): GraphQLError | null {
  const original = isGraphQLError(error) && error.originalError ? error.originalError : error;
  if (original instanceof ZarrError) {
    return new GraphQLError(original.message, {
      nodes: located?.nodes,
      source: located?.source,
      positions: located?.positions,
      path: located?.path,
      extensions: { ...original.details, code: original.code },
    });
  }
  return null;
}

/**
 * graphql ships CommonJS and ESM builds and yoga may load the other one, so `instanceof
 * GraphQLError` is not reliable across that boundary: recognise the shape instead.
 */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return (
    error instanceof GraphQLError ||
    (error instanceof Error && error.name === "GraphQLError" && "extensions" in error && "path" in error)
  );
}
