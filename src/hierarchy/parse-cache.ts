import type { JsonValue } from "./json.js";

/** Freezes a parsed document so that sharing it between requests cannot let one change another's. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Parsed documents shared by every request of a server, keyed by catalog, key and the store's
 * version of the object. Each request still asks the store (so a changed document is seen at
 * once); what it saves is parsing the same bytes again. Bounded by the bytes it holds, least
 * recently used out first.
 */
export class ParsedDocumentCache {
  private readonly entries = new Map<string, { value: JsonValue; bytes: number }>();
  private held = 0;

  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  private id(catalog: string, key: string, version: string): string {
    return JSON.stringify([catalog, key, version]);
  }

  get(catalog: string, key: string, version: string): JsonValue | undefined {
    const id = this.id(catalog, key, version);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.value;
  }

  set(catalog: string, key: string, version: string, value: JsonValue, bytes: number): JsonValue {
    if (bytes > this.maxBytes / 4) return value;
    const id = this.id(catalog, key, version);
    const previous = this.entries.get(id);
    if (previous) this.held -= previous.bytes;
    this.entries.set(id, { value: deepFreeze(value), bytes });
    this.held += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.held -= entry.bytes;
    }
    return value;
  }
}
