import { createHash } from "node:crypto";
import { printSubgraphSchema } from "@apollo/subgraph";
import { useGraphQlJit } from "@envelop/graphql-jit";
import { getOperationAST } from "graphql";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import type { Logger } from "pino";
import { type Catalog, RequestScope } from "../hierarchy/catalog.js";
import { DocumentCache } from "../hierarchy/document-cache.js";
import type { GraphQLContext } from "../resolvers/context.js";
import { buildSchema } from "../schema/index.js";
import { SearchService } from "../search/service.js";
import { type WriteConfig, writeAccess } from "./auth.js";
import { type ExplorerOptions, explorerPlugin } from "./explorer.js";
import { floatLiteralsPlugin } from "./float-literals.js";
import { httpRefusalsPlugin } from "./http-refusals.js";
import { ioExtensionPlugin } from "./io-plugin.js";
import { hasRecursiveVariables } from "./jit-inputs.js";
import { DEFAULT_LIMITS, deadlineSignal, type Limits, limitPlugins } from "./limits/index.js";
import { errorMasking } from "./mask-error.js";
import { countedCatalogs, Metrics } from "./metrics.js";
import { type OperationsOptions, operationsPlugins } from "./operations.js";
import { bearerToken, readerWith } from "./read-access.js";
import { requestInfo, requestInfoPlugin } from "./request-info.js";
import { responseCachePlugin } from "./response-cache.js";
import {
  automaticPersistedQueriesPlugin,
  bundledGraphiQL,
  type CorsSetting,
  corsPlugin,
  EXTRA_PARAMS,
  httpCachePlugin,
  trustedDocumentsPlugin,
} from "./web/index.js";

export interface AppOptions {
  catalogs: Catalog[];
  /** Query, time, size and rate limits and the hierarchy's; see limits/config.ts for defaults. */
  limits?: Partial<Limits>;
  logger?: Logger;
  /** Estimated heap bytes of parsed documents and listings kept between requests (see DocumentCache). */
  cacheBytes?: number;
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
  /** Browser origins that may read answers (default "*": any, without credentials); see web/cors.ts. */
  cors?: CorsSetting;
  /** max-age of GET answers' Cache-Control, in seconds (default 0: revalidate with the ETag each time). */
  cacheMaxAgeSeconds?: number;
  /** Accept only these operations (id → text), by id; automatic persisted queries are off then. */
  trustedDocuments?: ReadonlyMap<string, string>;
  /** The explorer page at / (default: the built one in dist/explorer); false: not served. */
  explorer?: ExplorerOptions | false;
}

export type App = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

let seed: string | undefined;

/** What answers' bytes depend on besides the query and the documents read: the schema (built once). */
function answerFormatSeed(): string {
  seed ??= createHash("sha256").update(printSubgraphSchema(buildSchema())).digest("base64url");
  return seed;
}

/** The GraphQL app (a fetch-style handler): schema, per-request scope, error masking, plugins. */
export function createApp(options: AppOptions): App {
  const metrics = options.operations?.metrics ?? new Metrics();
  const counted = countedCatalogs(options.catalogs, metrics);
  const catalogs = new Map(counted.map((c) => [c.name, c]));
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const logger = options.logger;
  const cache = new DocumentCache(options.cacheBytes);
  const search = options.search ?? new SearchService({ logger });
  search.attach(counted, cache);
  const masking = errorMasking(logger);
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema: buildSchema(),
    graphqlEndpoint: "/graphql",
    // "/" belongs to the explorer.
    landingPage: false,
    graphiql: { title: "zarr-graphql", ...(options.defaultQuery ? { defaultQuery: options.defaultQuery } : {}) },
    renderGraphiQL: bundledGraphiQL(),
    logging: false,
    // corsPlugin below, in place of yoga's.
    cors: false,
    // Refused above the batch limit by the limits' own plugin first (LIMIT_EXCEEDED).
    batching: { limit: limits.batch },
    extraParamNames: EXTRA_PARAMS,
    // The limits plugin reads bodies under its own cap, refusing with LIMIT_EXCEEDED.
    maxRequestBodySize: false,
    context: ({ request }) => {
      const requestId = requestInfo(request).id;
      const signal = deadlineSignal(limits.deadlineMs, request);
      const write = writeAccess(request, options.write, logger, requestId);
      const bearer = bearerToken(request);
      const scope = new RequestScope(catalogs, limits, signal, cache, readerWith(bearer));
      return { scope, requestId, write, bearerToken: bearer, search };
    },
    maskedErrors: { maskError: masking.maskError },
    // Compiled execution: a whole-tree answer is thousands of fields, and graphql-jit halves their
    // cost. The HTTP cache and the response cache come last: a 304 or a hit ends execution, and
    // the plugins before them still see the result (extensions.io among them).
    plugins: [
      // Operations first: probes and scrapes are answered before any limit can refuse them.
      ...operationsPlugins(counted, metrics, logger, options.operations),
      ...(options.explorer === false ? [] : [explorerPlugin(options.explorer)]),
      requestInfoPlugin(),
      masking.plugin,
      corsPlugin(options.cors ?? "*"),
      httpRefusalsPlugin(),
      ...limitPlugins(limits),
      options.trustedDocuments ? trustedDocumentsPlugin(options.trustedDocuments) : automaticPersistedQueriesPlugin(),
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
      httpCachePlugin({ maxAgeSeconds: options.cacheMaxAgeSeconds, seed: answerFormatSeed() }),
      responseCachePlugin({ maxEntries: options.responseCacheEntries ?? 256 }),
      floatLiteralsPlugin(),
    ],
  });
}
