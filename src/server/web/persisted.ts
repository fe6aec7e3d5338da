import { readFile } from "node:fs/promises";
import { useAPQ } from "@graphql-yoga/plugin-apq";
import { usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations";
import type { GraphQLParams, Plugin } from "graphql-yoga";
import { LRUCache } from "lru-cache";

/** Automatic persisted queries kept: at most this many, and this many characters in all. */
export const APQ_MAX_QUERIES = 1_000;
export const APQ_MAX_CHARS = 16 * 1024 * 1024;

/**
 * Apollo's automatic persisted queries: a hash alone that the server does not know is answered
 * `PERSISTED_QUERY_NOT_FOUND` (404); the client then sends the query with its hash, which is
 * checked (`PERSISTED_QUERY_MISMATCH`) and kept; from then on the hash alone will do, over GET
 * too, where answers can be cached. The store is bounded (count and size, least recently used
 * out first), so a client that registers endlessly only evicts; a client whose query was
 * evicted sees a miss and registers it again.
 */
export function automaticPersistedQueriesPlugin(bounds: { maxQueries?: number; maxChars?: number } = {}): Plugin {
  const queries = new LRUCache<string, string>({
    max: bounds.maxQueries ?? APQ_MAX_QUERIES,
    maxSize: bounds.maxChars ?? APQ_MAX_CHARS,
    sizeCalculation: (query, hash) => query.length + hash.length,
  });
  return useAPQ({ store: { get: (hash) => queries.get(hash), set: (hash, query) => void queries.set(hash, query) } });
}

/**
 * A request's persisted document id: GraphQL over HTTP's `documentId` (in a POST body, or in a
 * GET's query string, which yoga's GET parser does not read) or Apollo's hash extension.
 */
function documentIdOf(params: GraphQLParams & { documentId?: unknown }, request: Request): string | null {
  const documentId =
    typeof params.documentId === "string"
      ? params.documentId
      : request.method === "GET"
        ? new URL(request.url).searchParams.get("documentId")
        : null;
  if (documentId) return documentId.replace(/^sha256:/, "");
  const persisted = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)
    ?.persistedQuery;
  return persisted?.version === 1 && typeof persisted.sha256Hash === "string" ? persisted.sha256Hash : null;
}

/** Request parameters this server reads besides the spec's four. */
export const EXTRA_PARAMS = ["documentId"];

/**
 * Trusted documents, for locked-down deployments: only the operations in `documents` (id →
 * text, as relay-compiler or GraphQL Code Generator write them) run, asked for by id; a
 * document's text is refused (`PERSISTED_QUERY_ID_REQUIRED`), and so is an id not in the list
 * (`PERSISTED_QUERY_NOT_IN_LIST`). No automatic registration happens in this mode.
 */
export function trustedDocumentsPlugin(documents: ReadonlyMap<string, string>): Plugin {
  const refusal = (message: string, code: string) => ({ message, extensions: { code, http: { status: 400 } } });
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: documentIdOf,
    getPersistedOperation: (id) => documents.get(id) ?? null,
    customErrors: {
      notFound: refusal(
        "this operation is not in the server's list of trusted documents",
        "PERSISTED_QUERY_NOT_IN_LIST",
      ),
      keyNotFound: refusal(
        "this server runs trusted documents only: send a document's id (documentId, or Apollo's persistedQuery hash)",
        "PERSISTED_QUERY_ID_REQUIRED",
      ),
      persistedQueryOnly: refusal(
        "this server runs trusted documents only: send the document's id instead of its text",
        "PERSISTED_QUERY_ID_REQUIRED",
      ),
    },
  }) as Plugin;
}

/**
 * Reads a trusted documents manifest: a JSON object from id to document text, the format
 * relay-compiler's persisted queries and GraphQL Code Generator's `persisted-documents.json`
 * share (ids may carry a `sha256:` prefix).
 */
export async function loadTrustedDocuments(file: string): Promise<Map<string, string>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`trusted documents ${file}: ${(error as Error).message}`);
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw new Error(`trusted documents ${file}: expected a JSON object from document id to document text`);
  }
  const documents = new Map<string, string>();
  for (const [id, text] of Object.entries(data)) {
    if (typeof text !== "string") throw new Error(`trusted documents ${file}: the document "${id}" is not a string`);
    documents.set(id.replace(/^sha256:/, ""), text);
  }
  return documents;
}
