import { parseArgs } from "node:util";
import type { Catalog } from "../hierarchy/catalog.js";
import type { ConsolidatedMode } from "../hierarchy/session.js";
import { DEFAULT_REFRESH_MS, type SearchService } from "../search/service.js";
import { openStore, publicUrl } from "../stores/open.js";
import { createApp } from "./app.js";
import { writeToken } from "./auth.js";
import { ConfigError } from "./config.js";
import { catalogFromConfig } from "./config-catalogs.js";
import { loadConfigFile } from "./config-file.js";
import { EXAMPLE_QUERY, EXAMPLE_STORES } from "./example.js";
import { listen } from "./http.js";
import { runIndexer } from "./index-command.js";
import { LIMIT_OPTIONS, LIMIT_USAGE, limitsFromFlags, remoteStoreTimeouts } from "./limits/flags.js";
import { createLogger } from "./logger.js";
import { Metrics } from "./metrics.js";
import { SearchSettingsError, searchService } from "./search-setup.js";
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, exitOnSignals } from "./shutdown.js";

const USAGE = `usage: zarr-graphql serve [NAME=]URL ... [--port N] [--host H] [--config FILE] [--writable]
                              [--consolidated [NAME=]use|require|ignore] [--concurrency N] [--node-budget N]
                              [--write-object-limit N] [--index embedded|postgres://...] [--index-refresh-ms N]
                              [--index-at-start]
                              ${LIMIT_USAGE}
       zarr-graphql index [NAME=]URL ... --index postgres://... [--config FILE] [--watch] [--index-refresh-ms N]

URL is a path or file://..., memory://, http(s)://... or gs://bucket/prefix.
NAME defaults to the URL's last segment without ".zarr". With no URL, serves the bundled example.`;

class UsageError extends Error {}

const MODES = new Set(["use", "require", "ignore"]);

/** "[NAME=]URL" -> name and URL; the name defaults to the last segment without ".zarr". */
export function parseStoreArg(arg: string): { name: string; url: string } {
  const eq = arg.indexOf("=");
  const scheme = arg.indexOf("://");
  if (eq > 0 && (scheme === -1 || eq < scheme)) return { name: arg.slice(0, eq), url: arg.slice(eq + 1) };
  const trimmed = arg.replace(/[?#].*$/, "").replace(/\/+$/, "");
  const last = trimmed.slice(trimmed.lastIndexOf("/") + 1) || "root";
  return { name: last.replace(/\.zarr$/i, "") || last, url: arg };
}

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs an integer >= ${min}, got ${value}`);
  return n;
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== "serve" && command !== "index") {
    throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      config: { type: "string" },
      writable: { type: "boolean", default: false },
      consolidated: { type: "string", multiple: true },
      concurrency: { type: "string" },
      "node-budget": { type: "string" },
      ...LIMIT_OPTIONS,
      "write-object-limit": { type: "string" },
      index: { type: "string" },
      "index-refresh-ms": { type: "string" },
      "index-at-start": { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // The command line wins over --config where both say something.
  const config = values.config ? await loadConfigFile(values.config) : undefined;
  const port =
    values.port !== undefined
      ? integer(values.port, "--port", 0)!
      : (config?.port ?? integer(process.env.PORT ?? "4000", "PORT", 0)!);
  if (port > 65535) throw new UsageError("--port must be at most 65535");
  // Read-only unless --writable, and then never without a token.
  const write = values.writable
    ? {
        token: writeToken(config?.token),
        maxObjects: integer(values["write-object-limit"], "--write-object-limit", 1) ?? config?.writeObjectLimit,
      }
    : undefined;
  const limitFlags = limitsFromFlags(values);
  const modes = new Map<string, ConsolidatedMode>();
  let defaultMode: ConsolidatedMode = "use";
  for (const spec of values.consolidated ?? []) {
    const [a, b] = spec.includes("=") ? spec.split("=", 2) : [undefined, spec];
    const mode = b.toLowerCase();
    if (!MODES.has(mode)) throw new UsageError(`--consolidated takes use, require or ignore, got ${JSON.stringify(b)}`);
    if (a === undefined) defaultMode = mode as ConsolidatedMode;
    else modes.set(a, mode as ConsolidatedMode);
  }
  const configured = config?.catalogs ?? [];
  const specs = positionals.length > 0 ? positionals.map(parseStoreArg) : configured.length > 0 ? [] : EXAMPLE_STORES;
  const catalogs: Catalog[] = [];
  for (const spec of specs) {
    if (catalogs.some((c) => c.name === spec.name)) throw new UsageError(`two stores are named "${spec.name}"`);
    catalogs.push({
      name: spec.name,
      store: openStore(spec.url, remoteStoreTimeouts(limitFlags.deadlineMs)),
      url: publicUrl(spec.url),
      description: "description" in spec ? String(spec.description) : null,
      consolidated: modes.get(spec.name) ?? defaultMode,
    });
  }
  for (const spec of configured) {
    if (catalogs.some((c) => c.name === spec.name)) {
      throw new UsageError(`two stores are named "${spec.name}" (on the command line and in ${values.config})`);
    }
    const consolidated = modes.get(spec.name) ?? spec.consolidated ?? defaultMode;
    const store = remoteStoreTimeouts(limitFlags.deadlineMs ?? config?.limits.deadlineMs);
    catalogs.push(catalogFromConfig(spec, { consolidated, writeToken: write?.token ?? config?.token, store }));
  }
  for (const name of modes.keys()) {
    if (!catalogs.some((c) => c.name === name)) throw new UsageError(`--consolidated names unknown catalog "${name}"`);
  }
  const logger = createLogger();
  const refreshMs = integer(values["index-refresh-ms"], "--index-refresh-ms", 0) ?? config?.indexRefreshMs;
  let search: SearchService;
  try {
    search = searchService({
      index: values.index ?? config?.index,
      refreshMs,
      atStart: values["index-at-start"],
      statementTimeoutMs: limitFlags.deadlineMs ?? config?.limits.deadlineMs,
      logger,
    });
  } catch (error) {
    if (error instanceof SearchSettingsError) throw new UsageError(error.message);
    throw error;
  }
  if (command === "index") {
    if (search.index.kind !== "postgres") {
      throw new UsageError("index builds a shared index: give --index postgres://... (or index: in --config)");
    }
    const out = (line: string) => process.stdout.write(`${line}\n`);
    await runIndexer(search, catalogs, {
      watch: values.watch,
      refreshMs: refreshMs || DEFAULT_REFRESH_MS,
      logger,
      out,
    });
    return;
  }
  let draining = false;
  const app = createApp({
    search,
    write,
    catalogs,
    logger,
    defaultQuery: positionals.length === 0 && configured.length === 0 ? EXAMPLE_QUERY : undefined,
    operations: {
      metrics: new Metrics({ processMetrics: true }),
      readyTimeoutMs: config?.readyTimeoutMs,
      draining: () => draining,
    },
    limits: {
      ...config?.limits,
      ...(values.concurrency ? { concurrency: integer(values.concurrency, "--concurrency", 1) } : {}),
      ...(values["node-budget"] ? { nodeBudget: integer(values["node-budget"], "--node-budget", 1) } : {}),
      ...limitFlags,
    },
  });
  const running = await listen(app, port, values.host ?? config?.host ?? "127.0.0.1");
  logger.info({ catalogs: catalogs.map((c) => c.name), url: running.url }, "serving");
  process.stdout.write(`listening on ${running.url}\n`);
  exitOnSignals(running.server, {
    timeoutMs: config?.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    logger,
    onDrain: () => {
      draining = true;
    },
  });
}

/** Runs the command line and exits non-zero with a readable message on failure (2 for usage or configuration). */
export function run(argv: string[]): void {
  main(argv).catch((error: unknown) => {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`zarr-graphql: ${(error as Error).message}\n${usage ? `\n${USAGE}\n` : ""}`);
    process.exit(usage || error instanceof ConfigError ? 2 : 1);
  });
}
