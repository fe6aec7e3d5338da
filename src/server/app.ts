import { useGraphQlJit } from "@envelop/graphql-jit";
import { GraphQLError, getOperationAST } from "graphql";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import type { Logger } from "pino";
import { type Catalog, RequestScope } from "../hierarchy/catalog.js";
import { ParsedDocumentCache } from "../hierarchy/parse-cache.js";
import type { GraphQLContext } from "../resolvers/context.js";
import { isGraphQLError, toGraphQLError } from "../resolvers/errors.js";
import { buildSchema } from "../schema/index.js";
import { SearchService } from "../search/service.js";
import { type WriteConfig, writeAccess } from "./auth.js";
import { logHiddenCause } from "./error-log.js";
import { type ExplorerOptions, explorerPlugin } from "./explorer.js";
import { ioExtensionPlugin } from "./io-plugin.js";
import { hasRecursiveVariables } from "./jit-inputs.js";
import { DEFAULT_LIMITS, deadlineSignal, type Limits, limitPlugins } from "./limits/index.js";
import { countedCatalogs, Metrics } from "./metrics.js";
import { type OperationsOptions, operationsPlugins } from "./operations.js";
import { bearerToken, readerWith } from "./read-access.js";
import { currentRequest, requestInfoPlugin } from "./request-info.js";
import { responseCachePlugin } from "./response-cache.js";

export interface AppOptions {
  catalogs: Catalog[];
  /** Query, time, size and rate limits and the hierarchy's; see limits/config.ts for defaults. */
  limits?: Partial<Limits>;
  logger?: Logger;
  /** Answers the response cache keeps (0: off). */
  responseCacheEntries?: number;
  /** The query GraphiQL opens with. */
  defaultQuery?: string;
  /** /ready, /metrics and the request log (see operations.ts). */
  operations?: OperationsOptions;
  /** Mutations are allowed (with this bearer token) only when set: the server is read-only otherwise. */
  write?: WriteConfig;
  /** The search index and how it is kept (default: embedded, built on first search, refreshed every 60 s). */
  search?: SearchService;
  /** The explorer page at / (default: the built one in dist/explorer); false: not served. */
  explorer?: ExplorerOptions | false;
}

export type App = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

/** The GraphQL app (a fetch-style handler): schema, per-request scope, error masking, plugins. */
export function createApp(options: AppOptions): App {
  const metrics = options.operations?.metrics ?? new Metrics();
  const counted = countedCatalogs(options.catalogs, metrics);
  const catalogs = new Map(counted.map((c) => [c.name, c]));
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const logger = options.logger;
  const parsed = new ParsedDocumentCache();
  const search = options.search ?? new SearchService({ logger });
  search.attach(counted);
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema: buildSchema(),
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: options.defaultQuery ? { defaultQuery: options.defaultQuery, title: "zarr-graphql" } : true,
    logging: false,
    // The limits plugin reads bodies under its own cap, refusing with LIMIT_EXCEEDED.
    maxRequestBodySize: false,
    context: ({ request }) => {
      const requestId = currentRequest()!.id;
      const signal = deadlineSignal(limits.deadlineMs, request.signal);
      const write = writeAccess(request, options.write, logger, requestId);
      const bearer = bearerToken(request);
      const scope = new RequestScope(catalogs, limits, signal, parsed, readerWith(bearer));
      return { scope, requestId, write, bearerToken: bearer, search };
    },
    maskedErrors: {
      maskError(error, message) {
        const requestId = currentRequest()?.id;
        const located = isGraphQLError(error) ? error : undefined;
        const mapped = toGraphQLError(error, located);
        if (mapped) {
          logHiddenCause(logger, error, requestId);
          return mapped;
        }
        if (located && !located.originalError) return located;
        const original = located ? located.originalError : error;
        // graphql-jit lets a custom scalar's refusal of a variable (SafeInt given 1.5) through
        // unwrapped: with no field path it came from coercing the request's input, not a resolver.
        if (!located?.path && isGraphQLError(original)) {
          return new GraphQLError(original.message, { extensions: { code: "BAD_USER_INPUT" } });
        }
        // Unknown failures are logged with their detail and answered without it.
        logger?.error({ err: original, requestId }, "unexpected error while resolving");
        return new GraphQLError(message, {
          nodes: located?.nodes,
          path: located?.path,
          extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
        });
      },
    },
    // Compiled execution: a whole-tree answer is thousands of fields, and graphql-jit halves their
    // cost. The response cache comes last: on a hit it ends execution, and the plugins before it
    // still see the result (extensions.io among them).
    plugins: [
      // Operations first: probes and scrapes are answered before any limit can refuse them.
      ...operationsPlugins(counted, metrics, logger, options.operations),
      ...(options.explorer === false ? [] : [explorerPlugin(options.explorer)]),
      requestInfoPlugin(),
      ...limitPlugins(limits),
      // Only queries: their answers are the large ones, and graphql-jit mishandles literal JSON
      // inputs (warning on stderr and letting scalar input errors escape) that mutations carry.
      useGraphQlJit(
        {},
        {
          enableIf: (args) =>
            getOperationAST(args.document, args.operationName)?.operation === "query" &&
            !hasRecursiveVariables(args.schema, args.document, args.operationName),
        },
      ),
      ioExtensionPlugin(),
      responseCachePlugin({ maxEntries: options.responseCacheEntries ?? 256 }),
    ],
  });
}
