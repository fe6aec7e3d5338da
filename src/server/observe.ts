import { getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { RequestScope } from "../hierarchy/catalog.js";
import type { GraphQLContext } from "../resolvers/context.js";
import type { IoCounts } from "../stores/io-counter.js";

/** What the server learnt about one GraphQL request while answering it. */
export class RequestFacts {
  readonly startedAt = performance.now();
  /** query, mutation or subscription; "unknown" when the request never reached execution. */
  operation = "unknown";
  operationName: string | null = null;
  requestId: string | null = null;
  /** extensions.code of every error in the response ("UNKNOWN" for an error without one). */
  readonly errorCodes: string[] = [];
  /** Each operation's scope, once its execution began (a batch has several): store calls are in `scope.io`. */
  readonly scopes: RequestScope[] = [];

  seconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** The store calls of all the request's operations; undefined when none executed. */
  io(): IoCounts | undefined {
    if (this.scopes.length <= 1) return this.scopes[0]?.io.snapshot();
    const total: IoCounts = { gets: 0, lists: 0, writes: 0, bytes: 0, waves: 0 };
    for (const scope of this.scopes) {
      const counts = scope.io.snapshot();
      for (const k of Object.keys(total) as (keyof IoCounts)[]) total[k] += counts[k];
    }
    return total;
  }
}

/** Receives each GraphQL request's facts once its response is ready. */
export type RequestSink = (facts: RequestFacts, response: Response) => void;

function codesOf(result: unknown): string[] {
  if (!result || typeof result !== "object" || Symbol.asyncIterator in result) return [];
  const results = Array.isArray(result) ? result : [result];
  return results.flatMap((r: { errors?: readonly { extensions?: { code?: unknown } }[] }) =>
    (r.errors ?? []).map((e) => (typeof e.extensions?.code === "string" ? e.extensions.code : "UNKNOWN")),
  );
}

/**
 * Follows each request to the GraphQL endpoint from arrival to response and hands what it saw
 * to the sinks (metrics, the request log). Other paths (/health, /metrics, GraphiQL's page)
 * are not GraphQL requests and are not observed.
 */
export function observePlugin(graphqlEndpoint: string, sinks: RequestSink[]): Plugin {
  const facts = new WeakMap<Request, RequestFacts>();
  return {
    onRequest({ request, url }) {
      if (url.pathname === graphqlEndpoint) facts.set(request, new RequestFacts());
    },
    onExecute({ args }) {
      const ctx = args.contextValue as unknown as GraphQLContext & { request?: Request };
      const seen = ctx.request && facts.get(ctx.request);
      if (!seen) return;
      const operation = getOperationAST(args.document, args.operationName);
      seen.operation = operation?.operation ?? "unknown";
      seen.operationName = operation?.name?.value ?? null;
      seen.requestId = ctx.requestId;
      seen.scopes.push(ctx.scope);
    },
    onResultProcess({ request, result }) {
      facts.get(request)?.errorCodes.push(...codesOf(result));
    },
    onResponse({ request, response }) {
      const seen = facts.get(request);
      if (!seen) return;
      facts.delete(request);
      seen.requestId ??= response.headers.get("x-request-id") ?? request.headers.get("x-request-id");
      for (const sink of sinks) sink(seen, response);
    },
  };
}
