import type { NodeFilterInput, StringMatchInput } from "../search/filter.js";
import { builder } from "./builder.js";
import { NodeType } from "./zarr-group.js";

/**
 * The filter inputs of `search` and `ZarrGroup.members`. Field thunks are evaluated when the
 * schema is built, so the cycle with zarr-group.ts (NodeType one way, NodeFilter the other) is safe.
 */

const CASE =
  "false: compare strings case-insensitively (eq, ne, in, notIn, contains, like, regex; not the order of lt/gt).";

export const StringMatch = builder.inputRef<StringMatchInput>("StringMatch").implement({
  description: "Every given test must hold.",
  fields: (t) => ({
    eq: t.string(),
    like: t.string({ description: "SQL LIKE over the whole string: % any run, _ one character, \\ escapes." }),
    regex: t.string({ description: "RE2 syntax; matches anywhere unless anchored (^…$)." }),
    caseSensitive: t.boolean({ defaultValue: true, description: CASE }),
  }),
});

// JSON fields are `unknown` on input, which Pothos cannot check against an interface: typed where parsed (search/filter.ts).
export const AttributeMatch = builder.inputRef<any>("AttributeMatch").implement({
  description:
    "Tests on one attribute; every given test must hold. Comparisons never match a node without the key (ne and notIn included: use not for the complement). Numbers compare as numbers, strings by code point; values of different types never match.",
  fields: (t) => ({
    key: t.string({
      required: true,
      description: 'A dotted path into nested objects and lists: "sample.name", "multiscales.0.version".',
    }),
    eq: t.field({ type: "JSON" }),
    ne: t.field({ type: "JSON" }),
    in: t.field({ type: ["JSON"] }),
    notIn: t.field({ type: ["JSON"] }),
    lt: t.field({ type: "JSON", description: "A number or a string." }),
    lte: t.field({ type: "JSON" }),
    gt: t.field({ type: "JSON" }),
    gte: t.field({ type: "JSON" }),
    contains: t.field({ type: "JSON", description: "A list holds the value, or a string holds the substring." }),
    exists: t.boolean(),
    like: t.string({ description: "SQL LIKE over the whole string: % any run, _ one character, \\ escapes." }),
    regex: t.string({ description: "RE2 syntax; matches anywhere unless anchored (^…$)." }),
    caseSensitive: t.boolean({ defaultValue: true, description: CASE }),
  }),
});

export const IntRange = builder
  .inputRef<{ eq?: number | null; gte?: number | null; lte?: number | null }>("IntRange")
  .implement({
    fields: (t) => ({ eq: t.int(), gte: t.int(), lte: t.int() }),
  });

export const NodeFilter = builder.inputRef<NodeFilterInput>("NodeFilter").implement({
  description: 'Every given field must hold (AND). pathPrefix "a" is a and everything below it, never "ab"; "" is all.',
  fields: (t) => ({
    and: t.field({ type: [NodeFilter] }),
    or: t.field({ type: [NodeFilter] }),
    not: t.field({ type: NodeFilter }),
    nodeType: t.field({ type: NodeType }),
    zarrFormat: t.int(),
    pathPrefix: t.string({ description: 'A subtree: the node at this path and everything below it; "" = all.' }),
    name: t.field({ type: StringMatch, description: "The basename (empty for the root)." }),
    attribute: t.field({ type: AttributeMatch }),
    dataType: t.stringList({ description: "One of these, compared with the dataType field as the API prints it." }),
    ndim: t.field({ type: IntRange, description: "Arrays' number of dimensions." }),
    dimensionName: t.string({
      description: "dimension_names (format 3) or _ARRAY_DIMENSIONS (format 2) contains it.",
    }),
  }),
});
