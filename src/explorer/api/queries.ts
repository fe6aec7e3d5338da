// The operations behind each view. Each is sent as written here, with variables, and shown as
// sent in the view's "GraphQL" panel, so what a reader copies is what produced the view.
import type { Operation } from "./client.js";

/**
 * Members per page in the tree (the API's largest page): a group of 1,000 opens whole in one
 * request, and "more…" fetches the next thousand.
 */
export const TREE_PAGE = 1000;
/** Search results per page. */
export const SEARCH_PAGE = 50;

export function catalogsOperation(): Operation {
  return {
    name: "Catalogs",
    query: `query Catalogs {
  catalogs {
    name
    description
    url
  }
}`,
    variables: {},
  };
}

export function membersOperation(catalog: string, path: string, after: string | null): Operation {
  return {
    name: "Members",
    query: `query Members($catalog: String!, $path: String!, $first: Int!, $after: String) {
  catalog(name: $catalog) {
    node(path: $path) {
      __typename
      ... on ZarrGroup {
        members(first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges {
            node {
              __typename
              path
              basename
              ... on ZarrArray { shape dataType }
            }
          }
        }
      }
    }
  }
}`,
    variables: { catalog, path, first: TREE_PAGE, after },
  };
}

export function nodeOperation(catalog: string, path: string): Operation {
  return {
    name: "Node",
    query: `query Node($catalog: String!, $path: String!) {
  catalog(name: $catalog) {
    name
    description
    url
    node(path: $path) {
      __typename
      id
      path
      name
      zarrFormat
      version
      attributes
      metadata
      parent { path consolidated }
      ... on ZarrGroup {
        consolidated
        nmembers
      }
      ... on ZarrArray {
        shape
        ndim
        size
        nchunks
        dataType
        chunks
        shards
        fillValue
        order
        codecs { name configuration }
        chunkKeyEncoding
        dimensionNames
      }
    }
  }
}`,
    variables: { catalog, path },
  };
}

/** A group and the groups above it, nearest first: where a dimension's coordinate is looked for. */
export function groupChain(path: string, includeSelf: boolean): string[] {
  const segments = path === "" ? [] : path.split("/");
  const chain: string[] = [];
  for (let n = includeSelf ? segments.length : segments.length - 1; n >= 0; n--)
    chain.push(segments.slice(0, n).join("/"));
  return chain;
}

/**
 * One operation asking the same thing of several nodes of a catalog: each path a variable
 * (`$g0`, `$g1`… for prefix "g") and an aliased `node` field of that name, with `selection`.
 */
function perNode(name: string, catalog: string, prefix: string, paths: string[], selection: string): Operation {
  const variables: Record<string, unknown> = { catalog };
  paths.forEach((p, i) => {
    variables[`${prefix}${i}`] = p;
  });
  const definitions = paths.map((_, i) => `, $${prefix}${i}: String!`).join("");
  const fields = paths.map((_, i) => `\n    ${prefix}${i}: node(path: $${prefix}${i}) {${selection}\n    }`).join("");
  return {
    name,
    query: `query ${name}($catalog: String!${definitions}) {\n  catalog(name: $catalog) {${fields}\n  }\n}`,
    variables,
  };
}

/** Each group's dimensions and their coordinate arrays (g0 the nearest group, then up to the root). */
export function coordinatesOperation(catalog: string, groups: string[]): Operation {
  return perNode(
    "Coordinates",
    catalog,
    "g",
    groups,
    `
      ... on ZarrGroup {
        dimensions { name size coordinate { path } }
      }`,
  );
}

/** The extents of coordinate arrays (c0, c1… in the order given). */
export function extentsOperation(catalog: string, coordinates: string[]): Operation {
  return perNode(
    "Extents",
    catalog,
    "c",
    coordinates,
    `
      ... on ZarrArray {
        extent { min max step units calendar count missing monotonic }
      }`,
  );
}

export interface DimSelection {
  index?: number;
}

export function previewOperation(
  catalog: string,
  path: string,
  selection: DimSelection[],
  colormap: string,
): Operation {
  return {
    name: "Preview",
    query: `query Preview($catalog: String!, $path: String!, $selection: [DimSelection!], $colormap: String) {
  catalog(name: $catalog) {
    node(path: $path) {
      ... on ZarrArray {
        preview(selection: $selection, width: 256, height: 256, colormap: $colormap) {
          mimeType
          width
          height
          dataUrl
          min
          max
        }
      }
    }
  }
}`,
    variables: { catalog, path, selection, colormap },
  };
}

/** A facet's field in the search query: a fixed alias for the built-in ones, f0, f1… for attribute keys. */
export interface FacetRequest {
  alias: string;
  key: string;
}

export function searchOperation(
  text: string | null,
  filter: Record<string, unknown> | null,
  catalogs: string[] | null,
  facets: FacetRequest[],
  after: string | null,
): Operation {
  const keyVars = facets.map((_, i) => `$facet${i}: String!`).join(", ");
  const facetFields = facets.map((f, i) => `\n    ${f.alias}: facets(key: $facet${i}) { value count }`).join("");
  const variables: Record<string, unknown> = { text, filter, catalogs, first: SEARCH_PAGE, after };
  facets.forEach((f, i) => {
    variables[`facet${i}`] = f.key;
  });
  return {
    name: "Search",
    query: `query Search($text: String, $filter: NodeFilter, $catalogs: [String!], $first: Int!, $after: String${keyVars ? `, ${keyVars}` : ""}) {
  search(text: $text, filter: $filter, catalogs: $catalogs, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      __typename
      catalog
      path
      ... on ZarrArray { shape dataType }
    }${facetFields}
  }
}`,
    variables,
  };
}
