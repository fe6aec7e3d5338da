import type { RequestScope } from "../hierarchy/catalog.js";
import type { SearchService } from "../search/service.js";

/** What every resolver receives: the request's hierarchy scope and who is asking. */
export interface GraphQLContext {
  scope: RequestScope;
  requestId: string;
  /** Set when the answer is a repeat from the response cache (see server/response-cache.ts). */
  responseCacheHit?: boolean;
  /** The bearer token the request presented (null: none); it decides what scope.mayRead allows. */
  bearerToken?: string | null;
  /** Whether this request may write (absent: a read-only server); see server/auth.ts. */
  write?: WriteAccess;
  /** The server's search index (absent: search is not configured). */
  search?: SearchService;
  /** Set when the answer read the search index, which no document version vouches for (see response-cache.ts). */
  usesIndex?: boolean;
}

/** What the mutations need to know about the caller and the server's write settings. */
export interface WriteAccess {
  /** Why this request may not write (the FORBIDDEN message), or null when it may. */
  denied: string | null;
  /** Who is writing: a fingerprint of the bearer token, never the token; null without one. */
  who: string | null;
  /** Objects (documents and chunks) one delete or move may touch. */
  maxObjects: number;
  /** Records one mutation: who, what, when, the request id and how it ended. */
  audit(entry: Record<string, unknown>): void;
}
