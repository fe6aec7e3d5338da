import { crc32 } from "node:zlib";
import adler32 from "adler-32";
import * as crc32c from "crc-32/crc32c.js";
import Bunzip from "seek-bzip";
import xz from "xz-decompress";
import { type BytesCodec, decodeOnly } from "./codec.js";

/**
 * numcodecs' compressors and checksums that numcodecs.js lacks, each on a library: bz2
 * (seek-bzip), lzma in its default xz container (xz-decompress), crc32 / adler32 (a little-endian
 * checksum of the rest, prepended), base64.
 */

export const bz2 = decodeOnly("bz2", () => (bytes) => new Uint8Array(Bunzip.decode(Buffer.from(bytes))));

/** lzma's formats other than xz (1, the default) need filter chains this decoder does not take. */
export const lzma = decodeOnly("lzma", (config) => {
  const format = config.format ?? 1;
  if (format !== 1) throw new TypeError(`lzma format ${JSON.stringify(format)} is not supported (only xz, format 1)`);
  return async (bytes) => {
    const stream = new xz.XzReadableStream(new Blob([new Uint8Array(bytes)]).stream());
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
});

function checksum(name: string, sum: (data: Uint8Array) => number): BytesCodec {
  return decodeOnly(name, () => (bytes) => {
    if (bytes.byteLength < 4) throw new Error(`${name}: chunk shorter than its checksum`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
    const data = bytes.subarray(4);
    if (view.getUint32(0, true) !== sum(data) >>> 0) throw new Error(`${name}: checksum failed`);
    return data;
  });
}

export const crc32Checksum = checksum("crc32", (data) => crc32(data));
export const adler32Checksum = checksum("adler32", (data) => adler32.buf(data));

export const base64 = decodeOnly(
  "base64",
  () => (bytes) => new Uint8Array(Buffer.from(Buffer.from(bytes).toString("latin1"), "base64")),
);

/**
 * Format 3's crc32c: a little-endian CRC-32C of the rest, appended. zarrita's own strips it
 * unchecked; this one checks it (and encodes, which zarrita's cannot). Sharding indexes use it too,
 * hence the encoded size.
 */
export const crc32cChecksum = {
  fromConfig() {
    return {
      kind: "bytes_to_bytes" as const,
      async encode(bytes: Uint8Array): Promise<Uint8Array> {
        const out = new Uint8Array(bytes.byteLength + 4);
        out.set(bytes);
        new DataView(out.buffer).setUint32(bytes.byteLength, crc32c.buf(bytes) >>> 0, true);
        return out;
      },
      async decode(bytes: Uint8Array): Promise<Uint8Array> {
        if (bytes.byteLength < 4) throw new Error("crc32c: chunk shorter than its checksum");
        const data = bytes.subarray(0, bytes.byteLength - 4);
        const stored = new DataView(bytes.buffer, bytes.byteOffset + data.byteLength, 4).getUint32(0, true);
        if (stored !== crc32c.buf(data) >>> 0) throw new Error("crc32c: checksum failed");
        return data;
      },
      computeEncodedSize: (size: number) => size + 4,
    };
  },
};
