import pino, { type Logger } from "pino";

/**
 * JSON logs on stderr: stdout is kept for the one "listening on" line scripts wait for. Written
 * synchronously: an asynchronous destination's flush returns before its last write lands, and
 * the process exits on shutdown with the final lines ("stopped") still in flight.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({ level, base: { service: "zarr-graphql" } }, pino.destination({ dest: 2, sync: true }));
}
