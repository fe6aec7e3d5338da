import { type File, type GetFilesOptions, Storage } from "@google-cloud/storage";
import pLimit from "p-limit";
import { readBody } from "./body.js";
import { validateKey, validatePrefix } from "./keys.js";
import { checkRange, rangeHeader, rangeOfResponse } from "./range.js";
import {
  type ByteRange,
  type CallOptions,
  type Listing,
  type ListTreeOptions,
  ObjectTooLargeError,
  type SetOptions,
  type Store,
  type StoreEntry,
  StoreUnavailableError,
  VersionConflictError,
} from "./store.js";

export interface GcsStoreOptions {
  bucket: string;
  /** Folder inside the bucket that is the store's root ("" or omitted: the bucket itself). */
  prefix?: string;
  /** A configured client; by default one is made with the options below and standard credentials. */
  storage?: Storage;
  /** Per-request HTTP timeout (default 30 s). */
  timeoutMs?: number;
  /** Automatic retries of transient failures (408, 429, 5xx, dropped connections); default 3. */
  retries?: number;
}

/** Objects per listing page: the GCS maximum, so a listing costs as few round trips as it can. */
const PAGE_SIZE = 1000;
/** Concurrent DELETEs in deletePrefix. */
const DELETE_CONCURRENCY = 16;
const JSON_DOCUMENTS = new Set(["zarr.json", ".zarray", ".zgroup", ".zattrs", ".zmetadata"]);

/**
 * A folder of a Google Cloud Storage bucket (`gs://bucket/prefix`), on the official client.
 *
 * Credentials come the standard way (Application Default Credentials, GOOGLE_APPLICATION_CREDENTIALS).
 * When STORAGE_EMULATOR_HOST is set the client talks to that emulator without credentials.
 *
 * Versions are object generations. `get` takes the generation from the `x-goog-generation`
 * header of the download itself, so a read is one request (no separate metadata call).
 */
export class GcsStore implements Store {
  readonly capabilities = { writable: true, listable: true, listTree: true };
  readonly description: string;
  readonly bucketName: string;
  /** Root folder inside the bucket, without leading or trailing "/" ("" for the bucket root). */
  readonly root: string;
  private readonly storage: Storage;
  private readonly timeoutMs: number;
  private readonly retries: number;
  /** The client's retry switch as configured (see `restoreRetries`). */
  private readonly autoRetry: boolean | undefined;

  constructor(options: GcsStoreOptions) {
    if (!options.bucket || !/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(options.bucket)) {
      throw new Error(`invalid GCS bucket name ${JSON.stringify(options.bucket)}`);
    }
    this.bucketName = options.bucket;
    this.root = validatePrefix((options.prefix ?? "").replace(/^\/+|\/+$/g, ""));
    this.description = `gs://${this.bucketName}${this.root ? `/${this.root}` : ""}`;
    this.storage = options.storage ?? createStorage(options);
    this.autoRetry = this.storage.retryOptions.autoRetry;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = Math.max(0, Math.trunc(options.retries ?? 3));
  }

  /**
   * The client switches automatic retries off on the shared Storage object for non-idempotent
   * calls (an unconditional upload or delete) and does not always switch them back, which would
   * leave every later read without retries. Put the configured value back after each such call.
   */
  private restoreRetries(): void {
    this.storage.retryOptions.autoRetry = this.autoRetry;
  }

  private get bucket() {
    return this.storage.bucket(this.bucketName);
  }

  /** The object name of a (validated) key. */
  private objectName(key: string): string {
    return this.root ? `${this.root}/${key}` : key;
  }

  /** The object-name prefix under which everything below `prefix` lives ("" or ending in "/"). */
  private namePrefix(prefix: string): string {
    const full = this.root && prefix ? `${this.root}/${prefix}` : this.root || prefix;
    return full ? `${full}/` : "";
  }

  /** The store key of an object name, or undefined if the name is one the store refuses. */
  private keyOf(name: string): string | undefined {
    const rootSlash = this.root ? `${this.root}/` : "";
    if (!name.startsWith(rootSlash)) return undefined;
    const key = name.slice(rootSlash.length);
    try {
      return validateKey(key);
    } catch {
      return undefined;
    }
  }

  private unavailable(operation: string, key: string, error: unknown): StoreUnavailableError {
    // Only a status or an error code goes into the message: the client's own messages and
    // attached request configs can carry URLs with query strings and authorisation headers.
    return new StoreUnavailableError(
      this.description,
      `${operation} ${JSON.stringify(key)} failed: ${describe(error)}`,
    );
  }

  /**
   * Reads go straight to the JSON API's media endpoint with the client's endpoint and
   * credentials. The client's own download pipeline (streams, retry-request, hashing) costs
   * about 1.8 ms of CPU per object here, 1.3 s for the 729 documents of a 363-node tree, which
   * would dwarf the round trips this project exists to save; fetch costs a fraction of that.
   * Listing, writes and deletes stay on the client.
   */
  async get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    validateKey(key);
    options?.signal?.throwIfAborted();
    const name = this.objectName(key);
    const url = `${this.storage.apiEndpoint}/download/storage/v1/b/${encodeURIComponent(this.bucketName)}/o/${encodeURIComponent(name)}?alt=media`;
    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      try {
        const signal = options?.signal
          ? AbortSignal.any([options.signal, AbortSignal.timeout(this.timeoutMs)])
          : AbortSignal.timeout(this.timeoutMs);
        const response = await fetch(url, { headers: await this.authHeaders(url), signal });
        status = response.status;
        if (status === 404) {
          await response.body?.cancel();
          return undefined;
        }
        if (response.ok) {
          const data = await readBody(response, options?.maxBytes, this.description, key);
          return { data, version: response.headers.get("x-goog-generation") ?? undefined };
        }
        await response.body?.cancel();
        if (!RETRYABLE.has(status) || attempt >= this.retries)
          throw Object.assign(new Error("GET failed"), { code: status });
      } catch (error) {
        if (options?.signal?.aborted) throw options.signal.reason;
        if (error instanceof ObjectTooLargeError) throw error;
        const transient = status === undefined || RETRYABLE.has(status);
        if (!transient || attempt >= this.retries) throw this.unavailable("GET", key, error);
      }
      await sleep(Math.min(8000, 100 * 2 ** attempt * (1 + Math.random())), options?.signal);
    }
  }

  /** The client's credentials for a request, none when it talks to an emulator without auth. */
  private async authHeaders(url: string): Promise<Headers> {
    const storage = this.storage as unknown as { customEndpoint?: boolean; useAuthWithCustomEndpoint?: boolean };
    if (storage.customEndpoint && !storage.useAuthWithCustomEndpoint) return new Headers();
    const headers = await this.storage.authClient.getRequestHeaders(url);
    return new Headers(headers as unknown as HeadersInit);
  }

  async list(prefix: string, options?: CallOptions): Promise<Listing> {
    validatePrefix(prefix);
    const base = this.namePrefix(prefix);
    const keys = new Set<string>();
    const prefixes = new Set<string>();
    await this.eachPage(
      { prefix: base, delimiter: "/", fields: "items(name),prefixes,nextPageToken" },
      prefix,
      options?.signal,
      (files, response) => {
        for (const file of files) {
          const name = file.name.slice(base.length);
          if (name && !name.includes("/") && this.keyOf(file.name) !== undefined) keys.add(name);
        }
        for (const child of response.prefixes ?? []) {
          if (!child.startsWith(base)) continue;
          if (!child.endsWith("/")) continue;
          const name = child.slice(base.length, -1);
          if (name && !name.includes("/") && this.keyOf(child.slice(0, -1)) !== undefined) prefixes.add(name);
        }
      },
    );
    return { keys: [...keys].sort(), prefixes: [...prefixes].sort() };
  }

  /**
   * One listing of every object below `prefix` whose basename is in `options.names`, filtered
   * server-side with `matchGlob` (`<prefix>/**\/{name1,name2}`; on GCS `**\/` also matches zero
   * folders, so a document directly at the prefix is included). Pages of 1,000 follow one
   * another; `onPage` is called for each. The basename check is repeated here for servers that
   * ignore `matchGlob` (emulators), so chunk keys are never returned either way.
   */
  async listTree(prefix: string, options: ListTreeOptions): Promise<string[]> {
    validatePrefix(prefix);
    const names = new Set(options.names);
    if (names.size === 0) return [];
    const base = this.namePrefix(prefix);
    const query: GetFilesOptions = { prefix: base, fields: "items(name),nextPageToken" };
    const glob = matchGlobFor(base, [...names]);
    if (glob) query.matchGlob = glob;
    const found: string[] = [];
    await this.eachPage(
      query,
      prefix,
      options.signal,
      (files) => {
        for (const file of files) {
          const basename = file.name.slice(file.name.lastIndexOf("/") + 1);
          if (!names.has(basename)) continue;
          const key = this.keyOf(file.name);
          if (key !== undefined) found.push(key);
        }
      },
      options.onPage,
    );
    return found.sort();
  }

  /** Fetches the pages of a listing one after another. */
  private async eachPage(
    query: GetFilesOptions,
    prefix: string,
    signal: AbortSignal | undefined,
    onFiles: (files: File[], response: { prefixes?: string[] }) => void,
    onPage?: () => void,
  ): Promise<void> {
    let pageToken: string | undefined;
    do {
      signal?.throwIfAborted();
      let files: File[];
      let next: { pageToken?: string } | null | undefined;
      let response: { prefixes?: string[] } | undefined;
      try {
        [files, next, response] = (await this.bucket.getFiles({
          ...query,
          autoPaginate: false,
          maxResults: PAGE_SIZE,
          ...(pageToken ? { pageToken } : {}),
        })) as [File[], { pageToken?: string } | null, { prefixes?: string[] } | undefined];
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (statusOf(error) === 404) return; // no such bucket: nothing below the prefix
        throw this.unavailable("LIST", prefix, error);
      }
      onPage?.();
      onFiles(files, response ?? {});
      const token = next?.pageToken;
      pageToken = token && token !== pageToken ? token : undefined;
    } while (pageToken);
  }

  async set(key: string, data: Uint8Array, options?: SetOptions): Promise<string | undefined> {
    validateKey(key);
    options?.signal?.throwIfAborted();
    const ifVersion = options?.ifVersion;
    let ifGenerationMatch: number | string | undefined;
    if (ifVersion === null) ifGenerationMatch = 0;
    else if (ifVersion !== undefined) {
      // A generation is a decimal integer; anything else can never be the current one.
      if (!/^[0-9]+$/.test(ifVersion)) throw new VersionConflictError(key);
      ifGenerationMatch = ifVersion;
    }
    const file = this.bucket.file(this.objectName(key));
    const basename = key.slice(key.lastIndexOf("/") + 1);
    try {
      await file.save(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
        resumable: false,
        contentType: JSON_DOCUMENTS.has(basename) ? "application/json" : "application/octet-stream",
        ...(ifGenerationMatch !== undefined ? { preconditionOpts: { ifGenerationMatch } } : {}),
      });
    } catch (error) {
      if (options?.signal?.aborted) throw options.signal.reason;
      if (statusOf(error) === 412) throw new VersionConflictError(key);
      throw this.unavailable("PUT", key, error);
    } finally {
      this.restoreRetries();
    }
    const generation = file.metadata?.generation;
    return generation === undefined || generation === null ? undefined : String(generation);
  }

  async delete(key: string, options?: CallOptions): Promise<boolean> {
    validateKey(key);
    options?.signal?.throwIfAborted();
    try {
      await this.bucket.file(this.objectName(key)).delete();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      if (options?.signal?.aborted) throw options.signal.reason;
      throw this.unavailable("DELETE", key, error);
    } finally {
      this.restoreRetries();
    }
  }

  async deletePrefix(prefix: string, options?: CallOptions): Promise<number> {
    validatePrefix(prefix);
    const names: string[] = [];
    await this.eachPage(
      { prefix: this.namePrefix(prefix), fields: "items(name),nextPageToken" },
      prefix,
      options?.signal,
      (files) => {
        for (const file of files) names.push(file.name);
      },
    );
    const limit = pLimit(DELETE_CONCURRENCY);
    const results = await Promise.all(
      names.map((name) =>
        limit(async () => {
          options?.signal?.throwIfAborted();
          try {
            await this.bucket.file(name).delete();
            return 1;
          } catch (error) {
            if (statusOf(error) === 404) return 0;
            throw this.unavailable("DELETE", name.slice(this.namePrefix("").length), error);
          } finally {
            this.restoreRetries();
          }
        }),
      ),
    );
    return results.reduce<number>((sum, n) => sum + n, 0);
  }

  /** The JSON API's media download with a `Range` header, retried as get() is. */
  async getRange(key: string, range: ByteRange, options?: CallOptions): Promise<StoreEntry | undefined> {
    validateKey(key);
    checkRange(range);
    options?.signal?.throwIfAborted();
    const url = `${this.storage.apiEndpoint}/download/storage/v1/b/${encodeURIComponent(this.bucketName)}/o/${encodeURIComponent(this.objectName(key))}?alt=media`;
    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      try {
        const signal = options?.signal
          ? AbortSignal.any([options.signal, AbortSignal.timeout(this.timeoutMs)])
          : AbortSignal.timeout(this.timeoutMs);
        const headers = await this.authHeaders(url);
        headers.set("range", rangeHeader(range));
        const response = await fetch(url, { headers, signal });
        status = response.status;
        if (status === 404) {
          await response.body?.cancel();
          return undefined;
        }
        if (response.ok || status === 416) {
          const data = await rangeOfResponse(response, range, options?.maxBytes, this.description, key);
          return { data, version: response.headers.get("x-goog-generation") ?? undefined };
        }
        await response.body?.cancel();
        if (!RETRYABLE.has(status) || attempt >= this.retries)
          throw Object.assign(new Error("GET failed"), { code: status });
      } catch (error) {
        if (options?.signal?.aborted) throw options.signal.reason;
        if (error instanceof ObjectTooLargeError) throw error;
        const transient = status === undefined || RETRYABLE.has(status);
        if (!transient || attempt >= this.retries) throw this.unavailable("GET", key, error);
      }
      await sleep(Math.min(8000, 100 * 2 ** attempt * (1 + Math.random())), options?.signal);
    }
  }
}

function createStorage(options: GcsStoreOptions): Storage {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = Math.max(0, Math.trunc(options.retries ?? 3));
  return new Storage({
    // With STORAGE_EMULATOR_HOST set the client uses the emulator and sends no credentials; a
    // project id keeps it from looking one up through the metadata server.
    ...(process.env.STORAGE_EMULATOR_HOST ? { projectId: process.env.GCLOUD_PROJECT || "zarr-graphql-emulator" } : {}),
    timeout: timeoutMs,
    retryOptions: {
      // The client treats maxRetries 0 as "use the default": switch retries off instead.
      autoRetry: retries > 0,
      maxRetries: Math.max(1, retries),
      retryDelayMultiplier: 2,
      maxRetryDelay: 8, // seconds
      // Seconds, from the first attempt: every attempt at its timeout plus the backoff between.
      totalTimeout: Math.ceil((timeoutMs * (retries + 1)) / 1000) + 8 * retries,
    },
  });
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * The `matchGlob` that selects objects named one of `names` anywhere below `base` (which is ""
 * or ends in "/"): `base**\/name` for one name, `base**\/{a,b}` for several. Undefined when a name
 * cannot be written safely inside braces (then only the client-side filter applies).
 */
export function matchGlobFor(base: string, names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  if (names.some((name) => name === "" || /[,{}/]/.test(name))) return undefined;
  const escaped = names.map(escapeGlob);
  const tail = escaped.length === 1 ? escaped[0] : `{${escaped.join(",")}}`;
  return `${escapeGlob(base)}**/${tail}`;
}

/** Backslash-escapes the characters GCS globs treat specially. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]{}]/g, (c) => `\\${c}`);
}

function statusOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; status?: unknown; response?: { status?: unknown } } | undefined;
  for (const candidate of [e?.code, e?.status, e?.response?.status]) {
    if (typeof candidate === "number") return candidate;
    if (typeof candidate === "string" && /^[0-9]{3}$/.test(candidate)) return Number(candidate);
  }
  return undefined;
}

/** A short, credential-free description of a failure: an HTTP status or an error code. */
function describe(error: unknown): string {
  const status = statusOf(error);
  if (status !== undefined) return `HTTP ${status}`;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
  const name = (error as { name?: unknown })?.name;
  if (name === "AbortError" || name === "TimeoutError") return "timed out";
  return "request failed";
}
