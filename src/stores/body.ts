import { ObjectTooLargeError } from "./store.js";

/**
 * A response body's bytes, refused with ObjectTooLargeError past `maxBytes`: at once when
 * Content-Length says so, else as soon as more arrives, so an oversized object is never held whole.
 */
export async function readBody(
  response: Response,
  maxBytes: number | undefined,
  store: string,
  key: string,
): Promise<Uint8Array> {
  if (maxBytes === undefined || !response.body) return new Uint8Array(await response.arrayBuffer());
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new ObjectTooLargeError(store, key, maxBytes, declared);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ObjectTooLargeError(store, key, maxBytes, size);
    }
    chunks.push(value);
  }
  const data = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return data;
}
