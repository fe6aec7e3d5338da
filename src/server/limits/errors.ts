import type { GraphQLError } from "graphql";
import { createGraphQLError } from "graphql-yoga";
import { LimitExceededError } from "../../hierarchy/errors.js";

/**
 * A refusal in the API's one vocabulary, whichever phase refuses: LIMIT_EXCEEDED with
 * `extensions.limit`, `max` and `actual`. `status` sets the HTTP status where the refusal ends
 * the request before execution (yoga reads `extensions.http` and leaves it out of the body).
 * Made by yoga's own constructor: thrown from parsing, an error of another copy of graphql
 * would count as unexpected (500).
 */
export function limitError(
  limit: string,
  max: number,
  actual: number,
  message?: string,
  status?: number,
): GraphQLError {
  const refusal = new LimitExceededError(limit, max, actual, message);
  return createGraphQLError(refusal.message, {
    extensions: { ...refusal.details, code: refusal.code, ...(status ? { http: { status } } : {}) },
  });
}
