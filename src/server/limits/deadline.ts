import { setMaxListeners } from "node:events";
import type { Plugin } from "graphql-yoga";
import { LimitExceededError } from "../../hierarchy/errors.js";
import { type RequestInfo, requestInfo } from "../request-info.js";

/** A request's deadline timers: one per operation (a batch has several, all ending together). */
const timers = new WeakMap<RequestInfo, NodeJS.Timeout[]>();

/**
 * The signal a request's store reads run under: it aborts when the client goes away or when
 * `deadlineMs` have passed since the request arrived, whichever is first. A deadline abort's
 * reason is LIMIT_EXCEEDED ("deadline"), which every field still waiting on a read reports;
 * fields already resolved keep their data. The operations of a batch share their request's
 * arrival, so the batch as a whole answers by the deadline.
 */
export function deadlineSignal(deadlineMs: number, request: Request): AbortSignal {
  const info = requestInfo(request);
  const requestSignal = request.signal as AbortSignal | undefined;
  const startedAt = info.startedAt;
  const controller = new AbortController();
  const timer = setTimeout(
    () => {
      // Timers may fire a fraction of a millisecond early by this clock: the deadline has passed.
      const elapsed = Math.max(deadlineMs, Math.ceil(performance.now() - startedAt));
      controller.abort(
        new LimitExceededError(
          "deadline",
          deadlineMs,
          elapsed,
          `the request's deadline of ${deadlineMs} ms passed before this field's store reads finished`,
        ),
      );
    },
    // Whole milliseconds: node keeps one timer list per distinct duration.
    Math.max(0, Math.ceil(deadlineMs - (performance.now() - startedAt))),
  );
  timer.unref();
  const own = timers.get(info);
  if (own) own.push(timer);
  else timers.set(info, [timer]);
  // Forwarded by hand: AbortSignal.any costs a signal object and GC-tracked links per request.
  if (requestSignal?.aborted) controller.abort(requestSignal.reason);
  else requestSignal?.addEventListener("abort", () => controller.abort(requestSignal.reason), { once: true });
  const signal = controller.signal;
  // Every store read in flight listens to this one signal; dozens at a time is normal.
  setMaxListeners(0, signal);
  return signal;
}

/** Stops the deadline timer once the response is out. */
export function deadlinePlugin(): Plugin {
  return {
    onResponse({ request }) {
      for (const timer of timers.get(requestInfo(request)) ?? []) clearTimeout(timer);
    },
  };
}
