// Refetches one node by its global id (Relay's node(id:)), as a client does when a row is
// expanded or its cached copy is stale; works for catalogs, groups and arrays alike.
import { graphql } from "react-relay";

export const NodeRefetchQuery = graphql`
  query NodeRefetchQuery($id: ID!, $count: Int = 50, $cursor: String) {
    node(id: $id) {
      id
      ... on Catalog {
        name
      }
      ... on ZarrNode {
        attributes
        version
      }
      # A Node may not be a Zarr node (or a group): @alias makes each a nullable property.
      ...ZarrNodeSummary_node @alias
      ...GroupMembers_group @alias
    }
  }
`;
