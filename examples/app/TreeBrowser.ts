// The tree browser's entry query: a catalog, its root, and the first page of the root's
// children. Expanding a group refetches it by id (NodeRefetch) and pages its members.
import { graphql } from "react-relay";

export const TreeBrowserQuery = graphql`
  query TreeBrowserQuery($catalog: String!, $count: Int = 50, $cursor: String) {
    catalogs {
      id
      name
      description
    }
    catalog(name: $catalog) {
      id
      name
      url
      root {
        ...ZarrNodeSummary_node
        # The root may be an array: the members part is null then (@alias).
        ...GroupMembers_group @alias
      }
    }
  }
`;
