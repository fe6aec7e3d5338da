import type { RequestScope } from "../hierarchy/catalog.js";

/** What every resolver receives: the request's hierarchy scope and who is asking. */
export interface GraphQLContext {
  scope: RequestScope;
  requestId: string;
  /** The bearer token the request presented (null: none); it decides what scope.mayRead allows. */
  bearerToken?: string | null;
}
