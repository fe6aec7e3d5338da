import * as zarr from "zarrita";
import type { Codec } from "../../hierarchy/metadata.js";
import { UnsupportedError } from "../errors.js";
import { V2_FILTER_IDS } from "./v2-filter-ids.js";

type Loader = () => Promise<object>;
const compressors = () => import("./compressors.js");
const filters = () => import("./v2-filters.js");
const vlen = () => import("./vlen.js");

/**
 * Decoders zarrita does not ship, added to its registry once (and crc32c, whose checksum zarrita
 * does not check): numcodecs' remaining compressors and checksums under their format 3 names
 * (`numcodecs.bz2`), which format 2 arrays use too; format 2 filters and object codecs under names
 * of their own (`v2.delta`), since format 2 runs them with its own semantics (see v2-filters.ts).
 * Each loads on first use, so a server that never reads such a chunk never loads its library.
 */
const EXTRA: Record<string, Loader> = {
  crc32c: () => compressors().then((m) => m.crc32cChecksum),
  "numcodecs.bz2": () => compressors().then((m) => m.bz2),
  "numcodecs.lzma": () => compressors().then((m) => m.lzma),
  "numcodecs.crc32": () => compressors().then((m) => m.crc32Checksum),
  "numcodecs.adler32": () => compressors().then((m) => m.adler32Checksum),
  "numcodecs.base64": () => compressors().then((m) => m.base64),
  "v2.vlen-utf8": () => vlen().then((m) => m.vlenUtf8),
  "v2.vlen-bytes": () => vlen().then((m) => m.vlenBytes),
  ...Object.fromEntries(
    V2_FILTER_IDS.map((id): [string, Loader] => [`v2.${id}`, () => filters().then((m) => m.V2_FILTERS[id])]),
  ),
};

let registered = false;

export function registerCodecs(): void {
  if (registered) return;
  registered = true;
  for (const [name, codec] of Object.entries(EXTRA)) {
    zarr.registry.set(name, codec as never);
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
