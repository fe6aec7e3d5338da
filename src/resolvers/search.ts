import type { Catalog } from "../hierarchy/catalog.js";
import { BadInputError } from "../hierarchy/errors.js";
import { decodeCursor } from "../search/cursor.js";
import { type NodeFilterInput, parseFilter } from "../search/filter.js";
import type { SearchAnswer, SearchService } from "../search/service.js";
import { words } from "../search/text.js";
import type { GraphQLContext } from "./context.js";
import { MAX_PAGE_SIZE } from "./nodes.js";

export interface SearchFieldArgs {
  filter?: NodeFilterInput | null;
  text?: string | null;
  catalogs?: string[] | null;
  first?: number | null;
  after?: string | null;
}

function service(ctx: GraphQLContext): SearchService {
  if (!ctx.search) throw new Error("search is not configured on this server");
  return ctx.search;
}

export async function searchConnection(ctx: GraphQLContext, args: SearchFieldArgs): Promise<SearchAnswer> {
  const first = args.first ?? 100;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`first must be between 0 and ${MAX_PAGE_SIZE}`, { max: MAX_PAGE_SIZE, actual: first });
  }
  const filter = parseFilter(args.filter);
  const after = args.after ? decodeCursor(args.after) : null;
  // The answer rests on the index, which no document version vouches for: never repeat it from the response cache.
  ctx.usesIndex = true;
  return service(ctx).search(ctx.scope, {
    filter,
    words: words(args.text ?? ""),
    catalogs: args.catalogs ?? null,
    first,
    after,
  });
}

export async function indexedAt(ctx: GraphQLContext, catalog: Catalog): Promise<string | null> {
  if (!ctx.search) return null;
  ctx.usesIndex = true;
  return (await ctx.search.indexedAt(catalog.name))?.toISOString() ?? null;
}
