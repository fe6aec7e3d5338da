import type { RequestScope } from "../hierarchy/catalog.js";
import type { DocumentReader } from "../hierarchy/documents.js";
import type { ZarrNodeRef } from "../hierarchy/session.js";
import { DEFAULT_VALUES_LIMITS, ValuesBudget, type ValuesLimits } from "../values/budget.js";
import { computeExtent, type Extent } from "../values/extent.js";
import { type Preview, type PreviewOptions, renderPreview } from "../values/preview.js";
import type { DimSelection } from "../values/selection.js";
import { ValuesSession } from "../values/session.js";
import { type ArrayValues, readValues } from "../values/values.js";
import type { GraphQLContext } from "./context.js";
import { walk } from "./nodes.js";

const budgets = new WeakMap<RequestScope, ValuesBudget>();
const sessions = new WeakMap<DocumentReader, ValuesSession>();

/** The request's values limits: the server's (they travel with the hierarchy's in `scope.limits`). */
function limitsOf(scope: RequestScope): ValuesLimits {
  const given = scope.limits as Partial<ValuesLimits>;
  return {
    maxValueElements: given.maxValueElements ?? DEFAULT_VALUES_LIMITS.maxValueElements,
    maxChunks: given.maxChunks ?? DEFAULT_VALUES_LIMITS.maxChunks,
    maxDecodedBytes: given.maxDecodedBytes ?? DEFAULT_VALUES_LIMITS.maxDecodedBytes,
  };
}

/**
 * Chunk reading for a node's catalog in this request: through the same reader as its metadata
 * (its counting, abortable store, its signal, its concurrency), sharing one budget per request.
 */
function sessionFor(node: ZarrNodeRef, ctx: GraphQLContext): ValuesSession {
  const reader = node.session.reader;
  let session = sessions.get(reader);
  if (!session) {
    let budget = budgets.get(ctx.scope);
    if (!budget) {
      budget = new ValuesBudget(limitsOf(ctx.scope));
      budgets.set(ctx.scope, budget);
    }
    session = new ValuesSession(reader.store, reader.signal, reader.limits.concurrency, budget);
    sessions.set(reader, session);
  }
  return session;
}

export function arrayValues(
  node: ZarrNodeRef,
  args: { selection?: DimSelection[] | null; maxElements?: number | null },
  ctx: GraphQLContext,
): Promise<ArrayValues> {
  const session = sessionFor(node, ctx);
  const array = session.open(node.path, node.meta);
  return readValues(array, args.selection, args.maxElements ?? 10_000, session.budget, session.limit);
}

/** A 1-D array's extent, computed once per request however many fields ask for it. */
export function arrayExtent(node: ZarrNodeRef, ctx: GraphQLContext): Promise<Extent | null> {
  if (node.meta.array?.shape.length !== 1) return Promise.resolve(null);
  const session = sessionFor(node, ctx);
  return session.once(`extent:${node.path}`, async () =>
    computeExtent(session.open(node.path, node.meta), session.budget, session.limit),
  );
}

export function arrayPreview(node: ZarrNodeRef, args: PreviewOptions, ctx: GraphQLContext): Promise<Preview> {
  const session = sessionFor(node, ctx);
  return renderPreview(session.open(node.path, node.meta), args, session.budget, session.limit);
}

export interface Dimension {
  name: string;
  size: number;
  coordinate: ZarrNodeRef | null;
}

/**
 * The dimensions the group's arrays use (by dimension names, in the order first met), each with
 * its size and its coordinate: the child array of the same name with one dimension.
 */
export async function groupDimensions(node: ZarrNodeRef): Promise<Dimension[]> {
  const children = (await walk(node, 0)).flatMap((m) => (m.node?.meta.nodeType === "array" ? [m.node] : []));
  const byName = new Map(children.map((child) => [child.path.slice(child.path.lastIndexOf("/") + 1), child]));
  const dimensions = new Map<string, Dimension>();
  for (const child of children) {
    const fields = child.meta.array!;
    fields.dimensionNames?.forEach((name, axis) => {
      if (name === null || dimensions.has(name)) return;
      const candidate = byName.get(name);
      const coordinate = candidate && candidate.meta.array!.shape.length === 1 ? candidate : null;
      dimensions.set(name, {
        name,
        size: coordinate ? coordinate.meta.array!.shape[0] : fields.shape[axis],
        coordinate,
      });
    });
  }
  return [...dimensions.values()];
}
