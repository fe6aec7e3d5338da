import type { RequestScope } from "../hierarchy/catalog.js";

/** What every resolver receives: the request's hierarchy scope and who is asking. */
export interface GraphQLContext {
  scope: RequestScope;
  requestId: string;
}
