import { GraphQLError } from "graphql";
import { createGraphQLError } from "graphql-yoga";
import type { Logger } from "pino";
import { isGraphQLError, toGraphQLError } from "../resolvers/errors.js";
import { logHiddenCause } from "./error-log.js";
import { currentRequest } from "./request-info.js";

/**
 * graphql-js and graphql-jit word every refusal of a request's variables (wrong type, missing,
 * null for a non-null type) this way, and give it no code: it is the caller's input.
 */
const VARIABLE_COERCION = /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" /;

/**
 * yoga's error masking, done our way: model errors become their typed GraphQL errors (causes to
 * the log), refusals of the request's own input get `BAD_USER_INPUT`, and anything unexpected is
 * logged with its detail and answered `INTERNAL_SERVER_ERROR` without it.
 */
export function maskErrorWith(logger: Logger | undefined) {
  return (error: unknown, message: string): Error => {
    const requestId = currentRequest()?.id;
    const located = isGraphQLError(error) ? error : undefined;
    const mapped = toGraphQLError(error, located);
    if (mapped) {
      logHiddenCause(logger, error, requestId);
      return mapped;
    }
    if (located && !located.originalError) {
      if (!located.path && located.extensions?.code === undefined && VARIABLE_COERCION.test(located.message)) {
        // yoga's own constructor: an error of another copy of graphql would count as unexpected (500).
        return createGraphQLError(located.message, {
          nodes: located.nodes,
          source: located.source,
          positions: located.positions,
          extensions: { ...located.extensions, code: "BAD_USER_INPUT" },
        });
      }
      return located;
    }
    const original = located ? located.originalError : error;
    // graphql-jit lets a custom scalar's refusal of a variable (SafeInt given 1.5) through
    // unwrapped: with no field path it came from coercing the request's input, not a resolver.
    if (!located?.path && isGraphQLError(original)) {
      return createGraphQLError(original.message, { extensions: { code: "BAD_USER_INPUT" } });
    }
    logger?.error({ err: original, requestId }, "unexpected error while resolving");
    return new GraphQLError(message, {
      nodes: located?.nodes,
      path: located?.path,
      extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
    });
  };
}
