import type { Plugin } from "graphql-yoga";
import { limitError } from "./errors.js";

const tooLarge = (max: number, actual: number) =>
  limitError("bodySize", max, actual, `request body is more than the ${max} bytes allowed`, 413);

/**
 * Refuses request bodies over `max` bytes: at once when Content-Length says so, else while the
 * body streams in (chunked uploads), before it is buffered whole. The second case reports as
 * `actual` the bytes received when reading stopped.
 */
export function bodySizePlugin(max: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get("content-length");
      if (declared !== null && /^\d+$/.test(declared) && Number(declared) > max) throw tooLarge(max, Number(declared));
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        if (!req.body) return parse(req);
        let received = 0;
        let refusal: Error | undefined;
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
        try {
          return await parse(limited);
        } catch (error) {
          // The parser wraps a failed read in its own "invalid body" error: the refusal is the cause.
          throw refusal ?? error;
        }
      });
    },
  };
}
