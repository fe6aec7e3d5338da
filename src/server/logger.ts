import pino, { type Logger } from "pino";

/** JSON logs on stderr: stdout is kept for the one "listening on" line scripts wait for. */
export function createLogger(level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({ level, base: { service: "zarr-graphql" } }, pino.destination(2));
}
