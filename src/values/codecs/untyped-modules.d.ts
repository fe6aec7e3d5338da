// Packages that ship no types for the entry points used here.
declare module "seek-bzip" {
  const Bunzip: { decode(input: Buffer | Uint8Array, output?: Buffer): Buffer };
  export default Bunzip;
}

declare module "crc-32/crc32c.js" {
  export function buf(data: Uint8Array, seed?: number): number;
}
