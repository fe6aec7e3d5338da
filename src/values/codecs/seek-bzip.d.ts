// seek-bzip ships no types: the one call used here.
declare module "seek-bzip" {
  const Bunzip: { decode(input: Buffer | Uint8Array, output?: Buffer): Buffer };
  export default Bunzip;
}
