import { promises as fs } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * A static file server on loopback that honours single `Range: bytes=a-b` / `bytes=-n` requests
 * as web servers and object stores do (206 with the part, 416 past the end), or ignores them
 * (`ranges: false`: 200 with the whole file, as some servers do). Records each request's range.
 */
export async function serveWithRanges(
  root: string,
  options: { ranges?: boolean } = {},
): Promise<{ base: string; requests: { path: string; range?: string }[]; close(): Promise<void> }> {
  const requests: { path: string; range?: string }[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const range = req.headers.range;
    requests.push({ path: decodeURIComponent(url.pathname), range });
    const file = path.join(root, ...decodeURIComponent(url.pathname).split("/").filter(Boolean));
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    const etag = `"${data.byteLength}"`;
    const match = options.ranges === false || !range ? null : /^bytes=(\d*)-(\d*)$/.exec(range);
    if (!match) {
      res.writeHead(200, { etag, "content-length": data.byteLength }).end(data);
      return;
    }
    const size = data.byteLength;
    let start: number;
    let end: number;
    if (match[1] === "") {
      start = Math.max(0, size - Number(match[2]));
      end = size - 1;
    } else {
      start = Number(match[1]);
      end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    }
    if (start >= size) {
      res.writeHead(416, { "content-range": `bytes */${size}` }).end();
      return;
    }
    res
      .writeHead(206, { etag, "content-range": `bytes ${start}-${end}/${size}`, "content-length": end - start + 1 })
      .end(data.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
