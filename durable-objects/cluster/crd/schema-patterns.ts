// `pattern` in a CRD schema. Upstream compiles it with Go's RE2, which runs in linear time and refuses
// backreferences and lookarounds; JavaScript's own engine backtracks (`(a+)+$` would hang the object),
// so patterns run on re2js, a port of RE2: the same syntax, the same errors, linear time. Input is
// bounded too, so the work per value has a ceiling whatever the pattern.
import { RE2JS } from "re2js";

const MAX_PATTERN_LENGTH = 4096;
/** Strings longer than this are checked against their first part only. */
const MAX_MATCHED_LENGTH = 64 * 1024;

const cache = new Map<string, RE2JS | null>();

function compile(pattern: string): RE2JS | null {
  if (cache.has(pattern)) return cache.get(pattern)!;
  let re: RE2JS | null = null;
  try {
    if (pattern.length <= MAX_PATTERN_LENGTH) re = RE2JS.compile(pattern);
  } catch {
    re = null;
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** Why a pattern is refused (Go's regexp message), or undefined when it compiles. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be no more than ${MAX_PATTERN_LENGTH} characters`;
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The compiled pattern, searching anywhere in the value as OpenAPI's pattern does; one that does not compile matches nothing. */
export function compiledPattern(pattern: string): { test(value: string): boolean } {
  const re = compile(pattern);
  return {
    test: (value) => re?.test(value.length > MAX_MATCHED_LENGTH ? value.slice(0, MAX_MATCHED_LENGTH) : value) === true,
  };
}
