// Regular expressions from users (DetectionRule `matches`) and from schemas
// (CRD `pattern`): RE2 semantics, as the apiserver's Go regexp, and matching in
// time linear in the input, so no pattern and text can stall the event loop.
// JavaScript's RegExp backtracks (`^(a+)+$` on 53 `a`s and a `!` runs for
// hours) and is not used for them.
import { RE2JS } from "re2js";

export interface Pattern {
  /** The pattern as written. */
  readonly source: string;
  /** Whether the pattern matches some part of `text` (anchor with ^ and $ for all). */
  test(text: string): boolean;
}

export type PatternResult = { ok: true; pattern: Pattern } | { ok: false; reason: string };

/**
 * Compiles an RE2 pattern (no flags; `(?i)` and the like inside it). What RE2
 * refuses (backreferences, lookaround, possessive repeats, repeat counts over
 * 1000, bad syntax) gives RE2's own message as the reason; nothing throws.
 */
export function compilePattern(source: string): PatternResult {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (err) {
    return { ok: false, reason: (err as Error)?.message ?? String(err) };
  }
  return { ok: true, pattern: { source, test: (text) => re.test(text) } };
}
