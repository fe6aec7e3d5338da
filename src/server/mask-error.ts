import { type ExecutionResult, GraphQLError } from "graphql";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import type { Logger } from "pino";
import { isGraphQLError, toGraphQLError } from "../resolvers/errors.js";
import { logHiddenCause } from "./error-log.js";
import { requestInfo } from "./request-info.js";

/**
 * graphql-js and graphql-jit word every refusal of a request's variables (wrong type, missing,
 * null for a non-null type) this way, and give it no code: it is the caller's input.
 */
const VARIABLE_COERCION = /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" /;

/** What a masked error still owes the log, once its request's id is known. */
type PendingLog = (requestId: string) => void;

/**
 * yoga's error masking, done our way: model errors become their typed GraphQL errors (causes to
 * the log), refusals of the request's own input get `BAD_USER_INPUT`, and anything unexpected is
 * logged with its detail and answered `INTERNAL_SERVER_ERROR` without it, naming the request.
 *
 * yoga's maskError is not told which request it masks for, so what it owes the log waits on
 * the masked error and `plugin` settles it (with the request's id) as the result goes out.
 */
export function errorMasking(logger: Logger | undefined): {
  maskError: (error: unknown, message: string) => Error;
  plugin: Plugin;
} {
  const pending = new WeakMap<object, PendingLog>();
  const maskError = (error: unknown, message: string): Error => {
    const located = isGraphQLError(error) ? error : undefined;
    const mapped = toGraphQLError(error, located);
    if (mapped) {
      if (logger) pending.set(mapped, (requestId) => logHiddenCause(logger, error, requestId));
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
    const extensions: { code: string; requestId?: string } = { code: "INTERNAL_SERVER_ERROR" };
    const masked = new GraphQLError(message, { nodes: located?.nodes, path: located?.path, extensions });
    pending.set(masked, (requestId) => {
      extensions.requestId = requestId;
      logger?.error({ err: original, requestId }, "unexpected error while resolving");
    });
    return masked;
  };
  const settle = (result: ExecutionResult, requestId: () => string) => {
    for (const error of result.errors ?? []) {
      const log = pending.get(error);
      if (!log) continue;
      pending.delete(error);
      log(requestId());
    }
  };
  const plugin: Plugin = {
    onResultProcess({ request, result }) {
      const id = () => requestInfo(request).id;
      if (Array.isArray(result)) for (const one of result) settle(one, id);
      else if (result && "errors" in result) settle(result as ExecutionResult, id);
    },
  };
  return { maskError, plugin };
}
