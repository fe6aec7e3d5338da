import { createHash, timingSafeEqual } from "node:crypto";
import type { Logger } from "pino";
import { DEFAULT_WRITE_LIMITS } from "../hierarchy/write/target.js";
import type { WriteAccess } from "../resolvers/context.js";

/** How a writable server authorises writes. */
export interface WriteConfig {
  /** The bearer token writes need. */
  token: string;
  /** Objects one delete or move may touch (default 10,000). */
  maxObjects?: number;
}

/** Shorter tokens are refused at start-up: they could be guessed. */
export const MIN_TOKEN_LENGTH = 16;

export const TOKEN_ENV = "ZARR_GRAPHQL_TOKEN";

/** A token's identity for logs: the first 16 hex digits of its SHA-256, never the token itself. */
export function tokenFingerprint(token: string): string {
  return `sha256:${createHash("sha256").update(token, "utf8").digest("hex").slice(0, 16)}`;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Compares in time independent of where the strings differ (both hashed to equal length first). */
function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * What this request may do: on a read-only server (no config) nothing; on a writable one, write
 * when it sends `Authorization: Bearer <token>` with the configured token. Every mutation is
 * audited to `logger` with the caller's token fingerprint and the request id.
 */
export function writeAccess(
  request: Request,
  config: WriteConfig | undefined,
  logger: Logger | undefined,
  requestId: string,
): WriteAccess {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const presented = match?.[1] ?? null;
  const who = presented ? tokenFingerprint(presented) : null;
  let denied: string | null = null;
  if (!config) denied = "this server is read-only: start it with --writable (and a token) to allow mutations";
  else if (!presented) denied = "mutations need an Authorization: Bearer <token> header";
  else if (!sameToken(presented, config.token)) denied = "the bearer token is not accepted";
  return {
    denied,
    who,
    maxObjects: config?.maxObjects ?? DEFAULT_WRITE_LIMITS.maxObjects,
    audit: (entry) =>
      logger?.info({ audit: "mutation", requestId, who, at: new Date().toISOString(), ...entry }, "mutation"),
  };
}

/**
 * The token a `--writable` server needs: the configuration's (`token`, or the variable
 * `tokenEnv` names), else the ZARR_GRAPHQL_TOKEN environment variable. Throws a message fit
 * for the command line when there is none or it is too short to be safe.
 */
export function writeToken(
  configured: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string {
  const token = configured ?? env[TOKEN_ENV];
  if (token === undefined || token.trim() === "") {
    throw new Error(
      `--writable needs a token: set ${TOKEN_ENV}, or token (or tokenEnv) in the --config file; writes then send it as Authorization: Bearer <token>`,
    );
  }
  if (token.length < MIN_TOKEN_LENGTH)
    throw new Error(`the write token must be at least ${MIN_TOKEN_LENGTH} characters`);
  return token;
}
