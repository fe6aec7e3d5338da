// An evaluation of search filters written apart from src/search, from the words alone,
// over a hierarchy's model (the values its documents were written from). Numbers are exact
// fractions of BigInts, strings are compared as arrays of code points, like patterns become
// JavaScript regular expressions, regex patterns run on JavaScript's engine: nothing is shared
// with the code under test.

/** A JSON number as written in a document, digit for digit. */
export class Num {
  constructor(readonly text: string) {}
}

export type Value = null | boolean | string | Num | Value[] | { [key: string]: Value };

export interface ModelNode {
  path: string;
  nodeType: "group" | "array";
  zarrFormat: 2 | 3;
  attributes: { [key: string]: Value };
  dataType?: string;
  shape?: number[];
  /** format 3 dimension_names; format 2 reads _ARRAY_DIMENSIONS from the attributes. */
  dimensionNames?: (string | null)[] | null;
}

type Frac = { n: bigint; d: bigint };

function frac(text: string): Frac {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a number: ${text}`);
  const digits = BigInt(`${m[2]}${m[3] ?? ""}`) * (m[1] ? -1n : 1n);
  const scale = (m[3]?.length ?? 0) - Number(m[4] ?? 0);
  return scale >= 0 ? { n: digits, d: 10n ** BigInt(scale) } : { n: digits * 10n ** BigInt(-scale), d: 1n };
}

function cmpNum(a: Num, b: Num): number {
  const x = frac(a.text);
  const y = frac(b.text);
  const l = x.n * y.d;
  const r = y.n * x.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

const codePoints = (s: string) => Array.from(s, (c) => c.codePointAt(0)!);

export function cmpStr(a: string, b: string): number {
  const x = codePoints(a);
  const y = codePoints(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** Lower case per character, when that is one character. */
export function foldCase(s: string): string {
  return Array.from(s, (c) => {
    const l = c.toLowerCase();
    return Array.from(l).length === 1 ? l : c;
  }).join("");
}

function kind(v: Value | undefined): string {
  if (v === null) return "null";
  if (v instanceof Num) return "number";
  if (Array.isArray(v)) return "list";
  return typeof v;
}

export function equal(a: Value, b: Value, fold: boolean): boolean {
  const k = kind(a);
  if (k !== kind(b)) return false;
  if (k === "number") return cmpNum(a as Num, b as Num) === 0;
  if (k === "string") return fold ? foldCase(a as string) === foldCase(b as string) : a === b;
  if (k === "list") {
    const x = a as Value[];
    const y = b as Value[];
    return x.length === y.length && x.every((v, i) => equal(v, y[i], fold));
  }
  if (k === "object") {
    const x = a as Record<string, Value>;
    const y = b as Record<string, Value>;
    const kx = Object.keys(x).sort();
    const ky = Object.keys(y).sort();
    return kx.length === ky.length && kx.every((key, i) => key === ky[i] && equal(x[key], y[key], fold));
  }
  return a === b;
}

function lookup(attributes: Record<string, Value>, key: string): { has: boolean; value?: Value } {
  let at: Value = attributes;
  for (const part of key.split(".")) {
    if (Array.isArray(at)) {
      if (!/^(0|[1-9][0-9]*)$/.test(part) || Number(part) >= at.length) return { has: false };
      at = at[Number(part)];
    } else if (at !== null && typeof at === "object" && !(at instanceof Num)) {
      if (!Object.hasOwn(at, part)) return { has: false };
      at = (at as Record<string, Value>)[part];
    } else return { has: false };
  }
  return { has: true, value: at };
}

function likeToRegExp(pattern: string, fold: boolean): RegExp {
  const p = fold ? foldCase(pattern) : pattern;
  let src = "";
  const chars = Array.from(p);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\\") src += chars[++i].replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
    else if (c === "%") src += "[\\s\\S]*";
    else if (c === "_") src += "[\\s\\S]";
    else src += c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`^${src}$`, "u");
}

function likeMatch(pattern: string, text: string, fold: boolean): boolean {
  return likeToRegExp(pattern, fold).test(fold ? foldCase(text) : text);
}

function regexMatch(pattern: string, text: string, fold: boolean): boolean {
  return new RegExp(pattern, fold ? "iu" : "u").test(text);
}

/** Filter input values arrive as JSON; numbers become Num with their shortest decimal text. */
export function fromInput(v: unknown): Value {
  if (typeof v === "number") return new Num(String(v).replace("e+", "e"));
  if (Array.isArray(v)) return v.map(fromInput);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromInput(x)]));
  }
  return v as Value;
}

function dims(node: ModelNode): (string | null)[] | null {
  if (node.nodeType !== "array") return null;
  if (node.zarrFormat === 3) return node.dimensionNames ?? null;
  const d = node.attributes._ARRAY_DIMENSIONS;
  if (Array.isArray(d) && d.length === node.shape!.length && d.every((x) => typeof x === "string")) {
    return d as string[];
  }
  return null;
}

function attributeTest(m: any, node: ModelNode): boolean {
  const { has, value } = lookup(node.attributes, m.key);
  const fold = m.caseSensitive === false;
  const ops = Object.keys(m).filter(
    (k) =>
      k !== "key" &&
      k !== "caseSensitive" &&
      m[k] !== undefined &&
      (m[k] !== null || ["eq", "ne", "contains"].includes(k)),
  );
  if (ops.length === 0) return has;
  return ops.every((op) => {
    if (op === "exists") return m.exists === has;
    if (!has) return false;
    const v = value as Value;
    const arg = fromInput(m[op]);
    switch (op) {
      case "eq":
        return equal(v, arg, fold);
      case "ne":
        return !equal(v, arg, fold);
      case "in":
        return (arg as Value[]).some((x) => equal(v, x, fold));
      case "notIn":
        return !(arg as Value[]).some((x) => equal(v, x, fold));
      case "contains":
        if (Array.isArray(v)) return v.some((x) => equal(x, arg, fold));
        if (typeof v === "string" && typeof arg === "string") {
          return fold ? foldCase(v).includes(foldCase(arg)) : v.includes(arg);
        }
        return false;
      case "lt":
      case "lte":
      case "gt":
      case "gte": {
        let c: number;
        if (kind(v) !== kind(arg)) return false;
        if (v instanceof Num) c = cmpNum(v, arg as Num);
        else if (typeof v === "string") c = cmpStr(v, arg as string);
        else return false;
        return op === "lt" ? c < 0 : op === "lte" ? c <= 0 : op === "gt" ? c > 0 : c >= 0;
      }
      case "like":
        return typeof v === "string" && likeMatch(m.like, v, fold);
      case "regex":
        return typeof v === "string" && regexMatch(m.regex, v, fold);
      default:
        throw new Error(`oracle: unknown operator ${op}`);
    }
  });
}

/** Whether the node satisfies the NodeFilter input (GraphQL shape). */
export function satisfies(f: any, node: ModelNode): boolean {
  if (f === null || f === undefined) return true;
  const tests: boolean[] = [];
  if (f.and) tests.push(f.and.every((x: any) => satisfies(x, node)));
  if (f.or) tests.push(f.or.some((x: any) => satisfies(x, node)));
  if (f.not) tests.push(!satisfies(f.not, node));
  if (f.nodeType) tests.push(node.nodeType === f.nodeType.toLowerCase());
  if (f.zarrFormat !== undefined && f.zarrFormat !== null) tests.push(node.zarrFormat === f.zarrFormat);
  if (typeof f.pathPrefix === "string") {
    const p = f.pathPrefix;
    tests.push(p === "" || node.path === p || node.path.startsWith(`${p}/`));
  }
  if (f.name) {
    const base = node.path.split("/").pop()!;
    const fold = f.name.caseSensitive === false;
    if (typeof f.name.eq === "string") tests.push(fold ? foldCase(base) === foldCase(f.name.eq) : base === f.name.eq);
    if (typeof f.name.like === "string") tests.push(likeMatch(f.name.like, base, fold));
    if (typeof f.name.regex === "string") tests.push(regexMatch(f.name.regex, base, fold));
  }
  if (f.attribute) tests.push(attributeTest(f.attribute, node));
  if (f.dataType) tests.push(node.nodeType === "array" && f.dataType.includes(node.dataType));
  if (f.ndim) {
    const n = node.nodeType === "array" ? node.shape!.length : null;
    tests.push(
      n !== null &&
        (f.ndim.eq == null || n === f.ndim.eq) &&
        (f.ndim.gte == null || n >= f.ndim.gte) &&
        (f.ndim.lte == null || n <= f.ndim.lte),
    );
  }
  if (typeof f.dimensionName === "string") tests.push((dims(node) ?? []).includes(f.dimensionName));
  return tests.every(Boolean);
}

function wordsIn(text: string, into: Set<string>): void {
  let word = "";
  for (const c of text) {
    if (/[\p{L}\p{N}]/u.test(c)) word += c;
    else if (word) {
      into.add(foldCase(word));
      word = "";
    }
  }
  if (word) into.add(foldCase(word));
}

function nodeWords(node: ModelNode): Set<string> {
  const out = new Set<string>();
  for (const segment of node.path.split("/")) wordsIn(segment, out);
  const visit = (v: Value) => {
    if (typeof v === "string") wordsIn(v, out);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object" && !(v instanceof Num)) {
      for (const [k, x] of Object.entries(v)) {
        wordsIn(k, out);
        visit(x);
      }
    }
  };
  visit(node.attributes);
  for (const d of dims(node) ?? []) if (d !== null) wordsIn(d, out);
  return out;
}

/** Every word of the text (several must all occur), in path segments, keys, string values, dimension names. */
export function hasText(text: string | undefined, node: ModelNode): boolean {
  if (!text) return true;
  const want = new Set<string>();
  wordsIn(text, want);
  const have = nodeWords(node);
  return [...want].every((w) => have.has(w));
}

/** A facet value as the API prints it (integers beyond 2^53 as exact strings). */
export function printed(v: Value): unknown {
  if (v instanceof Num) {
    const f = frac(v.text);
    if (f.d === 1n || f.n % f.d === 0n) {
      const i = f.n / f.d;
      return i > -(2n ** 53n) && i < 2n ** 53n ? Number(i) : i.toString();
    }
    return Number(v.text);
  }
  if (Array.isArray(v)) return v.map(printed);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, printed(x)]));
  return v;
}

/** Facet counts over the hits: nodes that have the key (with a value other than null), grouped by equality. */
export function facetCounts(nodes: ModelNode[], key: string): { value: Value; count: number }[] {
  const groups: { value: Value; count: number }[] = [];
  for (const node of nodes) {
    let value: Value | undefined;
    if (key === "nodeType") value = node.nodeType.toUpperCase();
    else if (key === "dataType") value = node.nodeType === "array" ? node.dataType! : undefined;
    else {
      const found = lookup(node.attributes, key);
      value = found.has ? found.value : undefined;
    }
    // Facet.value is JSON!: a null value is no facet.
    if (value === undefined || value === null) continue;
    const group = groups.find((g) => equal(g.value, value as Value, false));
    if (group) group.count++;
    else groups.push({ value, count: 1 });
  }
  return groups;
}
