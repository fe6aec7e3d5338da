import path from "node:path";
import { z } from "zod";
import type { ConsolidatedMode } from "../hierarchy/session.js";
import { publicUrl } from "../stores/open.js";

/**
 * The configuration file (`--config FILE`, JSON or YAML): server settings and named catalogs.
 * Validated whole at start-up; every problem is reported at once, each naming its field
 * (`catalogs.climate.consolidated: expected one of use, require, ignore`). Unknown fields are
 * refused, so a misspelt setting cannot be silently ignored.
 */

/** A configuration that cannot be used; `issues` are "field: problem" lines. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`invalid configuration in ${source}:\n${issues.map((i) => `  ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** A strict object whose "unknown field" error lists the fields it does know. */
function strict<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `unknown field (known fields: ${known})` : undefined),
  });
}

const count = (min: number) => z.int().min(min);
const nonEmpty = z.string().min(1);
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name");

/** Limits a catalog may tighten for itself (the hierarchy enforces these per catalog). */
const catalogLimitsShape = {
  /** Store reads in flight at once for this catalog, per request. */
  concurrency: count(1).optional(),
  /** Nodes one request may walk in this catalog (the server's budget still bounds the request). */
  nodeBudget: count(1).optional(),
  /** Metadata documents larger than this are refused as invalid. */
  maxDocumentBytes: count(1).optional(),
};

/** Server-wide limits: the hierarchy's and the query limits', under their option names. */
const serverLimitsShape = {
  ...catalogLimitsShape,
  depth: count(1).optional(),
  aliases: count(0).optional(),
  tokens: count(1).optional(),
  directives: count(0).optional(),
  cost: count(1).optional(),
  deadlineMs: count(1).optional(),
  bodyBytes: count(1).optional(),
  rate: strict({ max: count(1), windowMs: count(1) })
    .nullable()
    .optional(),
  /** Array values per request: elements returned, chunks and bytes decoded. */
  maxValueElements: count(0).optional(),
  maxChunks: count(0).optional(),
  maxDecodedBytes: count(0).optional(),
};

const readAccess = z.union(
  [
    z.literal("public"),
    strict({
      /** Tokens written into the file (prefer tokenEnv: config files get copied around). */
      tokens: z.array(nonEmpty).optional(),
      /** Names of environment variables, each holding one token. */
      tokenEnv: z.array(envName).optional(),
    }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union" ? 'expected "public" or {tokens: [...], tokenEnv: [...]}' : undefined,
  },
);

const catalogSchema = strict({
  url: nonEmpty,
  publicUrl: nonEmpty.nullable().optional(),
  description: z.string().optional(),
  consolidated: z.enum(["use", "require", "ignore"]).optional(),
  mode: z.enum(["read", "write"]).optional(),
  read: readAccess.optional(),
  limits: strict(catalogLimitsShape).optional(),
});

const CATALOG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const fileSchema = strict({
  port: count(0).max(65535).optional(),
  host: nonEmpty.optional(),
  /** The write token (needed with --writable); prefer tokenEnv. */
  token: nonEmpty.optional(),
  tokenEnv: envName.optional(),
  /** Objects one delete or move may touch (--write-object-limit). */
  writeObjectLimit: count(1).optional(),
  limits: strict(serverLimitsShape).optional(),
  /** How long /ready waits for every catalog's root before answering 503. */
  readyTimeoutMs: count(1).optional(),
  /** How long a SIGTERM waits for in-flight requests before closing their connections. */
  shutdownTimeoutMs: count(0).optional(),
  catalogs: z.record(z.string(), catalogSchema).optional(),
  /** The search index: "embedded" (default) or a postgres:// URL (--index). */
  index: nonEmpty.optional(),
  /** How often the search index reads the catalogs again (--index-refresh-ms; 0: never). */
  indexRefreshMs: count(0).optional(),
});

type FileConfig = z.infer<typeof fileSchema>;
export type CatalogLimits = z.infer<z.ZodObject<typeof catalogLimitsShape>>;
export type ServerLimits = NonNullable<FileConfig["limits"]>;

/** One catalog as the server will open it: tokens resolved, paths made absolute. */
export interface CatalogConfig {
  name: string;
  /** Where the store is: an absolute path, file://, memory://, http(s):// or gs://. */
  url: string;
  /** What `Catalog.url` shows (default: the URL without credentials; null for local stores). */
  publicUrl: string | null;
  description: string | null;
  /** Null: the server's default (`--consolidated MODE`, else use). */
  consolidated: ConsolidatedMode | null;
  /** "write" makes the catalog writable when the server runs with --writable. */
  mode: "read" | "write";
  /** Tokens that may read the catalog; null when anyone may. */
  readTokens: string[] | null;
  limits: CatalogLimits;
}

export interface ServerConfig {
  port?: number;
  host?: string;
  /** The write token, from `token` or the variable `tokenEnv` names. */
  token?: string;
  writeObjectLimit?: number;
  limits: ServerLimits;
  readyTimeoutMs?: number;
  shutdownTimeoutMs?: number;
  catalogs: CatalogConfig[];
  index?: string;
  indexRefreshMs?: number;
}

export interface ParseOptions {
  /** Names the configuration in errors (usually the file's path). */
  source: string;
  /** Relative store paths are resolved against this folder (the config file's). */
  baseDir: string;
  env?: Record<string, string | undefined>;
}

/** "catalogs.climate.read.tokenEnv[0]" */
function fieldPath(parts: readonly PropertyKey[]): string {
  let out = "";
  for (const part of parts) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(top level)";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

const TYPE_NAMES: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "a list",
};

/** One zod issue as "field: problem" lines, in words a person editing the file can act on. */
function explain(issue: z.core.$ZodIssue, at: readonly PropertyKey[] = []): string[] {
  const where = [...at, ...issue.path];
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => `${fieldPath([...where, key])}: ${issue.message}`);
    case "invalid_value":
      return [
        `${fieldPath(where)}: expected ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.join(", ")}`}, got ${describe(input)}`,
      ];
    case "invalid_type":
      if (input === undefined) return [`${fieldPath(where)}: required`];
      return [`${fieldPath(where)}: expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describe(input)}`];
    case "too_small":
      if (issue.origin === "string") return [`${fieldPath(where)}: must not be empty`];
      return [`${fieldPath(where)}: expected at least ${String(issue.minimum)}, got ${describe(input)}`];
    case "too_big":
      return [`${fieldPath(where)}: expected at most ${String(issue.maximum)}, got ${describe(input)}`];
    case "invalid_union": {
      // An object that was meant as the object form: report what is wrong inside it.
      if (input && typeof input === "object" && !Array.isArray(input)) {
        const objectForm = issue.errors.find(
          (branch) =>
            !branch.some((i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value")),
        );
        if (objectForm) return objectForm.flatMap((i) => explain(i, where));
      }
      return [`${fieldPath(where)}: ${issue.message}, got ${describe(input)}`];
    }
    default:
      return [`${fieldPath(where)}: ${issue.message}`];
  }
}

/** A store URL as the server opens it: relative paths are relative to the config file. */
function resolveUrl(url: string, baseDir: string): string {
  const hasScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url) && !/^[a-zA-Z]:[\\/]/.test(url);
  return hasScheme ? url : path.resolve(baseDir, url);
}

/** Validates a parsed configuration document; throws ConfigError listing every problem. */
export function parseConfig(data: unknown, options: ParseOptions): ServerConfig {
  const env = options.env ?? process.env;
  const parsed = fileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success)
    throw new ConfigError(
      options.source,
      parsed.error.issues.flatMap((i) => explain(i)),
    );
  const file = parsed.data;
  const issues: string[] = [];
  const fromEnv = (name: string, field: string): string | undefined => {
    const value = env[name];
    if (!value) issues.push(`${field}: environment variable ${name} is not set`);
    return value || undefined;
  };

  if (file.token !== undefined && file.tokenEnv !== undefined) {
    issues.push("tokenEnv: give token or tokenEnv, not both");
  }
  const token = file.tokenEnv !== undefined ? fromEnv(file.tokenEnv, "tokenEnv") : file.token;

  const catalogs: CatalogConfig[] = [];
  for (const [name, spec] of Object.entries(file.catalogs ?? {})) {
    const at = `catalogs.${name}`;
    if (!CATALOG_NAME.test(name)) {
      issues.push(`${at}: catalog names are letters, digits, ".", "_" and "-", starting with a letter or digit`);
      continue;
    }
    const url = resolveUrl(spec.url, options.baseDir);
    let shown: string | null = null;
    try {
      shown = spec.publicUrl === undefined ? publicUrl(url) : spec.publicUrl;
    } catch (error) {
      issues.push(`${at}.url: ${(error as Error).message}`);
    }
    let readTokens: string[] | null = null;
    if (spec.read !== undefined && spec.read !== "public") {
      const listed = spec.read.tokens ?? [];
      const named = (spec.read.tokenEnv ?? []).map((v, i) => fromEnv(v, `${at}.read.tokenEnv[${i}]`));
      readTokens = [...listed, ...named.filter((t): t is string => t !== undefined)];
      if (listed.length + named.length === 0) {
        issues.push(`${at}.read: list at least one token (tokens or tokenEnv), or say "public"`);
      }
    }
    catalogs.push({
      name,
      url,
      publicUrl: shown,
      description: spec.description ?? null,
      consolidated: spec.consolidated ?? null,
      mode: spec.mode ?? "read",
      readTokens,
      limits: spec.limits ?? {},
    });
  }
  if (issues.length > 0) throw new ConfigError(options.source, issues);
  return {
    port: file.port,
    host: file.host,
    token,
    writeObjectLimit: file.writeObjectLimit,
    limits: file.limits ?? {},
    readyTimeoutMs: file.readyTimeoutMs,
    shutdownTimeoutMs: file.shutdownTimeoutMs,
    catalogs,
    index: file.index,
    indexRefreshMs: file.indexRefreshMs,
  };
}
