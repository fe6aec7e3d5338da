import type { ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import { writeWithFloatLiterals } from "../hierarchy/float-literal.js";

type Serialisable = ExecutionResult & { stringify?: (result: ExecutionResult) => string };

/**
 * Writes every response with float literals kept (see FloatLiteral): each result's serialiser
 * (yoga's JSON.stringify, graphql-jit's, the response cache's kept text) runs inside
 * writeWithFloatLiterals. A result is copied, not changed, since the response cache hands out
 * the same object to every request it answers.
 */
export function floatLiteralsPlugin(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(keepingFloats));
      else if (!(Symbol.asyncIterator in result)) setResult(keepingFloats(result));
    },
  };
}

function keepingFloats(result: Serialisable): Serialisable {
  const serialise = result.stringify ?? JSON.stringify;
  return { ...result, stringify: (r) => writeWithFloatLiterals(() => serialise(r)) };
}
