/**
 * Typed failures of the Zarr model. `code` is the API's `extensions.code`; the resolver layer
 * maps these onto GraphQL errors, so this layer never imports graphql.
 */
export type ZarrErrorCode =
  | "NOT_FOUND"
  | "INVALID_METADATA"
  | "STORE_UNAVAILABLE"
  | "BAD_USER_INPUT"
  | "LIMIT_EXCEEDED"
  | "FORBIDDEN"
  | "CONFLICT"
  | "UNSUPPORTED"
  | "INVALID_DATA";

export class ZarrError extends Error {
  constructor(
    readonly code: ZarrErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ZarrError";
  }
}

export class NotFoundError extends ZarrError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("NOT_FOUND", message, details);
  }
}

export class InvalidMetadataError extends ZarrError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super("INVALID_METADATA", `invalid metadata in ${JSON.stringify(key)}: ${reason}`, { key });
  }
}

export class BadInputError extends ZarrError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("BAD_USER_INPUT", message, details);
  }
}

export class LimitExceededError extends ZarrError {
  constructor(limit: string, max: number, actual: number, message?: string) {
    super("LIMIT_EXCEEDED", message ?? `${limit} limit exceeded: ${actual} > ${max}`, { limit, max, actual });
  }
}

export class StoreUnavailable extends ZarrError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("STORE_UNAVAILABLE", message, {}, options);
  }
}

export class ConflictError extends ZarrError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("CONFLICT", message, details);
  }
}

export class ForbiddenError extends ZarrError {
  constructor(message: string) {
    super("FORBIDDEN", message);
  }
}
