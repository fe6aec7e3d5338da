import type { OpenStoreOptions } from "../../stores/open.js";
import { DEFAULT_QUERY_LIMITS, type Limits } from "./config.js";

/** The command line's limit flags (besides --concurrency and --node-budget), for node:util parseArgs. */
export const LIMIT_OPTIONS = {
  "max-depth": { type: "string" },
  "max-aliases": { type: "string" },
  "max-tokens": { type: "string" },
  "max-directives": { type: "string" },
  "max-cost": { type: "string" },
  "deadline-ms": { type: "string" },
  "max-document-bytes": { type: "string" },
  "max-body-bytes": { type: "string" },
  "rate-limit": { type: "string" },
  "max-value-elements": { type: "string" },
  "max-chunks": { type: "string" },
  "max-decoded-bytes": { type: "string" },
} as const;

export const LIMIT_USAGE = `[--max-depth N] [--max-aliases N] [--max-tokens N] [--max-directives N] [--max-cost N]
                              [--deadline-ms N] [--max-document-bytes N] [--max-body-bytes N] [--rate-limit N[/SECONDS]]
                              [--max-value-elements N] [--max-chunks N] [--max-decoded-bytes N]`;

type Flags = Partial<Record<keyof typeof LIMIT_OPTIONS, string>>;

/** A bad flag value, reported as parseArgs reports its own (the command line exits with usage). */
function invalid(message: string): Error {
  return Object.assign(new TypeError(message), { code: "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" });
}

function count(flags: Flags, name: keyof typeof LIMIT_OPTIONS, min: number): number | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw invalid(`--${name} needs an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** "N" (per minute) or "N/SECONDS". */
function rate(value: string | undefined): Limits["rate"] | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)(?:\/(\d+))?$/.exec(value.trim());
  const max = Number(match?.[1]);
  const seconds = match?.[2] === undefined ? 60 : Number(match[2]);
  if (!match || max < 1 || seconds < 1) {
    throw invalid(`--rate-limit takes N or N/SECONDS (requests per client per window), got ${JSON.stringify(value)}`);
  }
  return { max, windowMs: seconds * 1000 };
}

/** The limits the flags set; flags not given are left out, so defaults and config files apply. */
export function limitsFromFlags(flags: Flags): Partial<Limits> {
  const limits: Partial<Limits> = {
    depth: count(flags, "max-depth", 1),
    aliases: count(flags, "max-aliases", 0),
    tokens: count(flags, "max-tokens", 1),
    directives: count(flags, "max-directives", 0),
    cost: count(flags, "max-cost", 1),
    deadlineMs: count(flags, "deadline-ms", 1),
    maxDocumentBytes: count(flags, "max-document-bytes", 1),
    bodyBytes: count(flags, "max-body-bytes", 1),
    rate: rate(flags["rate-limit"]),
    maxValueElements: count(flags, "max-value-elements", 0),
    maxChunks: count(flags, "max-chunks", 0),
    maxDecodedBytes: count(flags, "max-decoded-bytes", 0),
  };
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}

/**
 * Remote stores give up on each HTTP request by the request deadline. Reads honour the request's
 * signal anyway; the GCS client's listings do not, so this timeout (with the client's few
 * retries) is what bounds a listing its caller stopped waiting for. The client's retry window
 * is left to cover every attempt it allows: retry-request never settles a call whose window
 * closes between attempts (googleapis/retry-request#38), which a shorter window would cause.
 */
export function remoteStoreTimeouts(deadlineMs = DEFAULT_QUERY_LIMITS.deadlineMs): OpenStoreOptions {
  return { timeoutMs: Math.min(30_000, deadlineMs) };
}
