import { type Operation, run } from "./client.js";

/**
 * What the server's schema offers beyond browsing. The page asks once, by introspection, so it
 * works on a server without the search or values APIs and uses them wherever they exist.
 */
export interface Capabilities {
  search: boolean;
  facets: boolean;
  extent: boolean;
  preview: boolean;
  dimensions: boolean;
  /** Colour maps the preview takes: the enum's values when the argument is an enum. */
  colormaps: string[];
}

export const NONE: Capabilities = {
  search: false,
  facets: false,
  extent: false,
  preview: false,
  dimensions: false,
  colormaps: [],
};

/** Offered when the colormap argument is a plain string: matplotlib's perceptual maps and grey. */
const DEFAULT_COLORMAPS = ["viridis", "magma", "inferno", "plasma", "cividis", "turbo", "gray"];

export const CAPABILITIES: Operation = {
  name: "Capabilities",
  query: `query Capabilities {
  query: __type(name: "Query") { fields { name } }
  array: __type(name: "ZarrArray") { fields { name args { name type { kind name ofType { kind name } } } } }
  group: __type(name: "ZarrGroup") { fields { name } }
  search: __type(name: "SearchConnection") { fields { name } }
}`,
  variables: {},
};

interface TypeRef {
  kind: string;
  name: string | null;
  ofType?: TypeRef | null;
}
interface Field {
  name: string;
  args?: { name: string; type: TypeRef }[];
}
type Introspected = Record<"query" | "array" | "group" | "search", { fields: Field[] } | null>;

const names = (t: { fields: Field[] } | null) => new Set((t?.fields ?? []).map((f) => f.name));

/** Asks the server; a server that refuses introspection gets the browsing page only. */
export async function detectCapabilities(): Promise<Capabilities> {
  const { data } = await run<Introspected>(CAPABILITIES);
  if (!data) return NONE;
  const array = names(data.array);
  const preview = data.array?.fields.find((f) => f.name === "preview");
  const colormapType = preview?.args?.find((a) => a.name === "colormap")?.type;
  const enumName =
    colormapType &&
    (colormapType.kind === "ENUM"
      ? colormapType.name
      : colormapType.ofType?.kind === "ENUM"
        ? colormapType.ofType.name
        : null);
  let colormaps = DEFAULT_COLORMAPS;
  if (enumName) {
    const values = await run<{ type: { enumValues: { name: string }[] } | null }>({
      name: "Colormaps",
      query: "query Colormaps($name: String!) { type: __type(name: $name) { enumValues { name } } }",
      variables: { name: enumName },
    });
    colormaps = values.data?.type?.enumValues.map((v) => v.name) ?? DEFAULT_COLORMAPS;
  }
  return {
    search: names(data.query).has("search"),
    facets: names(data.search).has("facets"),
    extent: array.has("extent"),
    preview: array.has("preview"),
    dimensions: names(data.group).has("dimensions"),
    colormaps: preview ? colormaps : [],
  };
}
