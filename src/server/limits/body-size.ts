import type { IncomingMessage } from "node:http";
import type { Plugin } from "graphql-yoga";
import { requestInfo } from "../request-info.js";
import { limitError } from "./errors.js";

const tooLarge = (max: number, actual: number) =>
  limitError("bodySize", max, actual, `request body is more than the ${max} bytes allowed`, 413);

const tooSlow = (deadlineMs: number, elapsed: number) =>
  limitError("deadline", deadlineMs, elapsed, `request body did not arrive within the ${deadlineMs} ms deadline`, 408);

/** The node:http request behind a fetch Request, when it came through a node:http server. */
function nodeRequestOf(serverContext: unknown): IncomingMessage | undefined {
  return (serverContext as { req?: IncomingMessage } | undefined)?.req;
}

/**
 * Request bodies: refused over `max` bytes, at once when Content-Length says so, else while the
 * body streams in (chunked uploads), before it is buffered whole, reporting as `actual` the bytes
 * received when reading stopped; and refused when they have not arrived by the request deadline,
 * so a client that sends slowly holds no connection past it.
 *
 * Counting costs a stream stage per request, so it is done only where it is needed: node's HTTP
 * parser never delivers more than a declared Content-Length, and a body it has already received
 * whole (`complete`, as a small body that came with its headers) cannot be late.
 */
export function bodySizePlugin(max: number, deadlineMs: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI, serverContext }) {
      const declared = request.headers.get("content-length");
      const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
      if (length !== undefined && length > max) throw tooLarge(max, length);
      if (!requestParser || !request.body) return;
      const node = nodeRequestOf(serverContext);
      const bounded = length !== undefined && node !== undefined;
      if (bounded && node.complete) return;
      const parse = requestParser;
      const startedAt = requestInfo(request).startedAt;
      setRequestParser(async (req) => {
        if (!req.body) return parse(req);
        let received = 0;
        let refusal: Error | undefined;
        let timer: NodeJS.Timeout | undefined;
        let limited = req;
        if (!bounded) {
          const Transform = req.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
          const counted = req.body.pipeThrough(
            new Transform<Uint8Array, Uint8Array>({
              transform(chunk, controller) {
                received += chunk.byteLength;
                if (received > max) {
                  refusal = tooLarge(max, received);
                  controller.error(refusal);
                } else controller.enqueue(chunk);
              },
            }),
          );
          limited = new fetchAPI.Request(req.url, {
            method: req.method,
            headers: req.headers,
            signal: req.signal,
            body: counted,
            duplex: "half",
          } as RequestInit);
        }
        // Raced rather than errored into the stream: the fetch ponyfill's TransformStream never
        // calls start(), so there is no controller to error before the first chunk.
        const late = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => {
              refusal = tooSlow(deadlineMs, Math.max(deadlineMs, Math.ceil(performance.now() - startedAt)));
              reject(refusal);
            },
            Math.max(0, deadlineMs - (performance.now() - startedAt)),
          );
        });
        try {
          return await Promise.race([parse(limited), late]);
        } catch (error) {
          // The parser wraps a failed read in its own "invalid body" error: the refusal is the cause.
          throw refusal ?? error;
        } finally {
          clearTimeout(timer);
        }
      });
    },
  };
}
