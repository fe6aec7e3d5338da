import type { JsonValue } from "./json.js";
import { toIndex } from "./json.js";

/**
 * numpy's `str(dtype)` for a format-2 `dtype` (what zarr-python's `tree()` prints after an
 * array's shape): the type's name where it is native ("float64", "datetime64[ns]", "bool"), its
 * code where the byte order matters or the size is part of the type (">f8", "<U4", "|S3"), and
 * a structured type as the list of tuples numpy prints ("[('idCmW', '<U4'), ('count', '<i8')]").
 * Null when `dtype` is not one numpy would accept, so a caller can show the document's value.
 */
export function numpyDtypeStr(dtype: JsonValue): string | null {
  if (Array.isArray(dtype)) return structStr(dtype);
  if (typeof dtype !== "string") return null;
  const t = scalar(dtype);
  if (!t) return null;
  if (t.flexible || !t.native) return `${t.order || "|"}${t.code}`;
  return t.name;
}

const KIND_NAMES: Record<string, string> = { i: "int", u: "uint", f: "float", c: "complex" };

interface Scalar {
  /** '<', '>' or '' (byte order does not apply), as numpy normalises it. */
  order: "<" | ">" | "";
  /** The code without its byte order: "f8", "U4", "M8[ns]", "b1". */
  code: string;
  kind: string;
  size: number;
  unit: string;
  flexible: boolean;
  native: boolean;
  /** numpy's name ("float64"), for types whose size is not part of it. */
  name: string;
}

function scalar(text: string): Scalar | null {
  const m = /^([<>|=]?)([biufcmMSUVO])(\d*)(\[\d*[A-Za-z]+\])?$/.exec(text);
  if (!m) return null;
  const [, rawOrder, kind, digits, unit = ""] = m;
  if (unit && kind !== "M" && kind !== "m") return null;
  const size =
    digits === "" ? (kind === "b" ? 1 : kind === "O" ? 8 : kind === "M" || kind === "m" ? 8 : 0) : Number(digits);
  const flexible = kind === "S" || kind === "U" || kind === "V";
  // numpy drops the byte order where it cannot matter: single bytes, byte strings, voids, objects.
  const bytewise = kind === "S" || kind === "V" || kind === "O" || kind === "b" || (size === 1 && kind !== "U");
  const order = bytewise ? "" : rawOrder === ">" ? ">" : "<";
  const code = `${kind}${kind === "O" || (kind === "b" && digits === "") ? "" : digits}${unit}`;
  const native = order !== ">";
  let name = "";
  if (kind === "b") name = "bool";
  else if (kind === "O") name = "object";
  else if (kind === "M") name = `datetime64${unit}`;
  else if (kind === "m") name = `timedelta64${unit}`;
  else if (KIND_NAMES[kind]) {
    if (!size) return null;
    name = `${KIND_NAMES[kind]}${size * 8}`;
  }
  return { order, code: kind === "b" ? "b1" : code, kind, size, unit, flexible, native, name };
}

/** A field's type as numpy writes it inside a structured dtype: short codes, bool as '?'. */
function fieldTypeStr(dtype: JsonValue): string | null {
  if (Array.isArray(dtype)) return structStr(dtype);
  if (typeof dtype !== "string") return null;
  const t = scalar(dtype);
  if (!t) return null;
  if (t.kind === "b") return pythonStrRepr("?");
  if (t.kind === "O") return pythonStrRepr("O");
  return pythonStrRepr(`${t.order}${t.code}`);
}

function structStr(fields: JsonValue[]): string | null {
  if (fields.length === 0) return null;
  const items: string[] = [];
  for (const field of fields) {
    if (!Array.isArray(field) || field.length < 2 || field.length > 3 || typeof field[0] !== "string") return null;
    const type = fieldTypeStr(field[1]);
    if (type === null) return null;
    if (field.length === 2) {
      items.push(`(${pythonStrRepr(field[0])}, ${type})`);
      continue;
    }
    const shape = Array.isArray(field[2]) ? field[2].map(toIndex) : [toIndex(field[2])];
    if (shape.some((n) => n === undefined)) return null;
    items.push(`(${pythonStrRepr(field[0])}, ${type}, ${pythonTuple(shape as number[])})`);
  }
  return `[${items.join(", ")}]`;
}

/** Python's tuple repr: (), (3,), (3, 4). */
export function pythonTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(", ")})`;
}

/** Characters Python's `str.isprintable()` refuses (other than space), which repr escapes. */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's `repr(str)`: single quotes unless only double quotes avoid escaping. */
export function pythonStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of text) {
    if (c === quote || c === "\\") out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c !== " " && NON_PRINTABLE.test(c)) out += escapeCodePoint(c.codePointAt(0)!);
    else out += c;
  }
  return out + quote;
}

function escapeCodePoint(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}
