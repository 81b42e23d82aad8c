// `pattern` in a CRD schema. Upstream compiles it with Go's RE2, which runs in linear time and refuses
// backreferences and lookarounds; JavaScript's own engine backtracks (`(a+)+$` would hang the object),
// so patterns run on the RE2 port CEL's `matches` uses (cel/regex.ts): the same syntax, the same errors,
// linear time. Input is bounded too, so the work per value has a ceiling whatever the pattern.
import { compileRegex } from "../cel/regex.ts";

const MAX_PATTERN_LENGTH = 4096;
/** Strings longer than this are checked against their first part only. */
const MAX_MATCHED_LENGTH = 64 * 1024;

/** Why a pattern is refused (Go's regexp message), or undefined when it compiles. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be no more than ${MAX_PATTERN_LENGTH} characters`;
  const re = compileRegex(pattern);
  return typeof re === "string" ? re : undefined;
}

/** The compiled pattern, searching anywhere in the value as OpenAPI's pattern does; one that does not compile matches nothing. */
export function compiledPattern(pattern: string): { test(value: string): boolean } {
  const re = pattern.length > MAX_PATTERN_LENGTH ? "too long" : compileRegex(pattern);
  return {
    test: (value) =>
      typeof re !== "string" && re.test(value.length > MAX_MATCHED_LENGTH ? value.slice(0, MAX_MATCHED_LENGTH) : value),
  };
}
