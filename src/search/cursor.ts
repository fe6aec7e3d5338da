import { BadInputError } from "../hierarchy/errors.js";
import type { SortKey } from "./search-index.js";

/**
 * Search cursors hold the sort key (catalog, path), not an offset: a page after a cursor is the
 * hits past that key, whatever a refresh added or removed before it.
 */

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(["search", key.catalog, key.path]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): SortKey {
  const malformed = () =>
    new BadInputError("malformed cursor: pass an endCursor or cursor from a previous search page");
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw malformed();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    value[0] !== "search" ||
    typeof value[1] !== "string" ||
    typeof value[2] !== "string"
  ) {
    throw malformed();
  }
  const key = { catalog: value[1], path: value[2] };
  if (encodeCursor(key) !== cursor) throw malformed();
  return key;
}
