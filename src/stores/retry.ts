import { setTimeout as delay } from "node:timers/promises";

/**
 * The one retry policy of the stores that speak HTTP (HttpStore, GcsStore): transient answers
 * (408, 429, 5xx) and network failures are tried again after a jittered exponential backoff,
 * until `retries` more attempts were made or the call's deadline passed, whichever comes first.
 */
export interface RetryPolicy {
  /** Attempts after the first (0: none). */
  retries: number;
  /** Deadline of one call: every attempt, and the backoff between them. */
  timeoutMs: number;
}

export function retryPolicy(options: { retries?: number; timeoutMs?: number } = {}): RetryPolicy {
  return { retries: Math.max(0, Math.trunc(options.retries ?? 3)), timeoutMs: options.timeoutMs ?? 30_000 };
}

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 2_000;

/** Why a call gave up, fit for a message: a status, a network error code, or the deadline. */
export class GaveUpError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "GaveUpError";
  }
}

/** A non-transient answer a caller does not take (400, 401, ...): not retried, reported as its status. */
export class UnexpectedStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = "UnexpectedStatusError";
  }
}

/** Thrown by `fetchAnswer` for a transient status, so `withRetries` tries again. */
class TransientStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/**
 * Runs `attempt` under `policy`. It gets a signal that aborts at the caller's abort or the
 * deadline; it retries on what `fetchAnswer` calls transient and on network failures, and
 * rethrows anything else as it is. The caller's abort ends it with the caller's reason; running
 * out of attempts or time, with GaveUpError saying what happened last.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  caller: AbortSignal | undefined,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  caller?.throwIfAborted();
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const signal = caller ? AbortSignal.any([caller, deadline]) : deadline;
  let last = "request failed";
  for (let n = 0; n <= policy.retries; n++) {
    try {
      if (n > 0) await delay(backoff(n), undefined, { signal });
      return await attempt(signal);
    } catch (error) {
      if (caller?.aborted) throw caller.reason;
      if (deadline.aborted) {
        throw new GaveUpError(
          n === 0 ? `no answer within ${policy.timeoutMs} ms` : `${last}; gave up after ${policy.timeoutMs} ms`,
        );
      }
      if (error instanceof TransientStatusError) last = error.message;
      else if (isNetworkFailure(error)) last = networkCode(error);
      else if (error instanceof UnexpectedStatusError) throw new GaveUpError(error.message);
      else throw error;
    }
  }
  throw new GaveUpError(last);
}

/** `fetch`, with a transient status thrown (body cancelled) for `withRetries` to try again. */
export async function fetchAnswer(url: string | URL, init: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  if (TRANSIENT_STATUS.has(response.status)) {
    await discard(response);
    throw new TransientStatusError(response.status);
  }
  return response;
}

/** Drops an answer's body unread, so its connection can serve the next request. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function backoff(attempt: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** fetch reports a failed connection (or one dropped mid-body) as a TypeError with a cause. */
function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && (error as { cause?: unknown }).cause !== undefined;
}

/** The low-level code of a network failure (ECONNREFUSED, ECONNRESET, ...), never its message. */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = cause?.code ?? (error as { code?: unknown })?.code;
  return typeof code === "string" && /^[A-Z0-9_]{2,40}$/.test(code) ? code : "network error";
}
