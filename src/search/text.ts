import type { JsonValue } from "../hierarchy/json.js";
import type { SearchRecord } from "./record.js";
import { fold } from "./strings.js";
import { kindOf } from "./values.js";

/**
 * Full text: words are runs of letters and digits (anything else, `_` included, separates),
 * compared case-insensitively (folded, see strings.ts).
 */

const WORD = /[\p{L}\p{N}]+/gu;

/** The distinct words of a text, folded, in order of first appearance. */
export function words(text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(WORD)) out.add(fold(match[0]));
  return [...out];
}

/**
 * The words a node can be found by: its path's segments, its attribute keys and string values
 * at any depth (inside lists too), and its dimension names.
 */
export function recordWords(record: SearchRecord): Set<string> {
  const out = new Set<string>();
  const add = (text: string) => {
    for (const match of text.matchAll(WORD)) out.add(fold(match[0]));
  };
  add(record.path);
  const visit = (value: JsonValue) => {
    const kind = kindOf(value);
    if (kind === "string") add(value as string);
    else if (kind === "list") for (const item of value as JsonValue[]) visit(item);
    else if (kind === "object") {
      for (const [key, item] of Object.entries(value as Record<string, JsonValue>)) {
        add(key);
        visit(item);
      }
    }
  };
  visit(record.attributes);
  for (const name of record.dimensionNames ?? []) if (name !== null) add(name);
  return out;
}
