import { readBody } from "./body.js";
import { validateKey, validatePrefix } from "./keys.js";
import { checkRange, rangeHeader, rangeOfResponse } from "./range.js";
import {
  discard,
  fetchAnswer,
  GaveUpError,
  type RetryPolicy,
  retryPolicy,
  UnexpectedStatusError,
  withRetries,
} from "./retry.js";
import {
  type ByteRange,
  type CallOptions,
  type Listing,
  type NotModified,
  NotSupportedError,
  ReadOnlyStoreError,
  type SetOptions,
  type Store,
  type StoreEntry,
  StoreUnavailableError,
} from "./store.js";

export interface HttpStoreOptions {
  /** Deadline for one call, retries included (default 30 s). */
  timeoutMs?: number;
  /** Retries of 5xx, 408, 429 and network failures, with exponential backoff (default 3; see retry.ts). */
  retries?: number;
  /** Extra request headers (e.g. Authorization); never shown in errors or descriptions. */
  headers?: Record<string, string>;
}

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
  /** The base URL's path without its trailing slash ("" at a server's root, which a URL cannot hold). */
  private readonly basePath: string;
  private readonly headers: Record<string, string>;
  private readonly policy: RetryPolicy;

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
    this.base = url;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.description = redactUrl(url);
    this.policy = retryPolicy(options);
  }

  /** The URL of a validated key: each segment percent-encoded, the base's query string kept. */
  private urlOf(key: string): URL {
    const url = new URL(this.base.href);
    url.pathname = `${this.basePath}/${key.split("/").map(encodeURIComponent).join("/")}`;
    return url;
  }

  async get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    return this.request(key, this.headers, options, (response) => this.entryOf(key, response, options));
  }

  /**
   * A conditional GET: `If-None-Match` for an ETag (always quoted), else `If-Modified-Since` for
   * a Last-Modified date, the two versions get() reports. A 304 carries no body. A server that
   * ignores the condition and answers 200 with the same version is taken as unchanged too, its
   * body cancelled unread.
   */
  getIfChanged(key: string, version: string, options?: CallOptions): Promise<StoreEntry | NotModified | undefined> {
    const headers = { ...this.headers, ...conditionOn(version) };
    return this.request(key, headers, options, async (response) => {
      if (response.status === 304 || (response.ok && versionOf(response) === version)) {
        await discard(response);
        return { notModified: true, version };
      }
      return this.entryOf(key, response, options);
    });
  }

  /** A GET with a `Range` header; a server that ignores it costs a whole read, cut down here. */
  async getRange(key: string, range: ByteRange, options?: CallOptions): Promise<StoreEntry | undefined> {
    checkRange(range);
    const headers = { ...this.headers, range: rangeHeader(range) };
    return this.request(key, headers, options, async (response) => {
      if (!response.ok && response.status !== 416) {
        await discard(response);
        throw new UnexpectedStatusError(response.status);
      }
      const data = await rangeOfResponse(response, range, options?.maxBytes, this.description, key);
      return { data, version: versionOf(response) };
    });
  }

  /**
   * A GET of `key` under the retry policy. 404, 403 and 410 mean "missing" (undefined); any
   * other answer that is not transient goes to `answer`, which reads or discards its body.
   */
  private async request<T>(
    key: string,
    headers: Record<string, string>,
    options: CallOptions | undefined,
    answer: (response: Response) => Promise<T>,
  ): Promise<T | undefined> {
    validateKey(key);
    const url = this.urlOf(key);
    try {
      return await withRetries(this.policy, options?.signal, async (signal) => {
        const response = await fetchAnswer(url, { headers, signal, redirect: "follow" });
        if (response.status === 404 || response.status === 403 || response.status === 410) {
          await discard(response);
          return undefined;
        }
        return answer(response);
      });
    } catch (error) {
      if (!(error instanceof GaveUpError)) throw error;
      throw new StoreUnavailableError(this.description, `GET ${JSON.stringify(key)} failed: ${error.reason}`);
    }
  }

  /** A 2xx answer's body and version; any other status is unexpected. */
  private async entryOf(key: string, response: Response, options: CallOptions | undefined): Promise<StoreEntry> {
    if (!response.ok) {
      await discard(response);
      throw new UnexpectedStatusError(response.status);
    }
    const data = await readBody(response, options?.maxBytes, this.description, key);
    return { data, version: versionOf(response) };
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

/**
 * The request headers that make a GET conditional on `version` (an ETag, or a Last-Modified
 * date). fetch adds `Cache-Control: no-cache` to any conditional request that has none, and
 * servers built on `fresh` (Express, `send`, serve-static) then answer 200 whatever the
 * condition: `max-age=0` asks for the same revalidation without that.
 */
function conditionOn(version: string): Record<string, string> {
  const header = /^(W\/)?"/.test(version) ? "if-none-match" : "if-modified-since";
  return { [header]: version, "cache-control": "max-age=0" };
}

/** The version get() reports: the ETag, else the Last-Modified date. */
function versionOf(response: Response): string | undefined {
  return response.headers.get("etag") ?? response.headers.get("last-modified") ?? undefined;
}
