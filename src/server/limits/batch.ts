import type { Plugin } from "graphql-yoga";
import { limitError } from "./errors.js";

/**
 * Batched requests (a JSON array of operations, as Apollo's BatchHttpLink sends) hold at most
 * `max` operations; over it the request is refused whole (413) before any runs. Each operation
 * then meets every other limit as if it came alone.
 */
export function batchLimitPlugin(max: number): Plugin {
  return {
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (!Array.isArray(requestParserResult) || requestParserResult.length <= max) return;
          const n = requestParserResult.length;
          throw limitError("batch", max, n, `the batch holds ${n} operations, more than the ${max} allowed`, 413);
        },
      };
    },
  };
}
