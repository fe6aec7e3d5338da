import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { Lexer, Source, TokenKind, type ValidationContext } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { QueryLimits } from "./config.js";
import { limitError } from "./errors.js";

/**
 * graphql-armor measures (its visitors count depth, aliases and directives, fragments
 * included); this module refuses. Armor's own refusals carry the numbers only in their message,
 * so its thresholds are set out of reach and its accept callback, which receives the measured
 * value, reports LIMIT_EXCEEDED with `limit`, `max` and `actual` as extensions.
 */
function refuseOver(limit: string, max: number, what: string) {
  return (context: ValidationContext | null, details: { n: number }) => {
    if (details.n > max) {
      (context as ValidationContext).reportError(
        limitError(limit, max, details.n, `query ${what} is ${details.n}, more than the ${max} allowed`),
      );
    }
  };
}

const MEASURE_ONLY = { n: Number.POSITIVE_INFINITY, propagateOnRejection: false } as const;

/** Depth, aliases and directives, checked at validation (cached per document, as they depend on nothing else). */
export function documentLimitsPlugin(limits: Pick<QueryLimits, "depth" | "aliases" | "directives">): Plugin {
  return EnvelopArmorPlugin({
    // Fragments are a way of writing a selection, not a level of it.
    maxDepth: { ...MEASURE_ONLY, flattenFragments: true, onAccept: [refuseOver("depth", limits.depth, "depth")] },
    maxAliases: { ...MEASURE_ONLY, onAccept: [refuseOver("aliases", limits.aliases, "alias count")] },
    maxDirectives: { ...MEASURE_ONLY, onAccept: [refuseOver("directives", limits.directives, "directive count")] },
    // Tokens are counted by graphql's own parser option (below); cost needs the request's
    // variables, so it is estimated at execution (cost.ts), not from the document alone.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    // Introspection is open, so hiding "did you mean" suggestions would hide nothing.
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
}

/** Tokens in `source`, counted without building a tree (and up to a lexing error, if any). */
export function countTokens(source: string): number {
  const lexer = new Lexer(new Source(source));
  let n = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) n++;
  } catch {
    // a lexing error ends the count; the parser reports the error itself
  }
  return n;
}

/**
 * Tokens, checked while parsing: graphql's own `maxTokens` stops the parser early, so a huge
 * document costs no more than the limit; the full count for `actual` comes from the lexer alone,
 * which keeps no tree and recurses nowhere.
 */
export function tokenLimitPlugin(max: number): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      // yoga's own parser, so that its errors are of the graphql copy yoga recognises.
      setParseFn((source, options) => {
        try {
          return parseFn(source, { ...options, maxTokens: max });
        } catch (error) {
          const text = typeof source === "string" ? source : source.body;
          const actual = countTokens(text);
          if (actual > max) {
            throw limitError("tokens", max, actual, `query has ${actual} tokens, more than the ${max} allowed`);
          }
          throw error;
        }
      });
    },
  };
}
