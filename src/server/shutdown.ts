import type { Server } from "node:http";
import type { Logger } from "pino";

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Stops accepting connections, lets the requests in flight finish, and closes connections as
 * they fall idle; after `timeoutMs` it closes whatever is left. Resolves `forced: true` when
 * it had to cut requests off.
 */
export async function drain(server: Server, timeoutMs: number): Promise<{ forced: boolean }> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A keep-alive connection whose response has just gone out would otherwise stay open (and
  // keep close() waiting) until its client hangs up or it times out.
  const idle = setInterval(() => server.closeIdleConnections(), 25);
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<true>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  try {
    const forced = await Promise.race([closed.then(() => false as const), late]);
    if (forced) {
      server.closeAllConnections();
      await closed;
    }
    return { forced };
  } finally {
    clearInterval(idle);
    clearTimeout(timer);
  }
}

export interface ShutdownOptions {
  timeoutMs: number;
  logger?: Logger;
  /** Called first, so /ready turns 503 while the server drains. */
  onDrain?: () => void;
  /** Ends the process (tests replace it). */
  exit?: (code: number) => void;
}

/**
 * On SIGTERM or SIGINT: drain the server, then exit 0 (a second signal exits at once, 1).
 */
export function exitOnSignals(server: Server, options: ShutdownOptions): void {
  const end = options.exit ?? ((code: number) => process.exit(code));
  // The log is written asynchronously: its last lines go out before the process ends.
  const exit = (code: number) => (options.logger ? options.logger.flush(() => end(code)) : end(code));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger?.warn({ signal }, "second signal: exiting without waiting");
      exit(1);
      return;
    }
    stopping = true;
    options.onDrain?.();
    options.logger?.info({ signal, timeoutMs: options.timeoutMs }, "shutting down: finishing requests in flight");
    drain(server, options.timeoutMs).then(
      ({ forced }) => {
        options.logger?.info({ forced }, forced ? "stopped, cutting off requests still running" : "stopped");
        exit(0);
      },
      (error: unknown) => {
        options.logger?.error({ err: error }, "error while shutting down");
        exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
