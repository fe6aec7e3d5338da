import type { GraphQLError } from "graphql";
import { LimitExceededError } from "../../hierarchy/errors.js";
import { toGraphQLError } from "../../resolvers/errors.js";

/**
 * A refusal in the API's one vocabulary, whichever phase refuses: LIMIT_EXCEEDED with
 * `extensions.limit`, `max` and `actual`. `status` sets the HTTP status where the refusal ends
 * the request before execution (yoga reads `extensions.http` and leaves it out of the body).
 */
export function limitError(
  limit: string,
  max: number,
  actual: number,
  message?: string,
  status?: number,
): GraphQLError {
  const error = toGraphQLError(new LimitExceededError(limit, max, actual, message))!;
  if (status) error.extensions.http = { status };
  return error;
}
