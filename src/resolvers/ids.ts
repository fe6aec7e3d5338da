import { decodeGlobalID } from "@pothos/plugin-relay";
import { BadInputError } from "../hierarchy/errors.js";

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

/** The local part of a Relay id: catalog and path, unambiguous whatever characters they hold. */
export function encodeNodeId(catalog: string, path: string): string {
  return JSON.stringify([catalog, path]);
}

export function decodeNodeId(id: string): { catalog: string; path: string } {
  try {
    const value = JSON.parse(id);
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string") {
      return { catalog: value[0], path: value[1] };
    }
  } catch {
    // fall through
  }
  throw new BadInputError("malformed node id");
}
