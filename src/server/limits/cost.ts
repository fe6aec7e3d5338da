import {
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type SelectionSetNode,
  valueFromASTUntyped,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import { limitError } from "./errors.js";

/*
 * graphql ships CommonJS and ESM builds without an exports map: Node gives every package the
 * CommonJS one, while a bundler or test runner may give this file the ESM one, and graphql's
 * type predicates (instanceof) then refuse the schema's types. So types are inspected by shape
 * and arguments read from the syntax tree, with nothing but AST helpers from graphql.
 */

/** What `@pothos/plugin-complexity` stores in each field's `extensions.complexity`. */
type ComplexityValue = number | { field?: number; multiplier?: number };
type Complexity = ComplexityValue | ((args: Record<string, unknown>, ctx: unknown, field: unknown) => ComplexityValue);

/** Pothos' defaults for fields that declare nothing: weight 1, lists count 10 items. */
const DEFAULT_WEIGHT = 1;
const DEFAULT_LIST_MULTIPLIER = 10;

type Wrapped = { ofType?: unknown; toString(): string };
type Composite = GraphQLNamedType & { getFields?: () => Record<string, GraphQLField<unknown, unknown>> };

/** The named type inside any list and non-null wrappers. */
function namedType(type: unknown): Composite {
  let t = type as Wrapped;
  while (t.ofType) t = t.ofType as Wrapped;
  return t as unknown as Composite;
}

/** A list, possibly non-null: its printed form starts with "[" once a trailing "!" is set aside. */
function isList(type: unknown): boolean {
  return String(type).startsWith("[");
}

/** Objects, interfaces and unions have selections; scalars and enums do not. */
function isComposite(type: Composite): boolean {
  const t = type as unknown as Record<string, unknown>;
  return typeof t.getFields === "function" || typeof t.getTypes === "function";
}

interface Collected {
  parentType: Composite;
  nodes: FieldNode[];
}

export interface CostOptions {
  /**
   * No level of a response holds more objects than this. Every node in a `members` page was
   * visited by a walk that the request's node budget bounds, so nested pages cannot multiply
   * past it however large their `first`.
   */
  maxObjects: number;
  /** Passed to complexity functions as their context. */
  context?: unknown;
}

/**
 * The estimated cost of running `document`'s chosen operation with these variables: every
 * field costs its weight (Pothos complexity, default 1) once per object it is selected on, and
 * a field's multiplier (members: `first`; other lists: 10, or the length of a list argument such
 * as `ids`) says how many objects its selection runs on. Fields are merged by response key and
 * each fragment spread once per selection, as execution does, so repeating a fragment costs
 * nothing extra. Null when there is no such operation: execution reports that.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
  options: CostOptions,
): number | null {
  const operation = getOperationAST(document, operationName);
  const rootType = operation && (schema.getRootType(operation.operation) as Composite | null | undefined);
  if (!operation || !rootType) return null;
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (rawVariables && rawVariables[name] !== undefined) variables[name] = rawVariables[name];
    else if (definition.defaultValue) variables[name] = valueFromASTUntyped(definition.defaultValue);
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const typeNamed = (name: string, fallback: Composite): Composite => {
    const type = schema.getType(name) as Composite | undefined;
    return type && isComposite(type) ? type : fallback;
  };

  const collect = (
    selectionSet: SelectionSetNode,
    type: Composite,
    into: Map<string, Collected>,
    visited: Set<string>,
  ): void => {
    for (const selection of selectionSet.selections) {
      if (!included(selection.directives, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = `${type.name}.${selection.alias?.value ?? selection.name.value}`;
        const entry = into.get(key);
        if (entry) entry.nodes.push(selection);
        else into.set(key, { parentType: type, nodes: [selection] });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const fragmentType = selection.typeCondition ? typeNamed(selection.typeCondition.name.value, type) : type;
        collect(selection.selectionSet, fragmentType, into, visited);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visited.has(name)) continue;
        visited.add(name);
        collect(fragment.selectionSet, typeNamed(fragment.typeCondition.name.value, type), into, visited);
      }
    }
  };

  const costOf = (fields: Map<string, Collected>, objects: number): number => {
    let total = 0;
    for (const { parentType, nodes } of fields.values()) {
      const node = nodes[0];
      // __typename, and introspection, whose size the schema bounds.
      if (node.name.value.startsWith("__")) {
        total += objects;
        continue;
      }
      const field = parentType.getFields?.()[node.name.value] as GraphQLField<unknown, unknown> | undefined;
      if (!field) continue;
      const { weight, multiplier } = complexityOf(field, node, variables, options.context);
      total += objects * weight;
      const named = namedType(field.type);
      if (!isComposite(named)) continue;
      const children = new Map<string, Collected>();
      const visited = new Set<string>();
      for (const n of nodes) if (n.selectionSet) collect(n.selectionSet, named, children, visited);
      total += costOf(children, Math.min(objects * multiplier, options.maxObjects));
    }
    return total;
  };

  const top = new Map<string, Collected>();
  collect(operation.selectionSet, rootType, top, new Set());
  return Math.ceil(costOf(top, 1));
}

/** Whether @skip / @include leave a selection in, read as execution will read them. */
function included(directives: readonly DirectiveNode[] | undefined, variables: Record<string, unknown>): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== "skip" && name !== "include") continue;
    const condition = directive.arguments?.find((a) => a.name.value === "if");
    const value = condition ? valueFromASTUntyped(condition.value, variables) : undefined;
    if (name === "skip" && value === true) return false;
    if (name === "include" && value === false) return false;
  }
  return true;
}

/** The field's arguments as its resolver will see them (defaults filled in), uncoerced. */
function argumentValues(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const given = new Map<string, ArgumentNode>((node.arguments ?? []).map((a) => [a.name.value, a]));
  const args: Record<string, unknown> = {};
  for (const arg of field.args) {
    const ast = given.get(arg.name);
    if (ast && !(ast.value.kind === Kind.VARIABLE && !(ast.value.name.value in variables))) {
      args[arg.name] = valueFromASTUntyped(ast.value, variables);
    } else if (arg.defaultValue !== undefined) {
      args[arg.name] = arg.defaultValue;
    }
  }
  return args;
}

function complexityOf(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
  context: unknown,
): { weight: number; multiplier: number } {
  let declared = field.extensions?.complexity as Complexity | undefined;
  const args = argumentValues(field, node, variables);
  if (typeof declared === "function") declared = declared(args, context, field);
  const list = isList(field.type);
  const weight = typeof declared === "number" ? declared : (declared?.field ?? DEFAULT_WEIGHT);
  let multiplier =
    typeof declared === "object" && declared.multiplier !== undefined
      ? declared.multiplier
      : list
        ? DEFAULT_LIST_MULTIPLIER
        : 1;
  // A list asked for by a list of inputs (nodes(ids:), federation's _entities(representations:))
  // holds as many items as it was given, however few or many.
  const inputs = Object.values(args).filter(Array.isArray);
  if (list && inputs.length > 0) multiplier = Math.max(...inputs.map((value) => value.length));
  const finite = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);
  return { weight: finite(weight), multiplier: finite(multiplier) };
}

/**
 * Refuses, before any resolver runs, an operation whose estimated cost exceeds `max`. It runs
 * at execution, with the request's variables, for every root field alike (federation's
 * `_entities` included), since the validation phase sees no variables and yoga caches its
 * result per document.
 */
export function costLimitPlugin(max: number, maxObjects: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = estimateCost(args.schema, args.document, args.operationName, args.variableValues, {
        maxObjects,
        context: args.contextValue,
      });
      if (cost !== null && cost > max) {
        setResultAndStopExecution({
          errors: [
            limitError(
              "cost",
              max,
              cost,
              `query cost is estimated at ${cost}, more than the ${max} allowed; ask for fewer fields, a smaller first, or a smaller maxDepth`,
            ),
          ],
        });
      }
    },
  };
}
