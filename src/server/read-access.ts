import type { Catalog } from "../hierarchy/catalog.js";

/** The token of the request's `Authorization: Bearer TOKEN` header, or null. */
export function bearerToken(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match ? match[1] : null;
}

/** What a request presenting `token` may read: public catalogs, and those its token opens. */
export function readerWith(token: string | null): (catalog: Catalog) => boolean {
  return (catalog) => catalog.read === undefined || catalog.read.allows(token);
}
