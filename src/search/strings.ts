import { RE2JS } from "re2js";

/**
 * String matching for search. Patterns run on RE2 (re2js): linear in the input whatever the
 * pattern, so no `regex` or `like` can stall the server.
 */

/**
 * Code-point order. JavaScript's `<` compares UTF-16 units, which puts characters above U+FFFF
 * (stored as surrogates, D800-DFFF) before U+E000-U+FFFF; code points put them after.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const folded = new Map<number, string>();

/**
 * Case folding for case-insensitive comparisons: each character's Unicode lower-case mapping
 * where that is one character (so "Σ" and "σ" fold together, "İ", whose lower case is two, stays).
 * Per character, never by context, so a string folds the same wherever it stands.
 */
export function fold(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is the fast path
  if (/^[\u0000-\u007f]*$/.test(text)) return text.toLowerCase();
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let lower = folded.get(cp);
    if (lower === undefined) {
      const l = ch.toLowerCase();
      lower = [...l].length === 1 ? l : ch;
      folded.set(cp, lower);
    }
    out += lower;
  }
  return out;
}

/** A pattern that could not be compiled; the message says why. */
export class PatternError extends Error {}

/** A compiled `regex`: matches anywhere in the string unless anchored (^…$). */
export function compileRegex(source: string, caseSensitive: boolean): RE2JS {
  try {
    return RE2JS.compile(source, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    throw new PatternError(`invalid regular expression: ${(error as Error).message}`);
  }
}

/**
 * SQL LIKE as an RE2 pattern matched against the whole string: `%` any run of characters, `_`
 * one character, `\` makes the next character literal. Case-insensitive patterns are folded
 * and matched against folded strings (see `fold`).
 */
export function compileLike(pattern: string, caseSensitive: boolean): RE2JS {
  const source = caseSensitive ? pattern : fold(pattern);
  let out = "";
  const chars = [...source];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === "\\") {
      if (i + 1 >= chars.length) throw new PatternError("invalid like pattern: it ends with an escape (\\)");
      out += RE2JS.quote(chars[++i]);
    } else if (ch === "%") out += "(?s:.*)";
    else if (ch === "_") out += "(?s:.)";
    else out += RE2JS.quote(ch);
  }
  return RE2JS.compile(out);
}

/** A compiled string test: like (whole string) or regex (anywhere), folding where asked. */
export interface StringPattern {
  kind: "like" | "regex";
  source: string;
  caseSensitive: boolean;
  re: RE2JS;
}

export function pattern(kind: "like" | "regex", source: string, caseSensitive: boolean): StringPattern {
  const re = kind === "like" ? compileLike(source, caseSensitive) : compileRegex(source, caseSensitive);
  return { kind, source, caseSensitive, re };
}

export function testPattern(p: StringPattern, text: string): boolean {
  if (p.kind === "like") return p.re.testExact(p.caseSensitive ? text : fold(text));
  return p.re.test(text);
}
