import { createHash } from "node:crypto";
import { type DocumentNode, print } from "graphql";
import type { GraphQLContext } from "../resolvers/context.js";

/** Each document's identity: the SHA-256 of its printed form, the same in every replica. */
const identities = new WeakMap<DocumentNode, string>();
const keys = new WeakMap<object, string>();

export interface AnswerArgs {
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: unknown;
  contextValue: unknown;
}

/**
 * What one answer depends on besides the documents it reads: the operation (printed, so that
 * spacing and comments do not matter, and hashed), its variables, and who asks (read access per
 * catalog makes answers per caller). Computed once per operation; yoga hands the same document
 * object to every request with the same query text, so printing happens once per document.
 */
export function answerKey(args: AnswerArgs): string {
  const ctx = args.contextValue as GraphQLContext & { request?: Request };
  let key = keys.get(ctx);
  if (key !== undefined) return key;
  let document = identities.get(args.document);
  if (document === undefined) {
    document = createHash("sha256").update(print(args.document)).digest("base64url");
    identities.set(args.document, document);
  }
  const who = ctx.request?.headers.get("authorization") ?? "";
  key = JSON.stringify([document, args.operationName ?? null, args.variableValues ?? null, who]);
  keys.set(ctx, key);
  return key;
}
