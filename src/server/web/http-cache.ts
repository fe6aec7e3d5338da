import { createHash } from "node:crypto";
import { type ExecutionResult, getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import { LRUCache } from "lru-cache";
import type { GraphQLContext } from "../../resolvers/context.js";
import { answerKey } from "../answer-key.js";
import { answerDependencies } from "../response-cache.js";
import { appendVary } from "./cors.js";

type Dependencies = Map<string, Map<string, string | null>>;

export interface HttpCacheOptions {
  /** How long browsers and caches may reuse a GET answer without asking (default 0: always revalidate). */
  maxAgeSeconds?: number;
  /**
   * What the answers' bytes depend on besides the query, the caller and the documents read:
   * the server's version and schema. Replicas of one version share ETags.
   */
  seed: string;
  /** ETags remembered for revalidation (least recently used out first). */
  maxEntries?: number;
}

/** What the plugin decided for one GET request, applied to its response. */
interface Decision {
  cacheControl: string;
  etag?: string;
  notModified?: boolean;
}

/** The entity tags of an If-None-Match header, weak or strong alike (as RFC 9110 compares them). */
function presentedTags(header: string): string[] {
  return header.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
}

function etagOf(seed: string, key: string, dependencies: Dependencies): string {
  const versions = [...dependencies]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([catalog, docs]) => [catalog, [...docs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  const digest = createHash("sha256").update(seed).update("\0").update(key).update("\0");
  return `"${digest.update(JSON.stringify(versions)).digest("base64url").slice(0, 32)}"`;
}

/**
 * HTTP caching of queries sent with GET (as persisted queries are): `Cache-Control` with the
 * configured max-age, `private` when the request carries a token (answers then depend on what
 * the token may read), and a strong `ETag` derived from the versions of every document the
 * answer was built from (`RequestScope.dependencies()`). A request whose `If-None-Match` names
 * such a tag re-reads only those documents (`RequestScope.unchanged`, one wave) and gets `304`
 * when none changed. Answers that rest on anything a version cannot vouch for (listings,
 * unversioned objects), that carry errors, or `extensions.io` (which differs per request) get
 * no ETag.
 */
export function httpCachePlugin(options: HttpCacheOptions): Plugin<GraphQLContext> {
  const maxAge = options.maxAgeSeconds ?? 0;
  const known = new LRUCache<string, Dependencies>({ max: options.maxEntries ?? 4096 });
  const decisions = new WeakMap<Request, Decision>();
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as GraphQLContext & { request?: Request };
      const request = ctx.request;
      if (request?.method !== "GET" || decisions.has(request)) return;
      if (getOperationAST(args.document, args.operationName)?.operation !== "query") return;
      const cacheControl = `${request.headers.has("authorization") ? "private" : "public"}, max-age=${maxAge}`;
      const decision: Decision = { cacheControl };
      decisions.set(request, decision);
      const key = answerKey(args);
      const asked = request.headers.get("if-none-match");
      if (asked) {
        for (const tag of presentedTags(asked)) {
          const dependencies = known.get(tag);
          if (!dependencies || etagOf(options.seed, key, dependencies) !== tag) continue;
          if (await ctx.scope.unchanged(dependencies)) {
            decision.etag = tag;
            decision.notModified = true;
            setResultAndStopExecution({});
            return;
          }
        }
      }
      if (request.headers.get("x-zarr-io") === "1") return;
      return {
        onExecuteDone({ result }) {
          if (decision.notModified || Symbol.asyncIterator in (result as object)) return;
          if ((result as ExecutionResult).errors?.length) {
            decision.cacheControl = "no-store";
            return;
          }
          const dependencies = answerDependencies(ctx);
          if (!dependencies) return;
          decision.etag = etagOf(options.seed, key, dependencies);
          known.set(decision.etag, dependencies);
        },
      };
    },
    onResultProcess({ request, setResultProcessor }) {
      const decision = decisions.get(request);
      if (!decision?.notModified) return;
      setResultProcessor((_result, fetchAPI) => new fetchAPI.Response(null, { status: 304 }), "application/json");
    },
    onResponse({ request, response }) {
      const decision = decisions.get(request);
      if (!decision) return;
      response.headers.set("cache-control", decision.cacheControl);
      if (decision.etag) response.headers.set("etag", decision.etag);
      appendVary(response.headers, "Authorization");
    },
  };
}
