// Kubernetes' CEL libraries beyond the standard ones the engine has (k8s.io/apiserver/pkg/cel/library):
// the lists library (isSorted, sum, min, max, indexOf, lastIndexOf) and the cel-go string extensions
// Kubernetes enables that the engine lacks (charAt, replace, reverse). Elements compare as CEL
// scalars (ints, doubles, strings, bools); indexOf finds scalars only.
import type { Environment } from "@marcbachmann/cel-js";

type Scalar = bigint | number | string | boolean;

/** min and max: BigInts and strings do not go through Math.min/max. */
function extreme(list: Scalar[], name: string, wins: (candidate: Scalar, best: Scalar) => boolean): Scalar {
  if (list.length === 0) throw new Error(`${name}(list) argument must not be empty`);
  return list.reduce((best, v) => (wins(v, best) ? v : best));
}

export function registerLibrary(env: Environment): void {
  env.registerFunction("list.isSorted(): bool", (l: Scalar[]) => l.every((v, i) => i === 0 || l[i - 1] <= v));
  env.registerFunction("list.sum(): dyn", (l: Scalar[]) =>
    l.length === 0 ? 0n : l.reduce((a, b) => (a as bigint) + (b as bigint)),
  );
  env.registerFunction("list.min(): dyn", (l: Scalar[]) => extreme(l, "min", (v, best) => v < best));
  env.registerFunction("list.max(): dyn", (l: Scalar[]) => extreme(l, "max", (v, best) => v > best));
  env.registerFunction("list.indexOf(dyn): int", (l: Scalar[], x: Scalar) => BigInt(l.indexOf(x)));
  env.registerFunction("list.lastIndexOf(dyn): int", (l: Scalar[], x: Scalar) => BigInt(l.lastIndexOf(x)));
  env.registerFunction("string.charAt(int): string", (s: string, i: bigint) => {
    if (i < 0n || i > BigInt(s.length)) throw new Error(`index out of range: ${i}`);
    return s.charAt(Number(i));
  });
  env.registerFunction("string.replace(string, string): string", (s: string, a: string, b: string) =>
    s.split(a).join(b),
  );
  env.registerFunction("string.replace(string, string, int): string", (s: string, a: string, b: string, n: bigint) => {
    if (n < 0n) return s.split(a).join(b);
    const parts = s.split(a);
    const keep = Number(n);
    return parts.slice(0, keep + 1).join(b) + (parts.length > keep + 1 ? a + parts.slice(keep + 1).join(a) : "");
  });
  env.registerFunction("string.reverse(): string", (s: string) => [...s].reverse().join(""));
}
