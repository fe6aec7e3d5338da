/** One GraphQL operation as the page sends it: exactly what its "GraphQL" panel shows. */
export interface Operation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; path?: string; [key: string]: unknown };
}

export interface GqlResponse<T> {
  data: T | null;
  errors: GqlError[];
}

/** Relative, so the page works wherever the server is mounted (behind a proxy's sub-path too). */
const ENDPOINT = "graphql";

const TOKEN_KEY = "zarr-graphql-token";

/** A bearer token for catalogs that need one, kept for this tab only (sessionStorage). */
export function bearerToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setBearerToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Runs an operation over HTTP POST. Never throws for the server's or the network's failures:
 * they come back as errors (code NETWORK or HTTP_<status>) for the view to show where it is.
 * An aborted request rejects, so a superseded view never renders.
 */
export async function run<T>(op: Operation, signal?: AbortSignal): Promise<GqlResponse<T>> {
  let response: Response;
  const token = bearerToken();
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ operationName: op.name, query: op.query, variables: op.variables }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    return {
      data: null,
      errors: [{ message: `no answer from the server (${(error as Error).message})`, extensions: { code: "NETWORK" } }],
    };
  }
  let body: { data?: T | null; errors?: GqlError[] };
  try {
    body = await response.json();
  } catch (error) {
    if (signal?.aborted) throw error;
    return {
      data: null,
      errors: [
        {
          message: `HTTP ${response.status} ${response.statusText}: not a GraphQL answer`,
          extensions: { code: `HTTP_${response.status}` },
        },
      ],
    };
  }
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

/** Errors at `prefix` or below it (a field path in the response). */
export function errorsAt(errors: GqlError[], prefix: (string | number)[]): GqlError[] {
  return errors.filter((e) => e.path && prefix.every((p, i) => e.path![i] === p));
}

/** An error with no path (the whole request failed), if any. */
export function requestErrors(errors: GqlError[]): GqlError[] {
  return errors.filter((e) => !e.path);
}
