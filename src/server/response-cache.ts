import { type ExecutionResult, getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { GraphQLContext } from "../resolvers/context.js";
import { answerKey } from "./answer-key.js";

type Dependencies = Map<string, Map<string, string | null>>;

interface Entry {
  result: ExecutionResult & { stringify?: (result: ExecutionResult) => string };
  dependencies: Dependencies;
}

/** The dependencies a repeated answer was checked against, by the operation's context. */
const repeated = new WeakMap<object, Dependencies>();

/**
 * The documents (and versions) an operation's answer rests on, or null when no version can
 * vouch for it: those a repeat was checked against, else what its execution read. (Checking a
 * repeat re-reads documents without recording them in the scope's dependencies.)
 */
export function answerDependencies(ctx: GraphQLContext): Dependencies | null {
  return repeated.get(ctx) ?? ctx.scope.dependencies();
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
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      if (options.maxEntries <= 0) return;
      if (getOperationAST(args.document, args.operationName)?.operation !== "query") return;
      const ctx = args.contextValue as GraphQLContext;
      const key = answerKey(args);
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        if (hit.dependencies.size === 0 || (await ctx.scope.unchanged(hit.dependencies))) {
          entries.set(key, hit);
          ctx.responseCacheHit = true;
          repeated.set(ctx, hit.dependencies);
          setResultAndStopExecution(hit.result);
          return;
        }
      }
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in (result as object)) return;
          const single = result as ExecutionResult;
          if (single.errors?.length || ctx.usesIndex) return;
          const read = ctx.scope.dependencies();
          if (!read) return;
          // Catalogs whose documents it read none of need no check (nor a reader built to check them).
          const dependencies = new Map([...read].filter(([, documents]) => documents.size > 0));
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
