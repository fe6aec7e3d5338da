import { type DocumentNode, type GraphQLSchema, getOperationAST, Kind, type TypeNode } from "graphql";

/*
 * graphql-jit compiles a query's variable coercion by walking each variable's input type, and
 * never stops on a type that contains itself (NodeFilter's and/or/not): the stack overflows.
 * Operations with a variable of such a type run on graphql-js instead. Types are recognised by
 * their toStringTag, not instanceof (see limits/cost.ts on graphql's two builds).
 */

type Fields = Record<string, { type: unknown }>;
const tag = (type: unknown) => Object.prototype.toString.call(type);
const isInputObject = (type: unknown): type is { name: string; getFields(): Fields } =>
  tag(type) === "[object GraphQLInputObjectType]";

function named(type: unknown): unknown {
  let t = type as { ofType?: unknown };
  while (t.ofType) t = t.ofType as { ofType?: unknown };
  return t;
}

const recursiveBySchema = new WeakMap<GraphQLSchema, Set<string>>();

/** Input object types from which a chain of fields leads back to a type already on the chain. */
export function recursiveInputTypes(schema: GraphQLSchema): Set<string> {
  let out = recursiveBySchema.get(schema);
  if (out) return out;
  out = new Set();
  const reaches = (type: unknown, path: string[]): boolean => {
    if (!isInputObject(type)) return false;
    if (path.includes(type.name)) return true;
    return Object.values(type.getFields()).some((f) => reaches(named(f.type), [...path, type.name]));
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInputObject(type) && reaches(type, [])) out.add(type.name);
  }
  recursiveBySchema.set(schema, out);
  return out;
}

function typeName(node: TypeNode): string {
  return node.kind === Kind.NAMED_TYPE ? node.name.value : typeName(node.type);
}

/** Whether the operation declares a variable whose type graphql-jit cannot compile. */
export function hasRecursiveVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): boolean {
  const recursive = recursiveInputTypes(schema);
  const operation = getOperationAST(document, operationName);
  return (operation?.variableDefinitions ?? []).some((v) => recursive.has(typeName(v.type)));
}
