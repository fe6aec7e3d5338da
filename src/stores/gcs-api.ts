/**
 * The GCS JSON API as the GCS store calls it: URLs, one request under the retry policy, and the
 * client library's endpoint and credentials (the library makes no request itself; see GcsStore).
 */
import { Storage } from "@google-cloud/storage";
import { fetchAnswer, GaveUpError, type RetryPolicy, withRetries } from "./retry.js";
import { StoreUnavailableError } from "./store.js";

/** Query parameters of a JSON API call; undefined ones are left out. */
export type Query = Record<string, string | undefined>;

/** An item of a listing, as the JSON API sends it (the fields asked for). */
interface ListedObject {
  name: string;
  generation?: string;
}

export interface ListingPage {
  items?: ListedObject[];
  prefixes?: string[];
  nextPageToken?: string;
}

export class GcsJsonApi {
  constructor(
    private readonly storage: Storage,
    private readonly bucketName: string,
    /** The store's public name, for errors. */
    private readonly description: string,
    private readonly policy: RetryPolicy,
  ) {}

  /** A JSON API URL: `api` "" for metadata calls, "download/" or "upload/" for bodies. */
  url(api: "" | "download/" | "upload/", object: string | undefined, query: Query = {}): string {
    const path = `${this.storage.apiEndpoint}/${api}storage/v1/b/${encodeURIComponent(this.bucketName)}/o`;
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value);
    const tail = search.size > 0 ? `?${search}` : "";
    return object === undefined ? `${path}${tail}` : `${path}/${encodeURIComponent(object)}${tail}`;
  }

  /**
   * One JSON API call under the retry policy (no retries unless `idempotent`: GCS's own rule,
   * since repeating an unconditional write or delete whose answer was lost can undo another's).
   * `answer` gets every answer that is not transient and reads or discards its body; it throws
   * UnexpectedStatusError for one it does not take. Failures name the store, the operation and
   * the key: never a URL, a query string or a credential.
   */
  async request<T>(
    operation: string,
    key: string,
    call: { method: string; url: string; headers?: Record<string, string>; body?: BodyInit; idempotent: boolean },
    signal: AbortSignal | undefined,
    answer: (response: Response) => Promise<T>,
  ): Promise<T> {
    const policy = call.idempotent ? this.policy : { ...this.policy, retries: 0 };
    try {
      return await withRetries(policy, signal, async (attemptSignal) => {
        const headers = await this.authHeaders(call.url);
        for (const [name, value] of Object.entries(call.headers ?? {})) headers.set(name, value);
        const response = await fetchAnswer(call.url, {
          method: call.method,
          headers,
          body: call.body,
          signal: attemptSignal,
        });
        return answer(response);
      });
    } catch (error) {
      if (!(error instanceof GaveUpError)) throw error;
      throw new StoreUnavailableError(this.description, `${operation} ${JSON.stringify(key)} failed: ${error.reason}`);
    }
  }

  /** The client's credentials for a request; none when it talks to an emulator without auth. */
  private async authHeaders(url: string): Promise<Headers> {
    if (this.storage.customEndpoint && !this.storage.useAuthWithCustomEndpoint) return new Headers();
    const headers = await this.storage.authClient.getRequestHeaders(url);
    return new Headers(headers as unknown as HeadersInit);
  }
}

/**
 * A client for the endpoint and credentials only (this store makes its requests itself). With
 * STORAGE_EMULATOR_HOST set it points at the emulator and sends no credentials; a project id
 * keeps it from looking one up through the metadata server.
 */
export function createStorage(): Storage {
  const emulator = process.env.STORAGE_EMULATOR_HOST;
  return new Storage(emulator ? { projectId: process.env.GCLOUD_PROJECT || "zarr-graphql-emulator" } : {});
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
