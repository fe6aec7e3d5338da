import { type DocumentNode, type ExecutionResult, getOperationAST, print } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { GraphQLContext } from "../resolvers/context.js";

interface Entry {
  result: ExecutionResult & { stringify?: (result: ExecutionResult) => string };
  dependencies: Map<string, Map<string, string | null>>;
}

/**
 * Serialising a large answer is most of what a repeat costs, so a kept answer carries its JSON
 * text; yoga uses a result's own `stringify` when it has one. A result that gained anything on
 * the way out (extensions such as `io`) is serialised afresh.
 */
function withCachedText(data: ExecutionResult["data"]): Entry["result"] {
  let text: string | undefined;
  return {
    data,
    stringify(result: ExecutionResult) {
      if (result.data !== data || result.errors || result.extensions) return JSON.stringify(result);
      text ??= JSON.stringify({ data });
      return text;
    },
  };
}

export interface ResponseCacheOptions {
  /** Answers kept (least recently used out first); 0 switches the cache off. */
  maxEntries: number;
}

/**
 * Repeats an earlier answer to the same query when every document it was built from still has
 * the same version. The check reads those documents again (one wave, counted like any read), so
 * an answer is never stale; what it saves is executing the query. Answers that rest on anything
 * a version cannot vouch for (listings, unversioned objects, errors) are not kept.
 */
export function responseCachePlugin(options: ResponseCacheOptions): Plugin<GraphQLContext> {
  const entries = new Map<string, Entry>();
  const printed = new WeakMap<DocumentNode, string>();
  const keyOf = (document: DocumentNode, operationName: string | null | undefined, variables: unknown, who: string) => {
    let text = printed.get(document);
    if (text === undefined) {
      text = print(document);
      printed.set(document, text);
    }
    return JSON.stringify([text, operationName ?? null, variables ?? null, who]);
  };
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      if (options.maxEntries <= 0) return;
      if (getOperationAST(args.document, args.operationName)?.operation !== "query") return;
      const ctx = args.contextValue as GraphQLContext & { request?: Request };
      // Who asks can change what is visible (read access per catalog): answers are per caller.
      const who = ctx.request?.headers.get("authorization") ?? "";
      const key = keyOf(args.document, args.operationName, args.variableValues, who);
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        if (await ctx.scope.unchanged(hit.dependencies)) {
          entries.set(key, hit);
          ctx.responseCacheHit = true;
          setResultAndStopExecution(hit.result);
          return;
        }
      }
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in (result as object)) return;
          const single = result as ExecutionResult;
          if (single.errors?.length || ctx.usesIndex) return;
          const dependencies = ctx.scope.dependencies();
          if (!dependencies) return;
          entries.set(key, { result: withCachedText(single.data), dependencies });
          for (const oldest of entries.keys()) {
            if (entries.size <= options.maxEntries) break;
            entries.delete(oldest);
          }
        },
      };
    },
  };
}
