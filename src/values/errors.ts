import { ZarrError } from "../hierarchy/errors.js";

/** A codec or data type this server has no decoder for; the message names it. */
export class UnsupportedError extends ZarrError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("UNSUPPORTED", message, details);
  }
}

/** Stored chunk bytes that do not decode into the chunk their metadata describes. */
export class InvalidDataError extends ZarrError {
  constructor(key: string, reason: string, options?: { cause?: unknown }) {
    super("INVALID_DATA", `chunk ${JSON.stringify(key)} cannot be decoded: ${reason}`, { key }, options);
  }
}
