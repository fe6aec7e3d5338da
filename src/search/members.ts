import type { MemberResult } from "../hierarchy/session.js";
import { matches } from "./evaluate.js";
import { type NodeFilterInput, parseFilter } from "./filter.js";
import { recordOf } from "./record.js";

/**
 * `members(filter:)`: a predicate over what the walk found, or null without a filter. The filter
 * is checked here, before any walk. A member that failed to read has no metadata: it never matches.
 */
export function memberPredicate(input: NodeFilterInput | null | undefined): ((member: MemberResult) => boolean) | null {
  if (!input) return null;
  const filter = parseFilter(input);
  return (member) =>
    member.node !== undefined && matches(filter, recordOf(member.node.catalog, member.path, member.node.meta));
}
