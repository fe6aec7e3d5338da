import { createHash } from "node:crypto";

function digest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Who may read a catalog: the holders of one of its tokens. Tokens are kept and compared as
 * SHA-256 digests, so how long a comparison takes says nothing about how close a guess was.
 */
export class ReadAccess {
  private readonly digests: ReadonlySet<string>;

  constructor(tokens: Iterable<string>) {
    this.digests = new Set([...tokens].map(digest));
  }

  /** Whether a request presenting `token` (null: none) may read the catalog. */
  allows(token: string | null | undefined): boolean {
    return token != null && token !== "" && this.digests.has(digest(token));
  }
}
