import type { JsonObject } from "../../hierarchy/json.js";

/** A decoder as zarrita's codec registry takes it: `fromConfig` builds one per array. */
export interface BytesCodec {
  fromConfig(configuration: unknown): {
    kind: "bytes_to_bytes";
    encode(bytes: Uint8Array): Promise<Uint8Array>;
    decode(bytes: Uint8Array): Promise<Uint8Array>;
  };
}

/**
 * A bytes-to-bytes codec that only decodes: this server reads chunks, it never writes them.
 * `make` reads the configuration once per array and returns the decoder.
 */
export function decodeOnly(
  name: string,
  make: (configuration: JsonObject) => (bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>,
): BytesCodec {
  return {
    fromConfig(configuration) {
      const decode = make((configuration ?? {}) as JsonObject);
      return {
        kind: "bytes_to_bytes",
        encode: () => Promise.reject(new Error(`${name}: encoding is not supported`)),
        decode: async (bytes) => decode(bytes),
      };
    },
  };
}
