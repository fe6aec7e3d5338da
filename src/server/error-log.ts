import type { Logger } from "pino";
import { ZarrError } from "../hierarchy/errors.js";

/**
 * Responses carry a typed error without its cause (a store's own message may name server
 * paths, URLs with tokens, or a library's internals); the log keeps the cause, under the
 * request's id, for whoever runs the server.
 */
export function logHiddenCause(logger: Logger | undefined, error: unknown, requestId: string | undefined): void {
  const original = (error as { originalError?: unknown })?.originalError ?? error;
  if (!logger || !(original instanceof ZarrError) || original.cause === undefined) return;
  const located = error as { path?: readonly (string | number)[] };
  logger.warn({ requestId, code: original.code, path: located.path?.join("."), err: original.cause }, original.message);
}
