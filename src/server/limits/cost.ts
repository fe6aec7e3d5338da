import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  getNullableType,
  getOperationAST,
  isListType,
  Kind,
  valueFromASTUntyped,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import {
  type CollectedField,
  collectFields,
  collectSubfields,
  fieldDefinition,
  type SelectionContext,
} from "../../resolvers/selections.js";
import { limitError } from "./errors.js";

/** What `@pothos/plugin-complexity` stores in each field's `extensions.complexity`. */
type ComplexityValue = number | { field?: number; multiplier?: number };
type Complexity = ComplexityValue | ((args: Record<string, unknown>, ctx: unknown, field: unknown) => ComplexityValue);

/** Pothos' defaults for fields that declare nothing: weight 1, lists count 10 items. */
const DEFAULT_WEIGHT = 1;
const DEFAULT_LIST_MULTIPLIER = 10;

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
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType) return null;
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (rawVariables && rawVariables[name] !== undefined) variables[name] = rawVariables[name];
    else if (definition.defaultValue) variables[name] = valueFromASTUntyped(definition.defaultValue);
  }
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const context: SelectionContext = { schema, fragments, variables };

  const costOf = (fields: Map<string, CollectedField>, objects: number): number => {
    let total = 0;
    for (const collected of fields.values()) {
      // __typename, and introspection, whose size the schema bounds.
      if (collected.nodes[0].name.value.startsWith("__")) {
        total += objects;
        continue;
      }
      const field = fieldDefinition(collected);
      if (!field) continue;
      const { weight, multiplier } = complexityOf(field, collected.nodes[0], variables, options.context);
      total += objects * weight;
      const children = collectSubfields(context, collected);
      if (children) total += costOf(children, Math.min(objects * multiplier, options.maxObjects));
    }
    return total;
  };

  return Math.ceil(costOf(collectFields(context, rootType, operation.selectionSet), 1));
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
  const list = isListType(getNullableType(field.type));
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
export function costLimitPlugin(max: number, maxObjects: number, estimate = estimateCost): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = estimate(args.schema, args.document, args.operationName, args.variableValues, {
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
