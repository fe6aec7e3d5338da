import path from "node:path";
import { fileURLToPath } from "node:url";

/** The hierarchies bundled in the repository, served by `npm start` with no arguments. */
export const EXAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../example");

export const EXAMPLE_STORES = [
  {
    name: "climate",
    url: path.join(EXAMPLE_DIR, "climate.zarr"),
    description: "Bundled format-3 example (consolidated)",
  },
  {
    name: "legacy",
    url: path.join(EXAMPLE_DIR, "legacy.zarr"),
    description: "Bundled format-2 example (consolidated)",
  },
];

/** What GraphiQL opens with: one deep, selective fetch. */
export const EXAMPLE_QUERY = `# One request, the whole hierarchy: try removing fields, or set maxDepth: 0.
query Browse {
  catalog(name: "climate") {
    name
    root {
      ... on ZarrGroup {
        attributes
        consolidated
        tree
        members(maxDepth: null, first: 50) {
          totalCount
          nodes {
            __typename
            path
            attribute(key: "long_name")
            ... on ZarrArray {
              shape
              chunks
              shards
              dataType
              fillValue
              dimensionNames
              codecs { name }
            }
          }
        }
      }
    }
    # Array values: coordinate extents, a slice, a preview image (open its dataUrl in a browser).
    sample: node(path: "sample") {
      ... on ZarrGroup { dimensions { name size extent { min max step units calendar } } }
    }
    tas: node(path: "sample/tas") {
      ... on ZarrArray {
        values(selection: [{index: 0}, {start: 30, stop: 33}, {start: 0, stop: 144, step: 48}]) { shape data }
        preview(colormap: "viridis") { width height min max dataUrl }
      }
    }
  }
}
`;
