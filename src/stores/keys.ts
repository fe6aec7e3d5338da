import { InvalidKeyError } from "./store.js";

/**
 * The single gate every key passes before a store touches it. Refuses anything that could
 * escape the store root once joined to a path or URL: `..` in any spelling, absolute keys,
 * backslashes, empty segments, control characters.
 */
export function validateKey(key: string, { allowRoot = false } = {}): string {
  if (typeof key !== "string") throw new InvalidKeyError(String(key), "not a string");
  if (key === "") {
    if (allowRoot) return key;
    throw new InvalidKeyError(key, "empty key");
  }
  if (key.length > 4096) throw new InvalidKeyError(key.slice(0, 64), "longer than 4096 characters");
  if (key.startsWith("/")) throw new InvalidKeyError(key, "absolute keys are not allowed");
  if (key.includes("\\")) throw new InvalidKeyError(key, "backslashes are not allowed");
  if (/^[a-zA-Z]:/.test(key)) throw new InvalidKeyError(key, "drive letters are not allowed");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new InvalidKeyError(key, "control characters are not allowed");
  // Most keys have no escapes: only the key as written needs its segments checked.
  if (!key.includes("%")) {
    checkSegments(key, key);
    return key;
  }
  let decoded = key;
  // Decode repeatedly so that %252e%252e cannot smuggle a '..' through a layer that decodes once.
  for (let i = 0; i < 3 && /%[0-9a-fA-F]{2}/.test(decoded); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break;
    }
  }
  // And as a lenient decoder would: ASCII escapes only, the rest left as written, so one
  // malformed escape elsewhere in the key ("%2e%2e/%c0") cannot shield a '..' from the check.
  let lenient = key;
  for (let i = 0; i < 3 && ASCII_ESCAPE.test(lenient); i++) {
    lenient = lenient.replace(ASCII_ESCAPES, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
  for (const candidate of new Set([key, decoded, lenient])) {
    if (candidate.includes("\\")) throw new InvalidKeyError(key, "backslashes are not allowed");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
    if (/[\u0000-\u001f\u007f]/.test(candidate))
      throw new InvalidKeyError(key, "encoded control characters are not allowed");
    checkSegments(key, candidate);
  }
  return key;
}

function checkSegments(key: string, candidate: string): void {
  for (const segment of candidate.split("/")) {
    if (segment === "") throw new InvalidKeyError(key, "empty path segments are not allowed");
    if (segment === "." || segment === "..") throw new InvalidKeyError(key, "'.' and '..' segments are not allowed");
  }
}

const ASCII_ESCAPE = /%[0-7][0-9a-fA-F]/;
const ASCII_ESCAPES = /%([0-7][0-9a-fA-F])/g;

export function validatePrefix(prefix: string): string {
  return validateKey(prefix, { allowRoot: true });
}
