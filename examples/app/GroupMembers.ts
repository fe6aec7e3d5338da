// A group's members, paged forward as a Relay connection: `@connection` keeps the pages in one
// list in the client's store, and `@refetchable` lets Relay fetch the next page by the group's id.
import { graphql } from "react-relay";

export const GroupMembers = graphql`
  fragment GroupMembers_group on ZarrGroup @refetchable(queryName: "GroupMembersPaginationQuery") {
    id
    members(first: $count, after: $cursor) @connection(key: "GroupMembers_members") {
      totalCount
      edges {
        cursor
        node {
          ...ZarrNodeSummary_node
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
