import type { Plugin } from "graphql-yoga";
import type { GraphQLContext } from "../resolvers/context.js";

/**
 * Adds `extensions.io` (store calls this request made: gets, lists, writes, bytes, waves) to
 * the response when the request sends `x-zarr-io: 1`.
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
          setResult({ ...single, extensions: { ...single.extensions, io: ctx.scope.io.snapshot() } } as never);
        },
      };
    },
  };
}
