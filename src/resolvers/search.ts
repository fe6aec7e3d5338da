import { type GraphQLResolveInfo, Kind, type ValueNode } from "graphql";
import type { Catalog } from "../hierarchy/catalog.js";
import { BadInputError } from "../hierarchy/errors.js";
import { LosslessNumber } from "../hierarchy/json.js";
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

/**
 * The `filter` argument with its numbers as written: the JSON scalar reads a literal number
 * through a double, which rounds integers beyond 2^53; read from the query's syntax instead, a
 * literal keeps every digit (as a LosslessNumber). Variables arrive already parsed from JSON,
 * as they are. Absent or not literal: the coerced argument.
 */
export function exactFilterArgument(info: GraphQLResolveInfo | undefined, coerced: unknown): unknown {
  const node = info?.fieldNodes[0]?.arguments?.find((a) => a.name.value === "filter")?.value;
  if (!node || node.kind === Kind.VARIABLE) return coerced;
  return fromAst(node, info.variableValues);
}

function fromAst(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.INT:
    case Kind.FLOAT: {
      const n = Number(node.value);
      return String(n) === node.value ? n : new LosslessNumber(node.value);
    }
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, fromAst(f.value, variables)]));
    case Kind.LIST:
      return node.values.map((v) => fromAst(v, variables));
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.NULL:
      return null;
    default:
      return node.value;
  }
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
