import { decodeGlobalID } from "@pothos/plugin-relay";
import { BadInputError } from "../hierarchy/errors.js";
import type { ConsolidatedMode } from "../hierarchy/session.js";

/** The type name a malformed global id decodes to: no type has it, so nothing loads it. */
export const MALFORMED_ID = "\u0000malformed";

/**
 * A Relay global id ("Type:local", base64). A malformed one decodes to MALFORMED_ID rather
 * than failing the argument, so `nodes(ids:)` can answer it with an error in its own slot.
 */
export function decodeGlobalId(globalID: string): { typename: string; id: string } {
  try {
    return decodeGlobalID(globalID);
  } catch {
    return { typename: MALFORMED_ID, id: globalID };
  }
}

/** The error for one malformed id (BAD_USER_INPUT), or null for a well-formed one. */
export function malformedIdError(decoded: { typename: string; id: string }): BadInputError | null {
  return decoded.typename === MALFORMED_ID
    ? new BadInputError(`malformed global id ${JSON.stringify(String(decoded.id).slice(0, 200))}`)
    : null;
}

/**
 * Which answer an id stands for. "consolidated" is what USE and REQUIRE answer (alike, where
 * REQUIRE answers at all); "ignore" is the store read as it is, whose version and consolidated
 * flag differ, so it has ids of its own and a normalised client cache keeps the two apart.
 */
export type NodeView = "consolidated" | "ignore";

export function viewOf(mode: ConsolidatedMode): NodeView {
  return mode === "ignore" ? "ignore" : "consolidated";
}

/**
 * The local part of a Relay id: catalog and path, unambiguous whatever characters they hold,
 * and the view when it is IGNORE's. The consolidated view's ids are the ones clients and
 * gateways already hold, unchanged.
 */
export function encodeNodeId(catalog: string, path: string, view: NodeView = "consolidated"): string {
  return JSON.stringify(view === "ignore" ? [catalog, path, "ignore"] : [catalog, path]);
}

export function decodeNodeId(id: string): { catalog: string; path: string; view: NodeView } {
  try {
    const value = JSON.parse(id);
    if (
      Array.isArray(value) &&
      typeof value[0] === "string" &&
      typeof value[1] === "string" &&
      (value.length === 2 || (value.length === 3 && value[2] === "ignore"))
    ) {
      return { catalog: value[0], path: value[1], view: value.length === 3 ? "ignore" : "consolidated" };
    }
  } catch {
    // fall through
  }
  throw new BadInputError("malformed node id");
}
