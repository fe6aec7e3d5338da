import { decodeGlobalID } from "@pothos/plugin-relay";
import { BadInputError } from "../hierarchy/errors.js";

/** A Relay global id ("Type:local", base64); a malformed one is the caller's mistake, BAD_USER_INPUT. */
export function decodeGlobalId(globalID: string): { typename: string; id: string } {
  try {
    return decodeGlobalID(globalID);
  } catch {
    throw new BadInputError(`malformed global id ${JSON.stringify(globalID.slice(0, 200))}`);
  }
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
