import { validateKey } from "../stores/keys.js";
import { InvalidKeyError } from "../stores/store.js";
import { BadInputError } from "./errors.js";

/**
 * Node paths: "" for the root, "a/b" below it. Callers may write a leading or trailing "/"
 * (h5py style names); anything else that could escape or confuse a store is refused.
 */
export function normalizePath(input: string): string {
  if (typeof input !== "string") throw new BadInputError("path must be a string");
  if (input.length > 2048) throw new BadInputError("path is longer than 2048 characters");
  const trimmed = input.replace(/^\/+/, "").replace(/\/+$/, "");
  if (trimmed === "") return "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\u0000-\u001f\u007f]/.test(trimmed))
    throw new BadInputError(`path ${JSON.stringify(input)} contains control characters`);
  if (trimmed.includes("\\")) throw new BadInputError(`path ${JSON.stringify(input)} contains a backslash`);
  let decoded = trimmed;
  try {
    decoded = decodeURIComponent(trimmed);
  } catch {
    // not percent-encoded; judged as written
  }
  for (const candidate of [trimmed, decoded]) {
    for (const segment of candidate.split("/")) {
      if (segment === "") throw new BadInputError(`path ${JSON.stringify(input)} has an empty segment`);
      if (segment === "." || segment === "..")
        throw new BadInputError(`path ${JSON.stringify(input)} has a '.' or '..' segment`);
    }
  }
  // The stores' own gate too, so that no key a store would refuse is ever asked of one.
  try {
    validateKey(trimmed);
  } catch (error) {
    if (error instanceof InvalidKeyError)
      throw new BadInputError(`path ${JSON.stringify(input)} is not allowed (${error.message})`);
    throw error;
  }
  return trimmed;
}

export function joinPath(parent: string, child: string): string {
  return parent === "" ? child : child === "" ? parent : `${parent}/${child}`;
}

export function parentPath(path: string): string | null {
  if (path === "") return null;
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** h5py-style absolute name: "/" for the root. */
export function nodeName(path: string): string {
  return `/${path}`;
}

/** `path` relative to `ancestor`, or null when it is not below (or at) it. */
export function relativePath(ancestor: string, path: string): string | null {
  if (ancestor === "") return path;
  if (path === ancestor) return "";
  return path.startsWith(`${ancestor}/`) ? path.slice(ancestor.length + 1) : null;
}

/** Proper ancestors, nearest first: "a/b/c" -> ["a/b", "a", ""]. */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let p = parentPath(path); p !== null; p = parentPath(p)) out.push(p);
  return out;
}

/**
 * Python's order of `str`: by Unicode code point. JavaScript's `<` compares UTF-16 units, which
 * puts a character outside the Basic Multilingual Plane (a surrogate pair, 0xD800-0xDFFF)
 * before U+E000-U+FFFF; only the first differing unit decides, so only that pair is remapped.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates above U+E000-U+FFFF; everything else keeps its place. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}

/**
 * `names` in code-point order: the array itself where it already is (stores list in that order,
 * or in UTF-16 order, which differs only around surrogates), else a sorted copy. A page of a
 * walk through a group of 100,000 members asks for its names each time: a check is linear, a
 * sort with a comparator in JavaScript is not.
 */
export function inCodePointOrder(names: readonly string[]): readonly string[] {
  for (let i = 1; i < names.length; i++) {
    if (compareCodePoints(names[i - 1], names[i]) > 0) return [...names].sort(compareCodePoints);
  }
  return names;
}
