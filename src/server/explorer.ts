import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Plugin } from "graphql-yoga";

/** Where `npm install` (the `prepare` script, scripts/build-explorer.ts) writes the page. */
export const EXPLORER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/explorer");

/** The page's assets are under this prefix; the page itself is `/`, whatever its query string. */
export const ASSET_PREFIX = "/explorer/";

export interface ExplorerOptions {
  /** The built page (index.html and its assets); default EXPLORER_DIR. */
  dir?: string;
}

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

// The page talks to this server only, and loads nothing from elsewhere: the browser enforces
// what the tests check (no CDN, works offline). Previews arrive as data: URLs.
const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async function loadAssets(dir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const name of await readdir(dir)) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = new Uint8Array(await readFile(path.join(dir, name)));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    assets.set(name, { body, gzip: new Uint8Array(gzipSync(body, { level: 9 })), type, etag });
  }
  if (!assets.has("index.html")) throw new Error(`no index.html in ${dir}`);
  return assets;
}

function respond(request: Request, asset: Asset, name: string): Response {
  const headers = new Headers({
    "content-type": asset.type,
    etag: asset.etag,
    // Revalidated on every load (a 304 when unchanged), so a rebuilt page is never stale.
    "cache-control": "no-cache",
    vary: "accept-encoding",
    "x-content-type-options": "nosniff",
  });
  if (name === "index.html") headers.set("content-security-policy", PAGE_POLICY);
  if (request.headers.get("if-none-match") === asset.etag) return new Response(null, { status: 304, headers });
  const gzip = /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "");
  const body = gzip ? asset.gzip : asset.body;
  if (gzip) headers.set("content-encoding", "gzip");
  headers.set("content-length", String(body.byteLength));
  return new Response(request.method === "HEAD" ? null : body, { status: 200, headers });
}

/**
 * Serves the explorer (src/explorer, built into `dir`) at `/` and its assets under /explorer/.
 * The files are read and compressed once, on the first request for them; when the page was
 * never built the answer says how to build it. Every other path is left to yoga.
 */
export function explorerPlugin(options: ExplorerOptions = {}): Plugin {
  const dir = options.dir ?? EXPLORER_DIR;
  let loaded: Promise<Map<string, Asset>> | undefined;
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== "GET" && request.method !== "HEAD") return;
      const name =
        url.pathname === "/"
          ? "index.html"
          : url.pathname.startsWith(ASSET_PREFIX)
            ? url.pathname.slice(ASSET_PREFIX.length)
            : undefined;
      if (name === undefined) return;
      loaded ??= loadAssets(dir);
      let assets: Map<string, Asset>;
      try {
        assets = await loaded;
      } catch {
        loaded = undefined;
        endResponse(
          new Response("The explorer is not built: run `npm run build:explorer` (npm install does it).\n", {
            status: 503,
            headers: { "content-type": "text/plain; charset=utf-8" },
          }),
        );
        return;
      }
      const asset = assets.get(name);
      endResponse(
        asset
          ? respond(request, asset, name)
          : new Response("not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } }),
      );
    },
  };
}
