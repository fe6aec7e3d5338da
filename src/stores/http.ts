import { setTimeout as delay } from "node:timers/promises";
import { readBody } from "./body.js";
import { validateKey, validatePrefix } from "./keys.js";
import { checkRange, rangeHeader, rangeOfResponse } from "./range.js";
import {
  type ByteRange,
  type CallOptions,
  type Listing,
  NotSupportedError,
  ObjectTooLargeError,
  ReadOnlyStoreError,
  type SetOptions,
  type Store,
  type StoreEntry,
  StoreUnavailableError,
} from "./store.js";

export interface HttpStoreOptions {
  /** Deadline for one call, retries included (default 30 s). */
  timeoutMs?: number;
  /** Retries of 5xx, 408, 429 and network failures, with exponential backoff (default 3). */
  retries?: number;
  /** Extra request headers (e.g. Authorization); never shown in errors or descriptions. */
  headers?: Record<string, string>;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 2_000;

/**
 * A read-only store over plain HTTP(S) GETs of `baseUrl/key` (a static file server, a public
 * bucket URL). It cannot list, so a hierarchy on it needs consolidated metadata. 404 and 403 mean
 * "missing" (object stores answer 403 for absent keys when listing is not allowed).
 */
export class HttpStore implements Store {
  readonly capabilities = { writable: false, listable: false, listTree: false };
  /** The base URL without credentials, query string or fragment. */
  readonly description: string;
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(baseUrl: string, options: HttpStoreOptions = {}) {
    const url = new URL(baseUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new Error(`HttpStore needs an http(s) URL, not ${url.protocol}`);
    }
    this.headers = { ...options.headers };
    if (url.username || url.password) {
      // fetch refuses URLs with credentials: send them as Basic authentication instead.
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      const hasAuthorization = Object.keys(this.headers).some((name) => name.toLowerCase() === "authorization");
      if (!hasAuthorization)
        this.headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
      url.username = "";
      url.password = "";
    }
    url.hash = "";
    url.pathname = url.pathname.replace(/\/+$/, "");
    this.base = url;
    this.description = redactUrl(url);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = Math.max(0, Math.trunc(options.retries ?? 3));
  }

  /** The URL of a validated key: each segment percent-encoded, the base's query string kept. */
  private urlOf(key: string): URL {
    const url = new URL(this.base.href);
    url.pathname = `${this.base.pathname}/${key.split("/").map(encodeURIComponent).join("/")}`;
    return url;
  }

  async get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    validateKey(key);
    const caller = options?.signal;
    caller?.throwIfAborted();
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = caller ? AbortSignal.any([caller, deadline]) : deadline;
    const url = this.urlOf(key);
    let last = "request failed";
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) {
        try {
          await delay(backoff(attempt), undefined, { signal: signal });
        } catch {
          break;
        }
      }
      try {
        const response = await fetch(url, { headers: this.headers, signal, redirect: "follow" });
        if (response.status === 404 || response.status === 403 || response.status === 410) {
          await response.body?.cancel().catch(() => undefined);
          return undefined;
        }
        if (response.ok) {
          const data = await readBody(response, options?.maxBytes, this.description, key);
          const version = response.headers.get("etag") ?? response.headers.get("last-modified") ?? undefined;
          return { data, version };
        }
        await response.body?.cancel().catch(() => undefined);
        last = `HTTP ${response.status}`;
        if (!RETRYABLE_STATUS.has(response.status)) break;
      } catch (error) {
        if (caller?.aborted) throw caller.reason;
        if (error instanceof ObjectTooLargeError) throw error;
        if (deadline.aborted) {
          last = `no answer within ${this.timeoutMs} ms`;
          break;
        }
        last = networkCode(error);
      }
    }
    if (caller?.aborted) throw caller.reason;
    if (deadline.aborted && !last.startsWith("no answer")) last = `${last}; gave up after ${this.timeoutMs} ms`;
    throw new StoreUnavailableError(this.description, `GET ${JSON.stringify(key)} failed: ${last}`);
  }

  async list(prefix: string): Promise<Listing> {
    validatePrefix(prefix);
    throw new NotSupportedError(this.description, "list (HTTP has no listing; use consolidated metadata)");
  }

  async set(key: string, _data?: Uint8Array, _options?: SetOptions): Promise<string | undefined> {
    validateKey(key);
    throw new ReadOnlyStoreError(this.description);
  }

  async delete(key: string, _options?: CallOptions): Promise<boolean> {
    validateKey(key);
    throw new ReadOnlyStoreError(this.description);
  }

  async deletePrefix(prefix: string, _options?: CallOptions): Promise<number> {
    validatePrefix(prefix);
    throw new ReadOnlyStoreError(this.description);
  }

  /** A GET with a `Range` header, retried as get() is; a server that ignores it costs a whole read. */
  async getRange(key: string, range: ByteRange, options?: CallOptions): Promise<StoreEntry | undefined> {
    validateKey(key);
    checkRange(range);
    const caller = options?.signal;
    caller?.throwIfAborted();
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = caller ? AbortSignal.any([caller, deadline]) : deadline;
    const headers = { ...this.headers, range: rangeHeader(range) };
    let last = "request failed";
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      try {
        if (attempt > 0) await delay(backoff(attempt), undefined, { signal });
        const response = await fetch(this.urlOf(key), { headers, signal, redirect: "follow" });
        if (response.status === 404 || response.status === 403 || response.status === 410) {
          await response.body?.cancel().catch(() => undefined);
          return undefined;
        }
        if (response.ok || response.status === 416) {
          const data = await rangeOfResponse(response, range, options?.maxBytes, this.description, key);
          const version = response.headers.get("etag") ?? response.headers.get("last-modified") ?? undefined;
          return { data, version };
        }
        await response.body?.cancel().catch(() => undefined);
        last = `HTTP ${response.status}`;
        if (!RETRYABLE_STATUS.has(response.status)) break;
      } catch (error) {
        if (caller?.aborted) throw caller.reason;
        if (error instanceof ObjectTooLargeError) throw error;
        if (deadline.aborted) break;
        last = networkCode(error);
      }
    }
    if (caller?.aborted) throw caller.reason;
    if (deadline.aborted) last = `${last}; gave up after ${this.timeoutMs} ms`;
    throw new StoreUnavailableError(this.description, `GET ${JSON.stringify(key)} (range) failed: ${last}`);
  }
}

/** A URL fit for messages and logs: no user name, password, query string or fragment. */
export function redactUrl(url: string | URL): string {
  const copy = new URL(typeof url === "string" ? url : url.href);
  copy.username = "";
  copy.password = "";
  copy.search = "";
  copy.hash = "";
  return copy.href.replace(/\/+$/, "");
}

function backoff(attempt: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** The low-level code of a fetch failure (ECONNREFUSED, ECONNRESET, ...), never its message. */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = cause?.code ?? (error as { code?: unknown })?.code;
  return typeof code === "string" && /^[A-Z0-9_]{2,40}$/.test(code) ? code : "network error";
}
