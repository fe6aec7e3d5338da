import type { Plugin } from "graphql-yoga";
import { limitError } from "./errors.js";

export interface RateLimit {
  /** Requests one client may make per window. */
  max: number;
  windowMs: number;
}

/** Beyond this many tracked clients, finished windows are dropped before a new one is added. */
const PRUNE_AT = 10_000;

/** Fixed windows per client: counts requests and says when the current window ends. */
export class RateCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts `n` requests from `client`; returns how many it made in this window and when the window ends. */
  hit(client: string, n = 1): { count: number; retryAfterMs: number } {
    const now = this.now();
    let window = this.windows.get(client);
    if (!window || now - window.start >= this.limit.windowMs) {
      if (!window && this.windows.size >= PRUNE_AT) this.prune(now);
      window = { start: now, count: 0 };
      this.windows.set(client, window);
    }
    window.count += n;
    return { count: window.count, retryAfterMs: window.start + this.limit.windowMs - now };
  }

  private prune(now: number): void {
    for (const [client, window] of this.windows) {
      if (now - window.start >= this.limit.windowMs) this.windows.delete(client);
    }
  }
}

/**
 * The client a request comes from: the socket's remote address. Forwarded-for headers are not
 * trusted: any client can write them.
 */
function clientOf(serverContext: unknown): string {
  const req = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req;
  return req?.socket?.remoteAddress ?? "unknown";
}

function refusal(limit: RateLimit, count: number, retryAfterMs: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const message = `rate limit exceeded: ${count} requests in this window, more than the ${limit.max} allowed per ${limit.windowMs / 1000} s; retry in ${seconds} s`;
  return { message, seconds };
}

/**
 * Answers 429 with LIMIT_EXCEEDED ("rate") and Retry-After once a client goes over its rate.
 * A request counts as soon as it arrives, before its body is read; a batch of n operations
 * counts n (the rest once its body is parsed), so batching does not multiply a client's rate.
 */
export function rateLimitPlugin(limit: RateLimit): Plugin {
  const counter = new RateCounter(limit);
  return {
    onRequest({ serverContext, endResponse, fetchAPI }) {
      const { count, retryAfterMs } = counter.hit(clientOf(serverContext));
      if (count <= limit.max) return;
      const { message, seconds } = refusal(limit, count, retryAfterMs);
      const body = {
        errors: [{ message, extensions: { code: "LIMIT_EXCEEDED", limit: "rate", max: limit.max, actual: count } }],
      };
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), {
          status: 429,
          headers: { "content-type": "application/json; charset=utf-8", "retry-after": String(seconds) },
        }),
      );
    },
    onRequestParse({ serverContext }) {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (!Array.isArray(requestParserResult) || requestParserResult.length <= 1) return;
          const { count, retryAfterMs } = counter.hit(clientOf(serverContext), requestParserResult.length - 1);
          if (count <= limit.max) return;
          const { message, seconds } = refusal(limit, count, retryAfterMs);
          const error = limitError("rate", limit.max, count, message, 429);
          (error.extensions.http as { headers?: Record<string, string> }).headers = { "retry-after": String(seconds) };
          throw error;
        },
      };
    },
  };
}
