import { BadInputError } from "../errors.js";
import type { JsonValue } from "../json.js";

/**
 * A data type as numpy sees it (kind and item size), with the value its document carries:
 * a numpy type string for format 2 ("<i4", "|b1", "<U5"), a core name for format 3 ("int32").
 */
export interface DataType {
  /** numpy kind: b bool, i/u integers, f float, c complex, S bytes, U unicode, M/m datetime; T variable-length string (v3 "string"). */
  kind: "b" | "i" | "u" | "f" | "c" | "S" | "U" | "M" | "m" | "T";
  /** Bytes per element (characters × 4 for U); 0 for variable-length strings. */
  size: number;
  /** Datetime unit ("ns", "D", ...) for M and m. */
  unit?: string;
  /** Byte order of multi-byte types. */
  order: "<" | ">" | "|";
  /** What goes into the document. */
  document: string;
}

const V3_NAMES: Record<string, [DataType["kind"], number]> = {
  bool: ["b", 1],
  int8: ["i", 1],
  int16: ["i", 2],
  int32: ["i", 4],
  int64: ["i", 8],
  uint8: ["u", 1],
  uint16: ["u", 2],
  uint32: ["u", 4],
  uint64: ["u", 8],
  float16: ["f", 2],
  float32: ["f", 4],
  float64: ["f", 8],
  complex64: ["c", 8],
  complex128: ["c", 16],
  string: ["T", 0],
};

const SIZES: Partial<Record<DataType["kind"], number[]>> = {
  b: [1],
  i: [1, 2, 4, 8],
  u: [1, 2, 4, 8],
  f: [2, 4, 8],
  c: [8, 16],
  M: [8],
  m: [8],
};

const DATETIME_UNITS = new Set(["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as"]);
const TYPESTR = /^([<>|=]?)([biufcSUMm])(\d+)(?:\[(\w+)\])?$/;

function refuse(value: unknown, format: 2 | 3): never {
  const hint =
    format === 2
      ? 'a numpy type string such as "<i4", "<f8", "|b1", "<U8", "|S4", "<M8[ns]", or a name such as "int32"'
      : `one of ${Object.keys(V3_NAMES).join(", ")}`;
  throw new BadInputError(`unsupported data type ${JSON.stringify(value)} for zarr format ${format}: use ${hint}`, {
    field: "dataType",
  });
}

/** Parses a numpy type string ("<i4") into its parts, normalising the byte order as numpy does. */
function fromTypestr(text: string, format: 2 | 3): DataType {
  const m = TYPESTR.exec(text);
  if (!m) refuse(text, format);
  const [, rawOrder, kind, sizeText, unit] = m as unknown as [string, string, DataType["kind"], string, string?];
  const n = Number(sizeText);
  if (kind === "S" || kind === "U") {
    if (!Number.isSafeInteger(n) || n < 1 || unit) refuse(text, format);
    const size = kind === "U" ? n * 4 : n;
    const order = kind === "S" ? "|" : rawOrder === ">" ? ">" : "<";
    return { kind, size, order, document: `${order}${kind}${n}` };
  }
  if (!SIZES[kind]?.includes(n)) refuse(text, format);
  if ((kind === "M" || kind === "m") !== (unit !== undefined)) refuse(text, format);
  if (unit !== undefined && !DATETIME_UNITS.has(unit)) refuse(text, format);
  // numpy writes "|" for one-byte types and "<" for native order on little-endian machines.
  const order = n === 1 ? "|" : rawOrder === ">" ? ">" : "<";
  const document = `${order}${kind}${n}${unit ? `[${unit}]` : ""}`;
  return { kind, size: n, order, document, ...(unit ? { unit } : {}) };
}

/** The data type an input names, for the given format; BAD_USER_INPUT when it is not one. */
export function parseDataType(value: JsonValue | undefined, format: 2 | 3): DataType {
  if (typeof value !== "string" || value === "") refuse(value, format);
  const named = V3_NAMES[value];
  if (format === 3) {
    if (named) return { kind: named[0], size: named[1], order: named[1] > 1 ? "<" : "|", document: value };
    // numpy spellings of the same types are accepted and written as their v3 names.
    const parsed = TYPESTR.test(value) ? fromTypestr(value, 3) : refuse(value, 3);
    if (parsed.order === ">") {
      throw new BadInputError(
        `big-endian ${JSON.stringify(value)} is not a zarr format 3 data type: name the type and set the bytes codec's endian to "big"`,
        { field: "dataType" },
      );
    }
    const name = Object.entries(V3_NAMES).find(([, [k, s]]) => k === parsed.kind && s === parsed.size)?.[0];
    if (!name) refuse(value, 3);
    return { ...parsed, document: name };
  }
  if (named) {
    if (named[0] === "T") refuse(value, 2);
    return fromTypestr(`${named[0]}${named[1]}`, 2);
  }
  return fromTypestr(value, 2);
}

/** Reads the data type of an existing array document (for require's compatibility check). */
export function dataTypeOf(value: JsonValue, format: 2 | 3): DataType | null {
  try {
    return parseDataType(value, format);
  } catch {
    return null;
  }
}

const FLOAT_FOR_INT: Record<number, number> = { 1: 2, 2: 4, 4: 8, 8: 8 };

/**
 * numpy's `can_cast(from, to, casting="safe")` for the types above: whether every value of
 * `from` is exactly representable in `to`. zarr-python's require_array uses it.
 */
export function canCastSafely(from: DataType, to: DataType): boolean {
  if (from.kind === to.kind && from.size === to.size && from.unit === to.unit) return true;
  const numeric = (k: string) => "biufc".includes(k);
  if (from.kind === "b") {
    return (
      numeric(to.kind) || to.kind === "m" || (to.kind === "S" && to.size >= 5) || (to.kind === "U" && to.size >= 20)
    );
  }
  if (from.kind === "i" || from.kind === "u") {
    // Timedeltas are int64 underneath: every integer type that fits in int64 casts to them.
    if (to.kind === "m") return from.kind === "i" || from.size < 8;
    if (to.kind === "i") return from.kind === "i" ? to.size >= from.size : to.size > from.size;
    if (to.kind === "u") return from.kind === "u" && to.size >= from.size;
    if (to.kind === "f") return to.size >= FLOAT_FOR_INT[from.size];
    if (to.kind === "c") return to.size / 2 >= FLOAT_FOR_INT[from.size];
    if (to.kind === "S" || to.kind === "U") return to.size / (to.kind === "U" ? 4 : 1) >= intDigits(from);
    return false;
  }
  if (from.kind === "f")
    return (to.kind === "f" && to.size >= from.size) || (to.kind === "c" && to.size >= 2 * from.size);
  if (from.kind === "c") return to.kind === "c" && to.size >= from.size;
  if (from.kind === "S")
    return (to.kind === "S" || to.kind === "U") && to.size / (to.kind === "U" ? 4 : 1) >= from.size;
  if (from.kind === "U") return to.kind === "U" && to.size >= from.size;
  if (from.kind === "M") return to.kind === "M" && unitRank(to.unit) >= unitRank(from.unit);
  if (from.kind === "m") {
    if (to.kind !== "m") return false;
    // Years and months have no fixed length in days: they cast only among themselves.
    const calendar = (u?: string) => u === "Y" || u === "M";
    if (calendar(from.unit) !== calendar(to.unit)) return false;
    return unitRank(to.unit) >= unitRank(from.unit);
  }
  return false;
}

/** Characters numpy reserves when casting an integer type to a string type. */
function intDigits(t: DataType): number {
  const digits: Record<string, number> = { i1: 4, i2: 6, i4: 11, i8: 21, u1: 3, u2: 5, u4: 10, u8: 20 };
  return digits[`${t.kind}${t.size}`];
}

const UNIT_ORDER = ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as"];

function unitRank(unit: string | undefined): number {
  return UNIT_ORDER.indexOf(unit ?? "");
}

/** The bytes one element takes, for chunk-shape guessing (variable-length strings count 16, as zarr-python's guess). */
export function itemSize(t: DataType): number {
  return t.size || 16;
}
