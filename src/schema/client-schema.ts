import { buildASTSchema, type NameNode, parse, printSchema, specifiedDirectives, visit } from "graphql";

const SPECIFIED = new Set(specifiedDirectives.map((d) => d.name));

/** Types that exist only for federation: its scalars and unions, and the @link spec's enums. */
const FEDERATION_TYPE = /^(_Any|_Entity|_Service|FieldSet|link__.*|federation__.*)$/;
const GATEWAY_FIELD = /^(_service|_entities)$/;

const unless = (pattern: RegExp) => (node: { name: NameNode }) => (pattern.test(node.name.value) ? null : undefined);

/**
 * The API as clients see it, from the subgraph SDL: the same types in the same order, less what
 * only a federation gateway reads (`extend schema @link`, @key and @shareable, and `_service`,
 * `_entities` and `_Any` wherever a printer puts them). Directives the GraphQL spec defines
 * (@deprecated, @specifiedBy, @oneOf) stay: clients read them.
 */
export function clientSdl(subgraphSdl: string): string {
  const document = visit(parse(subgraphSdl), {
    SchemaExtension: () => null,
    SchemaDefinition: () => null,
    Directive: (node) => (SPECIFIED.has(node.name.value) ? undefined : null),
    DirectiveDefinition: (node) => (SPECIFIED.has(node.name.value) ? undefined : null),
    FieldDefinition: unless(GATEWAY_FIELD),
    ObjectTypeDefinition: unless(FEDERATION_TYPE),
    ScalarTypeDefinition: unless(FEDERATION_TYPE),
    UnionTypeDefinition: unless(FEDERATION_TYPE),
    EnumTypeDefinition: unless(FEDERATION_TYPE),
  });
  // Built and printed again: a schema that does not build is an error here, not in a client tool.
  return `${printSchema(buildASTSchema(document))}\n`;
}
