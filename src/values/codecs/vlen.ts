/**
 * numcodecs' variable-length codecs for object arrays (format 2): a uint32 count, then each
 * item as a uint32 byte length and its bytes. They turn bytes into the chunk's elements, so
 * they are array-to-bytes steps.
 */

function items(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  const out: Uint8Array[] = new Array(n);
  let at = 4;
  for (let i = 0; i < n; i++) {
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > bytes.byteLength) throw new Error("item runs past the end of the chunk");
    out[i] = bytes.subarray(at, at + length);
    at += length;
  }
  return out;
}

function cStrides(shape: number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i];
  }
  return strides;
}

function vlen(name: string, convert: (item: Uint8Array) => unknown) {
  return {
    fromConfig(_configuration: unknown, meta: { shape: number[] }) {
      return {
        kind: "array_to_bytes" as const,
        encode: () => {
          throw new Error(`${name}: encoding is not supported`);
        },
        decode: (bytes: Uint8Array) => ({
          data: items(bytes).map(convert),
          shape: meta.shape,
          stride: cStrides(meta.shape),
        }),
      };
    },
  };
}

const utf8 = new TextDecoder();

export const vlenUtf8 = vlen("vlen-utf8", (item) => utf8.decode(item));
/** Items stay bytes (copied out of the chunk, which may be large). */
export const vlenBytes = vlen("vlen-bytes", (item) => item.slice());
