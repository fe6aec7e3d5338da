/** numcodecs filters that format 2 runs with their own dtype (see v2-filters.ts), by id. */
export const V2_FILTER_IDS = [
  "delta",
  "astype",
  "quantize",
  "fixedscaleoffset",
  "packbits",
  "categorize",
  "bitround",
  "shuffle",
] as const;
