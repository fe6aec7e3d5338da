import type { Plugin } from "graphql-yoga";
import type { GraphQLContext } from "../resolvers/context.js";

/**
 * Adds `extensions.io` (store calls this request made: gets, lists, writes, bytes, waves) to
 * the response when the request sends `x-zarr-io: 1`; `responseCache: "hit"` when the answer was
 * a repeat (see response-cache.ts), whose gets are the version checks.
 */
export function ioExtensionPlugin(): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GraphQLContext & { request?: Request };
      if (ctx.request?.headers.get("x-zarr-io") !== "1") return;
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in (result as object)) return;
          const single = result as { extensions?: Record<string, unknown> };
          const io = { ...ctx.scope.io.snapshot(), ...(ctx.responseCacheHit ? { responseCache: "hit" } : {}) };
          setResult({ ...single, extensions: { ...single.extensions, io } } as never);
        },
      };
    },
  };
}
