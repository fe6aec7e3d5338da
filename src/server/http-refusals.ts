import type { Plugin } from "graphql-yoga";

/** The refusals yoga answers with an empty body, worded with a code like every other error. */
const REFUSALS: Record<number, { code: string; message: (request: Request) => string }> = {
  404: {
    code: "NOT_FOUND",
    message: (request) => `nothing is served at ${new URL(request.url).pathname}: GraphQL is at /graphql`,
  },
  406: {
    code: "NOT_ACCEPTABLE",
    message: (request) =>
      `the Accept header (${request.headers.get("accept")}) allows no response type this server sends: application/graphql-response+json, application/json, text/event-stream or multipart/mixed`,
  },
  415: {
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: (request) =>
      `POST bodies must be application/json (or application/graphql), not ${JSON.stringify(request.headers.get("content-type") ?? "none")}`,
  },
};

/** Gives HTTP-level refusals that yoga leaves empty a GraphQL error body with `extensions.code`. */
export function httpRefusalsPlugin(): Plugin {
  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      const refusal = REFUSALS[response.status];
      if (!refusal || request.method === "HEAD" || response.headers.has("content-type")) return;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set("content-type", "application/json; charset=utf-8");
      headers.delete("content-length");
      const body = { errors: [{ message: refusal.message(request), extensions: { code: refusal.code } }] };
      setResponse(new fetchAPI.Response(JSON.stringify(body), { status: response.status, headers }));
    },
  };
}
