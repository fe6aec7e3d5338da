import { parseArgs } from "node:util";
import type { Catalog } from "../hierarchy/catalog.js";
import type { ConsolidatedMode } from "../hierarchy/session.js";
import { openStore, publicUrl } from "../stores/open.js";
import { createApp } from "./app.js";
import { configuredToken, writeToken } from "./auth.js";
import { EXAMPLE_QUERY, EXAMPLE_STORES } from "./example.js";
import { listen } from "./http.js";
import { createLogger } from "./logger.js";

const USAGE = `usage: zarr-graphql serve [NAME=]URL ... [--port N] [--host H] [--config FILE] [--writable]
                              [--consolidated [NAME=]use|require|ignore] [--concurrency N] [--node-budget N]
                              [--write-object-limit N]

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
  if (command !== "serve") throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      port: { type: "string", default: process.env.PORT ?? "4000" },
      host: { type: "string", default: "127.0.0.1" },
      config: { type: "string" },
      writable: { type: "boolean", default: false },
      consolidated: { type: "string", multiple: true },
      concurrency: { type: "string" },
      "node-budget": { type: "string" },
      "write-object-limit": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = integer(values.port, "--port", 0)!;
  if (port > 65535) throw new UsageError("--port must be at most 65535");
  const modes = new Map<string, ConsolidatedMode>();
  let defaultMode: ConsolidatedMode = "use";
  for (const spec of values.consolidated ?? []) {
    const [a, b] = spec.includes("=") ? spec.split("=", 2) : [undefined, spec];
    const mode = b.toLowerCase();
    if (!MODES.has(mode)) throw new UsageError(`--consolidated takes use, require or ignore, got ${JSON.stringify(b)}`);
    if (a === undefined) defaultMode = mode as ConsolidatedMode;
    else modes.set(a, mode as ConsolidatedMode);
  }
  const specs = positionals.length > 0 ? positionals.map(parseStoreArg) : EXAMPLE_STORES;
  const catalogs: Catalog[] = [];
  for (const spec of specs) {
    if (catalogs.some((c) => c.name === spec.name)) throw new UsageError(`two stores are named "${spec.name}"`);
    catalogs.push({
      name: spec.name,
      store: openStore(spec.url),
      url: publicUrl(spec.url),
      description: "description" in spec ? String(spec.description) : null,
      consolidated: modes.get(spec.name) ?? defaultMode,
    });
  }
  for (const name of modes.keys()) {
    if (!catalogs.some((c) => c.name === name)) throw new UsageError(`--consolidated names unknown catalog "${name}"`);
  }
  // Read-only unless --writable, and then never without a token.
  const write = values.writable
    ? {
        token: writeToken(await configuredToken(values.config)),
        maxObjects: integer(values["write-object-limit"], "--write-object-limit", 1),
      }
    : undefined;
  const logger = createLogger();
  const app = createApp({
    write,
    catalogs,
    logger,
    defaultQuery: positionals.length === 0 ? EXAMPLE_QUERY : undefined,
    limits: {
      ...(values.concurrency ? { concurrency: integer(values.concurrency, "--concurrency", 1) } : {}),
      ...(values["node-budget"] ? { nodeBudget: integer(values["node-budget"], "--node-budget", 1) } : {}),
    },
  });
  const running = await listen(app, port, values.host);
  logger.info({ catalogs: catalogs.map((c) => c.name), url: running.url }, "serving");
  process.stdout.write(`listening on ${running.url}\n`);
  const stop = (signal: string) => {
    logger.info({ signal }, "shutting down");
    running.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

/** Runs the command line and exits non-zero with a readable message on failure (2 for usage). */
export function run(argv: string[]): void {
  main(argv).catch((error: unknown) => {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`zarr-graphql: ${(error as Error).message}\n${usage ? `\n${USAGE}\n` : ""}`);
    process.exit(usage ? 2 : 1);
  });
}
