import { type FieldNode, type GraphQLResolveInfo, Kind, type ValueNode } from "graphql";
import { type CollectedField, collectSubfields, type SelectionContext } from "./selections.js";

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

function contextOf(info: GraphQLResolveInfo): SelectionContext {
  return { schema: info.schema, fragments: info.fragments, variables: info.variableValues };
}

/** The collected fields called `name` among `fields`. */
function called(fields: Map<string, CollectedField> | undefined, name: string): CollectedField[] {
  return [...(fields?.values() ?? [])].filter((f) => f.nodes[0].name.value === name);
}

/** `members` fields selected on the member nodes of a `members` field (via nodes or edges.node). */
function nestedMembers(members: CollectedField, context: SelectionContext): CollectedField[] {
  const below = collectSubfields(context, members);
  const memberLevels = [
    ...called(below, "nodes"),
    ...called(below, "edges").flatMap((edges) => called(collectSubfields(context, edges), "node")),
  ];
  return memberLevels.flatMap((level) => called(collectSubfields(context, level), "members"));
}

function depthOf(
  members: CollectedField,
  info: GraphQLResolveInfo,
  context: SelectionContext,
  nesting: number,
): number | null {
  const own = intArg(members.nodes[0], "maxDepth", info, 0);
  if (own === null) return null;
  let extra = 0;
  for (const nested of nestedMembers(members, context)) {
    if (nesting >= MAX_NESTING) return null;
    const below = depthOf(nested, info, context, nesting + 1);
    if (below === null) return null;
    extra = Math.max(extra, below + 1);
  }
  return own + extra;
}

/**
 * How many levels below the group this `members` field and the `members` selections nested in
 * it will reach, as a maxDepth (null = everything). A member at the field's deepest level
 * (maxDepth + 1) asking for its own members with maxDepth m2 reaches m2 + 1 levels further.
 * Selections are read as execution reads them (selections.ts): fragments, @skip and @include.
 */
function selectedDepth(field: FieldNode, info: GraphQLResolveInfo, nesting = 0): number | null {
  return depthOf({ parentType: info.parentType, nodes: [field] }, info, contextOf(info), nesting);
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

/** Whether the current field's selection asks for `name` directly (through fragments too; not when skipped). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const selected = collectSubfields(contextOf(info), { parentType: info.parentType, nodes: [...info.fieldNodes] });
  return called(selected, name).length > 0;
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
