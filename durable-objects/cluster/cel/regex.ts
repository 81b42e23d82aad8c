// `matches` on RE2, as cel-go has it: RE2's syntax (Go's regexp, which Kubernetes' CEL uses) and
// matching in time linear in the input, where a JavaScript RegExp can backtrack exponentially
// ("aaaa…!".matches("(a+)+$") would hang the single-threaded cluster object).
import { RE2JS } from "@bufbuild/re2";

const CACHE_LIMIT = 256;
const cache = new Map<string, RE2JS>();

/** The compiled pattern, or the syntax error's text. */
export function compileRegex(pattern: string): RE2JS | string {
  const hit = cache.get(pattern);
  if (hit) return hit;
  try {
    const re = RE2JS.compile(pattern);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, re);
    return re;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** cel-go's matches: true when the pattern matches any part of the string. */
export function re2Matches(text: string, pattern: string): boolean {
  const re = compileRegex(pattern);
  if (typeof re === "string") throw new Error(`invalid regular expression: ${pattern}: ${re}`);
  return re.test(text);
}
