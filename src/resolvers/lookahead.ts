import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode, type ValueNode } from "graphql";

/** Nested selections deeper than this are treated as "everything" rather than walked further. */
const MAX_NESTING = 32;

function intArg(field: FieldNode, name: string, info: GraphQLResolveInfo, fallback: number | null): number | null {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return fallback;
  const value: ValueNode = arg.value;
  if (value.kind === Kind.NULL) return null;
  if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
  if (value.kind === Kind.VARIABLE) {
    const v = info.variableValues[value.name.value];
    if (v === undefined) return fallback;
    return typeof v === "number" ? v : null;
  }
  return fallback;
}

/** Every field selected under `set`, looking through inline fragments and fragment spreads. */
function fields(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, seen = new Set<string>()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) out.push(...fields(selection.selectionSet, info, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      out.push(...fields(info.fragments[selection.name.value]?.selectionSet, info, seen));
    }
  }
  return out;
}

/** `members` fields selected on the member nodes of a `members` field (via nodes or edges.node). */
function nestedMembers(field: FieldNode, info: GraphQLResolveInfo): FieldNode[] {
  const memberSets = fields(field.selectionSet, info).flatMap((f) => {
    if (f.name.value === "nodes") return [f.selectionSet];
    if (f.name.value === "edges") {
      return fields(f.selectionSet, info)
        .filter((e) => e.name.value === "node")
        .map((e) => e.selectionSet);
    }
    return [];
  });
  return memberSets.flatMap((set) => fields(set, info).filter((f) => f.name.value === "members"));
}

/**
 * How many levels below the group this `members` field and the `members` selections nested in
 * it will reach, as a maxDepth (null = everything). A member at the field's deepest level
 * (maxDepth + 1) asking for its own members with maxDepth m2 reaches m2 + 1 levels further.
 */
export function selectedDepth(field: FieldNode, info: GraphQLResolveInfo, nesting = 0): number | null {
  const own = intArg(field, "maxDepth", info, 0);
  if (own === null) return null;
  let extra = 0;
  for (const nested of nestedMembers(field, info)) {
    if (nesting >= MAX_NESTING) return null;
    const below = selectedDepth(nested, info, nesting + 1);
    if (below === null) return null;
    extra = Math.max(extra, below + 1);
  }
  return own + extra;
}

/** The depth the current `members` resolver should prefetch, over all its merged field nodes. */
export function prefetchDepth(info: GraphQLResolveInfo): number | null {
  let depth = 0;
  for (const field of info.fieldNodes) {
    const d = selectedDepth(field, info);
    if (d === null) return null;
    depth = Math.max(depth, d);
  }
  return depth;
}

/** Whether the current field's selection asks for `name` directly (through fragments too). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((field) => fields(field.selectionSet, info).some((f) => f.name.value === name));
}

/** Whether the current field was given argument `name` explicitly (not by its default). */
export function argumentGiven(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((field) =>
    field.arguments?.some((arg) => {
      if (arg.name.value !== name) return false;
      return arg.value.kind !== Kind.VARIABLE || info.variableValues[arg.value.name.value] !== undefined;
    }),
  );
}
