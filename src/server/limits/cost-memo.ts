import { type ArgumentNode, type DocumentNode, type GraphQLSchema, visit } from "graphql";
import type { CostOptions, estimateCost } from "./cost.js";

type Estimate = typeof estimateCost;

const sensitiveBySchema = new WeakMap<GraphQLSchema, Set<string>>();

/** Estimates kept per operation, one per set of the values that matter to it. */
const PER_OPERATION = 64;

/**
 * Names of fields whose cost can depend on their arguments: those with a complexity function
 * and lists (a list argument sets how many items they hold). Read by shape, as cost.ts reads
 * the schema.
 */
function argumentSensitiveFields(schema: GraphQLSchema): Set<string> {
  const known = sensitiveBySchema.get(schema);
  if (known) return known;
  const names = new Set<string>();
  sensitiveBySchema.set(schema, names);
  for (const type of Object.values(schema.getTypeMap())) {
    const fields = (type as { getFields?: () => Record<string, { type: unknown; extensions?: any }> }).getFields?.();
    for (const [name, field] of Object.entries(fields ?? {})) {
      if (typeof field.extensions?.complexity === "function" || String(field.type).startsWith("[")) names.add(name);
    }
  }
  return names;
}

/** Variables used in the arguments of those fields, or by @skip / @include, anywhere in the document. */
function costVariables(document: DocumentNode, sensitive: ReadonlySet<string>): string[] {
  const used = new Set<string>();
  const collect = (args: readonly ArgumentNode[] | undefined) => {
    for (const arg of args ?? []) visit(arg.value, { Variable: (node) => void used.add(node.name.value) });
  };
  visit(document, {
    Field: (node) => {
      if (sensitive.has(node.name.value)) collect(node.arguments);
    },
    Directive: (node) => {
      if (node.name.value === "skip" || node.name.value === "include") collect(node.arguments);
    },
  });
  return [...used].sort();
}

/**
 * The cost estimate, computed once per operation and per values of the variables it depends
 * on, instead of walking the document on every request: most requests repeat an operation
 * with variables the estimate does not read (ids, paths, keys). Complexity declarations are
 * functions of their field's arguments only (see src/schema/complexity.ts).
 */
export function memoizedEstimate(estimate: Estimate): Estimate {
  let sensitive: { schema: GraphQLSchema; names: Set<string> } | undefined;
  const byDocument = new WeakMap<
    DocumentNode,
    Map<string, { variables: string[]; costs: Map<string, number | null> }>
  >();
  return (schema, document, operationName, rawVariables, options: CostOptions) => {
    if (sensitive?.schema !== schema) sensitive = { schema, names: argumentSensitiveFields(schema) };
    let operations = byDocument.get(document);
    if (!operations) {
      operations = new Map();
      byDocument.set(document, operations);
    }
    let operation = operations.get(operationName ?? "");
    if (!operation) {
      operation = { variables: costVariables(document, sensitive.names), costs: new Map() };
      operations.set(operationName ?? "", operation);
    }
    // An absent (or undefined) variable takes its default; null is a value of its own.
    const values = operation.variables.map((name) => (rawVariables?.[name] === undefined ? [] : [rawVariables[name]]));
    const key = JSON.stringify([options.maxObjects, values]);
    let cost = operation.costs.get(key);
    if (cost === undefined) {
      cost = estimate(schema, document, operationName, rawVariables, options);
      if (operation.costs.size >= PER_OPERATION) operation.costs.clear();
      operation.costs.set(key, cost);
    }
    return cost;
  };
}
