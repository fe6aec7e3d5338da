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

/** A GraphQLError: every import of graphql is one module (see test/graphql-instance.test.ts). */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError;
}
