import type { Plugin } from "graphql-yoga";
import { currentRequest } from "../request-info.js";
import { limitError } from "./errors.js";

const tooLarge = (max: number, actual: number) =>
  limitError("bodySize", max, actual, `request body is more than the ${max} bytes allowed`, 413);

const tooSlow = (deadlineMs: number, elapsed: number) =>
  limitError("deadline", deadlineMs, elapsed, `request body did not arrive within the ${deadlineMs} ms deadline`, 408);

/**
 * Request bodies: refused over `max` bytes, at once when Content-Length says so, else while the
 * body streams in (chunked uploads), before it is buffered whole, reporting as `actual` the bytes
 * received when reading stopped; and refused when they have not arrived by the request deadline,
 * so a client that sends slowly holds no connection past it.
 */
export function bodySizePlugin(max: number, deadlineMs: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get("content-length");
      if (declared !== null && /^\d+$/.test(declared) && Number(declared) > max) throw tooLarge(max, Number(declared));
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      const startedAt = currentRequest()?.startedAt ?? performance.now();
      setRequestParser(async (req) => {
        if (!req.body) return parse(req);
        let received = 0;
        let refusal: Error | undefined;
        let timer: NodeJS.Timeout | undefined;
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
        const limited = new fetchAPI.Request(req.url, {
          method: req.method,
          headers: req.headers,
          signal: req.signal,
          body: counted,
          duplex: "half",
        } as RequestInit);
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
