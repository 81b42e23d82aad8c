// ResourceLists as quota arithmetic needs them (upstream's quota.Add, Subtract, Mask, LessThanOrEqual):
// exact nano-unit sums, and quantities written back in the canonical form Go's resource.Quantity prints
// (2000 → "2k", 1536Mi stays "1536Mi", 0.5 → "500m"), binary when the values summed were binary.
import { quantityNanos, type ResourceList } from "../registry/pod-resources.ts";

/** A quantity as a sum: nano-units, and whether it prints with binary suffixes (Ki, Mi …). */
export interface Amount {
  nanos: bigint;
  binary: boolean;
}

export type Amounts = Map<string, Amount>;

const NANO = 1_000_000_000n;
const BINARY = ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"] as const;
const DECIMAL = ["E", "P", "T", "G", "M", "k"] as const;

export function amountOf(value: string | number): Amount | undefined {
  const nanos = quantityNanos(value);
  return nanos === undefined ? undefined : { nanos, binary: /i$/.test(String(value)) };
}

/** A whole count (pods, objects) as an Amount. */
export const countOf = (n: number): Amount => ({ nanos: BigInt(n) * NANO, binary: false });

/** resource.Quantity's String(): the largest suffix that keeps the number whole. */
export function formatAmount({ nanos, binary }: Amount): string {
  const sign = nanos < 0n ? "-" : "";
  const n = nanos < 0n ? -nanos : nanos;
  if (n % NANO !== 0n) {
    // Fractions are always decimal: milli, micro or nano units.
    for (const [unit, per] of [
      ["m", 1_000_000n],
      ["u", 1_000n],
      ["n", 1n],
    ] as const)
      if (n % per === 0n) return `${sign}${n / per}${unit}`;
  }
  const whole = n / NANO;
  if (whole === 0n) return "0";
  const suffixes = binary ? BINARY : DECIMAL;
  const base = binary ? 1024n : 1000n;
  for (let i = 0; i < suffixes.length; i++) {
    const size = base ** BigInt(suffixes.length - i);
    if (whole % size === 0n) return `${sign}${whole / size}${suffixes[i]}`;
  }
  return `${sign}${whole}`;
}

export function parseList(list: ResourceList | undefined): Amounts {
  const out: Amounts = new Map();
  for (const [name, value] of Object.entries(list ?? {})) {
    const a = amountOf(value);
    if (a) out.set(name, a);
  }
  return out;
}

export function formatList(amounts: Amounts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...amounts.keys()].sort()) out[name] = formatAmount(amounts.get(name) as Amount);
  return out;
}

/** a + b (or a − b with sign −1), keeping a's format where a has the resource. */
export function addAmounts(a: Amounts, b: Amounts, sign: 1n | -1n = 1n): Amounts {
  const out: Amounts = new Map(a);
  for (const [name, v] of b) {
    const have = out.get(name);
    out.set(name, { nanos: (have?.nanos ?? 0n) + sign * v.nanos, binary: have?.binary ?? v.binary });
  }
  return out;
}

/** Only the named resources. */
export function mask(a: Amounts, names: Iterable<string>): Amounts {
  const out: Amounts = new Map();
  for (const name of names) {
    const v = a.get(name);
    if (v) out.set(name, v);
  }
  return out;
}

/** The resources of `a` above their value in `limit` (a resource `limit` lacks is not limited). */
export function exceeded(a: Amounts, limit: Amounts): string[] {
  return [...a]
    .filter(([name, v]) => {
      const l = limit.get(name);
      return l !== undefined && v.nanos > l.nanos;
    })
    .map(([name]) => name)
    .sort();
}

/** quota's prettyPrint: `name=value` pairs sorted by name, comma-separated. */
export function prettyPrint(a: Amounts): string {
  return [...a.keys()]
    .sort()
    .map((name) => `${name}=${formatAmount(a.get(name) as Amount)}`)
    .join(",");
}
