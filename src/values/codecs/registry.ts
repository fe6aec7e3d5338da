import * as zarr from "zarrita";
import type { Codec } from "../../hierarchy/metadata.js";
import { UnsupportedError } from "../errors.js";
import { adler32Checksum, base64, bz2, crc32Checksum, crc32cChecksum, lzma } from "./compressors.js";
import { V2_FILTERS } from "./v2-filters.js";
import { vlenBytes, vlenUtf8 } from "./vlen.js";

/**
 * Decoders zarrita does not ship, added to its registry once (and crc32c, whose checksum zarrita
 * does not check): numcodecs' remaining compressors
 * and checksums under their format 3 names (`numcodecs.bz2`), which format 2 arrays use too;
 * format 2 filters and object codecs under names of their own (`v2.delta`), since format 2 runs
 * them with its own semantics (see v2-filters.ts).
 */
const EXTRA: Record<string, object> = {
  crc32c: crc32cChecksum,
  "numcodecs.bz2": bz2,
  "numcodecs.lzma": lzma,
  "numcodecs.crc32": crc32Checksum,
  "numcodecs.adler32": adler32Checksum,
  "numcodecs.base64": base64,
  "v2.vlen-utf8": vlenUtf8,
  "v2.vlen-bytes": vlenBytes,
  ...Object.fromEntries(Object.entries(V2_FILTERS).map(([id, codec]) => [`v2.${id}`, codec])),
};

let registered = false;

export function registerCodecs(): void {
  if (registered) return;
  registered = true;
  for (const [name, codec] of Object.entries(EXTRA)) {
    zarr.registry.set(name, (async () => codec) as never);
  }
}

/** Blosc's inner compressors numcodecs.js was built with (snappy is not among them). */
const BLOSC_COMPRESSORS = new Set(["blosclz", "lz4", "lz4hc", "zlib", "zstd"]);

/**
 * Refuses, before any chunk is read, a codec list with a step that has no decoder here, naming
 * the codec as the array's metadata does (`{name}` for format 3, the numcodecs id for format 2).
 */
export function checkDecoders(steps: { name: string; shown: Codec }[]): void {
  registerCodecs();
  for (const { name, shown } of steps) {
    const cname = shown.configuration?.cname;
    const known =
      // zarrita reads sharding itself, not through its registry; its inner codecs are checked each.
      (zarr.registry.has(name) || name === "sharding_indexed") &&
      !(shown.name.endsWith("blosc") && typeof cname === "string" && !BLOSC_COMPRESSORS.has(cname));
    if (!known) {
      const what =
        typeof cname === "string" && shown.name.endsWith("blosc") ? `${shown.name} (cname ${cname})` : shown.name;
      throw new UnsupportedError(`no decoder for codec "${what}"`, { codec: shown.name });
    }
  }
}
