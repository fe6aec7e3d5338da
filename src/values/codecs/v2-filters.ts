import type { JsonObject } from "../../hierarchy/json.js";
import { type NumpyDtype, parseNumpyDtype, readElement, writeElement } from "../numpy-dtype.js";
import { type BytesCodec, decodeOnly } from "./codec.js";
import type { V2_FILTER_IDS } from "./v2-filter-ids.js";

/**
 * numcodecs' filters as format 2 applies them: each views the buffer it is given as its own
 * configured dtype (not the array's), so they are bytes-to-bytes steps here, decoded in reverse
 * order after the compressor, exactly as zarr-python 2 runs them.
 */

function dtypeOf(config: JsonObject, field: string, fallback?: string): NumpyDtype {
  const value = config[field] ?? fallback;
  const dtype = parseNumpyDtype(value);
  if (!dtype || dtype.kind === "O" || dtype.kind === "V") {
    throw new TypeError(`"${field}" ${JSON.stringify(value)} is not a numeric dtype`);
  }
  return dtype;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Elements of `bytes` viewed as `from`, each converted by `convert`, written as `to`. */
function recast(
  bytes: Uint8Array,
  from: NumpyDtype,
  to: NumpyDtype,
  convert: (value: number | bigint | boolean, i: number) => number | bigint | boolean = (v) => v,
): Uint8Array {
  const n = Math.floor(bytes.byteLength / from.itemsize);
  const input = view(bytes);
  const out = new Uint8Array(n * to.itemsize);
  const output = view(out);
  for (let i = 0; i < n; i++) writeElement(output, i, to, convert(readElement(input, i, from), i));
  return out;
}

/**
 * Delta(dtype, astype): the stored differences (as astype) summed back up (as dtype). Integer
 * sums wrap to the type's width when written; float32 sums round at each step, as numpy's
 * cumsum in float32 does.
 */
export const delta = decodeOnly("delta", (config) => {
  const dtype = dtypeOf(config, "dtype");
  const astype = dtypeOf(config, "astype", config.dtype as string);
  const float = dtype.kind === "f";
  const wide = !float && dtype.itemsize === 8;
  return (bytes) => {
    let sum = 0;
    let bigSum = 0n;
    return recast(bytes, astype, dtype, (value) => {
      if (wide) {
        bigSum = BigInt.asIntN(64, bigSum + BigInt(value));
        return bigSum;
      }
      sum += Number(value);
      if (float && dtype.itemsize === 4) sum = Math.fround(sum);
      // Keep integer sums exact: any multiple of 2^32 is nothing once wrapped to 32 bits or fewer.
      else if (!float && Math.abs(sum) > 2 ** 52) sum %= 2 ** 32;
      return sum;
    });
  };
});

/** AsType(encode_dtype, decode_dtype). */
export const astype = decodeOnly("astype", (config) => {
  const encoded = dtypeOf(config, "encode_dtype");
  const decoded = dtypeOf(config, "decode_dtype");
  return (bytes) => recast(bytes, encoded, decoded);
});

/** Quantize(digits, dtype, astype): values were rounded and stored as astype; decoding is a cast. */
export const quantize = decodeOnly("quantize", (config) => {
  const dtype = dtypeOf(config, "dtype");
  const astype = dtypeOf(config, "astype", config.dtype as string);
  return (bytes) => recast(bytes, astype, dtype);
});

/** FixedScaleOffset(offset, scale, dtype, astype): `enc / scale + offset`, cast to dtype. */
export const fixedScaleOffset = decodeOnly("fixedscaleoffset", (config) => {
  const dtype = dtypeOf(config, "dtype");
  const astype = dtypeOf(config, "astype", config.dtype as string);
  const scale = Number(config.scale);
  const offset = Number(config.offset);
  return (bytes) => recast(bytes, astype, dtype, (value) => Number(value) / scale + offset);
});

/** PackBits: one header byte (padding bits in the last byte), then the booleans 8 to a byte. */
export const packBits = decodeOnly("packbits", () => (bytes) => {
  const padding = bytes[0] ?? 0;
  const n = Math.max(0, (bytes.byteLength - 1) * 8 - padding);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (bytes[1 + (i >> 3)] >> (7 - (i & 7))) & 1;
  return out;
});

/** Categorize(labels, dtype, astype): codes (1-based, 0 for none) back to fixed-width unicode. */
export const categorize = decodeOnly("categorize", (config) => {
  const astype = dtypeOf(config, "astype");
  const dtype = parseNumpyDtype(config.dtype);
  const labels = Array.isArray(config.labels) ? config.labels.map(String) : [];
  if (dtype?.kind !== "U") throw new TypeError("categorize decodes to fixed-width unicode only");
  const chars = dtype.itemsize / 4;
  return (bytes) => {
    const codes = view(bytes);
    const n = Math.floor(bytes.byteLength / astype.itemsize);
    const out = new Uint8Array(n * dtype.itemsize);
    const output = view(out);
    for (let i = 0; i < n; i++) {
      const label = labels[Number(readElement(codes, i, astype)) - 1] ?? "";
      const points = Array.from(label).slice(0, chars);
      for (const [j, c] of points.entries()) {
        output.setUint32(i * dtype.itemsize + j * 4, c.codePointAt(0)!, dtype.littleEndian ?? true);
      }
    }
    return out;
  };
});

/** BitRound keeps the values it rounded: decoding changes nothing. */
export const bitRound = decodeOnly("bitround", () => (bytes) => bytes);

/** Shuffle(elementsize): byte planes back into elements (numcodecs' own element size, not the array's). */
export const shuffle = decodeOnly("shuffle", (config) => {
  const size = Number(config.elementsize ?? 4);
  return (bytes) => {
    if (size <= 1) return bytes;
    const count = Math.floor(bytes.byteLength / size);
    const out = new Uint8Array(bytes.byteLength);
    for (let b = 0; b < size; b++) {
      for (let i = 0; i < count; i++) out[i * size + b] = bytes[b * count + i];
    }
    // Bytes past the last whole element are left as they are, as numcodecs does.
    out.set(bytes.subarray(count * size), count * size);
    return out;
  };
});

export const V2_FILTERS: Record<(typeof V2_FILTER_IDS)[number], BytesCodec> = {
  delta,
  astype,
  quantize,
  fixedscaleoffset: fixedScaleOffset,
  packbits: packBits,
  categorize,
  bitround: bitRound,
  shuffle,
};
