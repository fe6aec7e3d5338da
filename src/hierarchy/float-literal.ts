import { randomUUID } from "node:crypto";
import { pythonFloatRepr } from "./write/python-json.js";

/**
 * A number a document wrote as a float ("1.0", "1e+20", "1.0000000200408773e+20") whose value is
 * integral. JavaScript prints such a double as an integer ("100000002004087730000"), which Python,
 * Java and Go read as an exact integer: another number, or another type. Written out through
 * `writeWithFloatLiterals`, it is Python's repr of the double ("1.0000000200408773e+20"), which
 * every reader parses back to the same double; any other serialiser sees the plain number.
 */
export class FloatLiteral {
  constructor(readonly value: number) {}

  valueOf(): number {
    return this.value;
  }

  toJSON(): number | string {
    return writing > 0 ? `${MARK}${pythonFloatRepr(this.value)}` : this.value;
  }
}

let writing = 0;

// A per-process nonce: no document can spell the marker, so no string is ever unquoted by mistake.
const MARK = `@float:${randomUUID()}:`;
const MARKED = new RegExp(`"${MARK}(-?\\d+(?:\\.\\d+)?(?:e[+-]\\d+)?)"`, "g");

/**
 * Runs `serialise` (JSON.stringify, or a serialiser that calls toJSON) with float literals kept:
 * each FloatLiteral is written as a marked string and then unquoted. What it costs when there
 * are none is one substring search of the text.
 */
export function writeWithFloatLiterals(serialise: () => string): string {
  writing++;
  let text: string;
  try {
    text = serialise();
  } finally {
    writing--;
  }
  return text.includes(MARK) ? text.replace(MARKED, "$1") : text;
}
