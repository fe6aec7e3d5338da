// One request for a whole subtree's arrays with their metadata: what a data loader or a
// "download as..." dialog needs, without walking the tree page by page. maxDepth is a variable
// (null: everything): Relay drops arguments written as a literal null, which would leave the
// default (children only).
import { graphql } from "react-relay";

export const DeepFetchQuery = graphql`
  query DeepFetchQuery($catalog: String!, $path: String!, $maxDepth: Int) {
    catalog(name: $catalog) {
      id
      node(path: $path) {
        id
        path
        attributes
        ... on ZarrGroup {
          arrays: members(maxDepth: $maxDepth, first: 1000, nodeType: ARRAY) {
            totalCount
            nodes {
              id
              path
              attributes
              ... on ZarrArray {
                shape
                chunks
                shards
                dataType
                fillValue
                order
                dimensionNames
                codecs {
                  name
                  configuration
                }
              }
            }
          }
        }
      }
    }
  }
`;
