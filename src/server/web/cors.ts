import type { Plugin } from "graphql-yoga";

/**
 * Which browser origins may read the API's answers: `"*"` any (the default), a list of origins
 * (`https://app.example.org`), or `false` (no CORS headers at all: only same-origin pages and
 * non-browser clients). Credentials are never allowed: the API authenticates with bearer tokens,
 * which a page sends itself, and never with cookies.
 */
export type CorsSetting = "*" | readonly string[] | false;

/** A browser origin: scheme, host and port, no path ("https://app.example.org"). */
export const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/;

/** Response headers browser code may read besides the safelisted ones. */
const EXPOSED = "x-request-id, etag, retry-after";
const METHODS = "GET, POST, OPTIONS";
/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours). */
export const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/**
 * CORS as browsers expect it, in place of yoga's default (which echoes any origin and allows
 * credentials with it, and answers a disallowed origin with `Access-Control-Allow-Origin: null`,
 * which sandboxed documents match). A disallowed origin gets no CORS headers: the browser
 * then refuses its page the answer; the server still answers (CORS protects readers, not the
 * server, and without cookies there is nothing a cross-origin request could borrow).
 */
export function corsPlugin(setting: CorsSetting): Plugin {
  if (setting === false) return {};
  const anyOrigin = setting === "*";
  const allowed = new Set(anyOrigin ? [] : setting);
  const allowOrigin = (origin: string | null): string | null => {
    if (origin === null) return null;
    if (anyOrigin) return "*";
    return allowed.has(origin) ? origin : null;
  };
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== "OPTIONS") return;
      const origin = request.headers.get("origin");
      const method = request.headers.get("access-control-request-method");
      // A plain OPTIONS (no preflight) is left to yoga, which answers 405.
      if (origin === null || method === null) return;
      const headers = new fetchAPI.Headers({ "content-length": "0" });
      const allow = allowOrigin(origin);
      if (!anyOrigin) headers.set("vary", "Origin");
      if (allow !== null) {
        headers.set("access-control-allow-origin", allow);
        headers.set("access-control-allow-methods", METHODS);
        // Whatever headers the page means to send (authorization, content-type, apollo's, x-zarr-io):
        // without credentials, allowing them grants nothing a page could not do by other means.
        const asked = request.headers.get("access-control-request-headers");
        if (asked) headers.set("access-control-allow-headers", asked);
        headers.set("access-control-max-age", String(PREFLIGHT_MAX_AGE_SECONDS));
        if (!anyOrigin) headers.set("vary", "Origin, Access-Control-Request-Headers");
        else if (asked) headers.set("vary", "Access-Control-Request-Headers");
      }
      endResponse(new fetchAPI.Response(null, { status: 204, headers }));
    },
    onResponse({ request, response }) {
      if (request.method === "OPTIONS") return;
      // Shared caches keep one answer per origin when the header depends on it.
      if (!anyOrigin) appendVary(response.headers, "Origin");
      const allow = allowOrigin(request.headers.get("origin"));
      if (allow === null) return;
      response.headers.set("access-control-allow-origin", allow);
      response.headers.set("access-control-expose-headers", EXPOSED);
    },
  };
}

/** Adds a field to the response's Vary header, keeping what is there. */
export function appendVary(headers: Headers, field: string): void {
  const vary = headers.get("vary");
  if (!vary) headers.set("vary", field);
  else if (
    !vary
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes(field.toLowerCase())
  )
    headers.set("vary", `${vary}, ${field}`);
}
