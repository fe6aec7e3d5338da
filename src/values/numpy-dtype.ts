import { getFloat16, setFloat16 } from "@petamoriken/float16";

/**
 * numpy type strings as format 2 writes them (`<i4`, `>f8`, `|b1`, `<M8[ns]`, `|S8`, `<U10`,
 * `<c16`), which numcodecs' filters also use to say how they view a buffer.
 */

export type NumpyKind = "b" | "i" | "u" | "f" | "c" | "M" | "m" | "S" | "U" | "V" | "O";

export interface NumpyDtype {
  kind: NumpyKind;
  /** Bytes per element (0 for object). */
  itemsize: number;
  /** null for single-byte and byte-string types. */
  littleEndian: boolean | null;
  /** datetime64 / timedelta64 unit ("ns", "D") and its multiple (`<M8[10s]`: 10). */
  unit?: { name: DateUnit; count: number };
}

export const DATE_UNITS = ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as"] as const;
export type DateUnit = (typeof DATE_UNITS)[number];

const PATTERN = /^([<>|=]?)([biufcMmSUVO])(\d*)(?:\[(\d*)([A-Za-z]+)\])?$/;

/** The parsed type string, or undefined when it is not one numpy writes (structured types included). */
export function parseNumpyDtype(text: unknown): NumpyDtype | undefined {
  if (typeof text !== "string") return undefined;
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  const [, order, kind, size, count, unit] = match;
  // The number counts bytes, except for unicode, where it counts characters of 4 bytes.
  const itemsize = kind === "O" ? 0 : Number(size || (kind === "b" ? 1 : Number.NaN)) * (kind === "U" ? 4 : 1);
  if (kind !== "O" && !(Number.isSafeInteger(itemsize) && itemsize > 0)) return undefined;
  const single = itemsize === 1 || kind === "S" || kind === "V" || kind === "O" || kind === "b";
  const dtype: NumpyDtype = { kind: kind as NumpyKind, itemsize, littleEndian: single ? null : order !== ">" };
  if (kind === "M" || kind === "m") {
    if (itemsize !== 8 || !(DATE_UNITS as readonly string[]).includes(unit ?? "")) return undefined;
    dtype.unit = { name: unit as DateUnit, count: count ? Number(count) : 1 };
  } else if (unit !== undefined) return undefined;
  return dtype;
}

/** Reads element `i` of a buffer viewed as `dtype` (numbers; int64 kinds as bigint). */
export function readElement(view: DataView, i: number, dtype: NumpyDtype): number | bigint | boolean {
  const at = i * dtype.itemsize;
  const le = dtype.littleEndian ?? true;
  switch (`${dtype.kind}${dtype.itemsize}`) {
    case "b1":
      return view.getUint8(at) !== 0;
    case "i1":
      return view.getInt8(at);
    case "u1":
      return view.getUint8(at);
    case "i2":
      return view.getInt16(at, le);
    case "u2":
      return view.getUint16(at, le);
    case "i4":
      return view.getInt32(at, le);
    case "u4":
      return view.getUint32(at, le);
    case "i8":
    case "M8":
    case "m8":
      return view.getBigInt64(at, le);
    case "u8":
      return view.getBigUint64(at, le);
    case "f2":
      return getFloat16(view, at, le);
    case "f4":
      return view.getFloat32(at, le);
    case "f8":
      return view.getFloat64(at, le);
  }
  throw new TypeError(`cannot view elements as ${dtype.kind}${dtype.itemsize}`);
}

/**
 * Writes `value` as element `i`, converting as numpy's `astype` does: floats to integers
 * truncate toward zero and wrap to the type's width, integers to floats round.
 */
export function writeElement(view: DataView, i: number, dtype: NumpyDtype, value: number | bigint | boolean): void {
  const at = i * dtype.itemsize;
  const le = dtype.littleEndian ?? true;
  const kind = `${dtype.kind}${dtype.itemsize}`;
  if (dtype.kind === "f") {
    const n = Number(value);
    if (kind === "f2") setFloat16(view, at, n, le);
    else if (kind === "f4") view.setFloat32(at, n, le);
    else if (kind === "f8") view.setFloat64(at, n, le);
    else throw new TypeError(`cannot write elements as ${kind}`);
    return;
  }
  if (kind === "b1") {
    view.setUint8(at, value ? 1 : 0);
    return;
  }
  const integer = typeof value === "bigint" ? value : BigInt(Math.trunc(Number(value)) || 0);
  const bits = dtype.itemsize * 8;
  const signed = dtype.kind !== "u";
  const wrapped = signed ? BigInt.asIntN(bits, integer) : BigInt.asUintN(bits, integer);
  const setters: Record<string, () => void> = {
    i1: () => view.setInt8(at, Number(wrapped)),
    u1: () => view.setUint8(at, Number(wrapped)),
    i2: () => view.setInt16(at, Number(wrapped), le),
    u2: () => view.setUint16(at, Number(wrapped), le),
    i4: () => view.setInt32(at, Number(wrapped), le),
    u4: () => view.setUint32(at, Number(wrapped), le),
    i8: () => view.setBigInt64(at, wrapped, le),
    M8: () => view.setBigInt64(at, wrapped, le),
    m8: () => view.setBigInt64(at, wrapped, le),
    u8: () => view.setBigUint64(at, wrapped, le),
  };
  const set = setters[kind];
  if (!set) throw new TypeError(`cannot write elements as ${kind}`);
  set();
}
