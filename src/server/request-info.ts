import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { Plugin } from "graphql-yoga";

/** What every part of the server may want to know about the request it is working for. */
export interface RequestInfo {
  /** Sent back as `x-request-id` and written into every log line about the request. */
  id: string;
  /** performance.now() when the request arrived: the deadline counts from here. */
  startedAt: number;
}

const storage = new AsyncLocalStorage<RequestInfo>();

/** A client's own id is kept when it is a plain token, so its logs and ours line up. */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request being served, wherever in its handling this runs (error masking included). */
export function currentRequest(): RequestInfo | undefined {
  return storage.getStore();
}

/**
 * Gives each request an id and a start time for the whole of its handling (yoga's request
 * instrumentation wraps parsing, validation, execution and error masking alike), and returns
 * the id in the `x-request-id` response header.
 */
export function requestInfoPlugin(): Plugin {
  return {
    instrumentation: {
      request({ request }, handle) {
        const given = request.headers.get("x-request-id");
        const info = { id: given && CLIENT_ID.test(given) ? given : randomUUID(), startedAt: performance.now() };
        return storage.run(info, handle);
      },
    },
    onResponse({ response }) {
      const info = currentRequest();
      if (info && !response.headers.has("x-request-id")) response.headers.set("x-request-id", info.id);
    },
  };
}
