import {
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  valueFromASTUntyped,
} from "graphql";

/**
 * Reading a request's selections ahead of execution, as execution will read them: the cost
 * estimate (server/limits/cost.ts) and the members prefetch (lookahead.ts) both walk them here.
 */
export interface SelectionContext {
  schema: GraphQLSchema;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variables: Readonly<Record<string, unknown>>;
}

/** The nodes of one response key on one parent type (a field asked for twice is merged). */
export interface CollectedField {
  parentType: GraphQLCompositeType;
  nodes: FieldNode[];
}

/**
 * The fields `selectionSet` selects on `type`, by parent type and response key: through inline
 * fragments and fragment spreads (each named fragment once per selection, as execution does),
 * leaving out what @skip / @include leave out. A fragment's type condition becomes the parent
 * type of what it selects.
 */
export function collectFields(
  context: SelectionContext,
  type: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  into = new Map<string, CollectedField>(),
  visited = new Set<string>(),
): Map<string, CollectedField> {
  const typeNamed = (name: string): GraphQLCompositeType => {
    const named = context.schema.getType(name);
    return named && isCompositeType(named) ? named : type;
  };
  for (const selection of selectionSet.selections) {
    if (!included(selection.directives, context.variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = `${type.name}.${selection.alias?.value ?? selection.name.value}`;
      const entry = into.get(key);
      if (entry) entry.nodes.push(selection);
      else into.set(key, { parentType: type, nodes: [selection] });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? typeNamed(selection.typeCondition.name.value) : type;
      collectFields(context, condition, selection.selectionSet, into, visited);
    } else {
      const name = selection.name.value;
      const fragment = context.fragments[name];
      if (!fragment || visited.has(name)) continue;
      visited.add(name);
      collectFields(context, typeNamed(fragment.typeCondition.name.value), fragment.selectionSet, into, visited);
    }
  }
  return into;
}

/** The schema's definition of a collected field; undefined for __typename and unknown names. */
export function fieldDefinition(collected: CollectedField): GraphQLField<unknown, unknown> | undefined {
  const { parentType, nodes } = collected;
  if (!isObjectType(parentType) && !isInterfaceType(parentType)) return undefined;
  return parentType.getFields()[nodes[0].name.value];
}

/** The fields selected below a collected field (all its nodes merged); undefined for leaves. */
export function collectSubfields(
  context: SelectionContext,
  collected: CollectedField,
): Map<string, CollectedField> | undefined {
  const field = fieldDefinition(collected);
  const type = field && getNamedType(field.type);
  if (!type || !isCompositeType(type)) return undefined;
  const into = new Map<string, CollectedField>();
  const visited = new Set<string>();
  for (const node of collected.nodes)
    if (node.selectionSet) collectFields(context, type, node.selectionSet, into, visited);
  return into;
}

/** Whether @skip / @include leave a selection in, read as execution will read them. */
function included(
  directives: readonly DirectiveNode[] | undefined,
  variables: Readonly<Record<string, unknown>>,
): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== "skip" && name !== "include") continue;
    const condition = directive.arguments?.find((a) => a.name.value === "if");
    const value = condition ? valueFromASTUntyped(condition.value, variables as Record<string, unknown>) : undefined;
    if (name === "skip" && value === true) return false;
    if (name === "include" && value === false) return false;
  }
  return true;
}
