// One row of a tree browser: what every Zarr node shows, whatever its kind. Spread it wherever a
// node appears (members, node(id), a deep fetch); clients match it on the ZarrNode interface
// (Apollo needs possibleTypes for that; see the README's "Using it from a front end").
import { graphql } from "react-relay";

export const ZarrNodeSummary = graphql`
  fragment ZarrNodeSummary_node on ZarrNode {
    id
    path
    name
    basename
    attribute(key: "long_name")
    ... on ZarrArray {
      shape
      chunks
      dataType
      dimensionNames
    }
  }
`;
