// Values as metrics-server writes them: resource.Quantity's canonical text for CPU (nanocores, DecimalSI:
// "123456n", "5m", "1") and memory (bytes, BinarySI: "1234Ki", "1Mi", plain bytes when not a multiple of
// 1024), and the window as Go's time.Duration prints ("10s", "10.039s", "1m0s", "500ms").

const DECIMAL_SUFFIX: Record<number, string> = {
  [-9]: "n",
  [-6]: "u",
  [-3]: "m",
  0: "",
  3: "k",
  6: "M",
  9: "G",
  12: "T",
  15: "P",
  18: "E",
};
const BINARY_SUFFIX = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

/** Canonical DecimalSI text of value × 10^exponent (value an integer): trailing zeros folded by threes. */
export function decimalQuantity(value: number, exponent: number): string {
  let n = Math.round(value);
  if (n === 0) return "0";
  let e = exponent;
  while (n % 10 === 0) {
    n /= 10;
    e++;
  }
  // Back down to a multiple of three (as upstream's AsCanonicalBytes does).
  const extra = ((e % 3) + 3) % 3;
  n *= 10 ** extra;
  e -= extra;
  if (e > 18) {
    n *= 10 ** (e - 18);
    e = 18;
  }
  return `${n}${DECIMAL_SUFFIX[e]}`;
}

/** CPU from nanocores: NewScaledQuantity(nanocores, -9). */
export const cpuQuantity = (nanoCores: number) => decimalQuantity(nanoCores, -9);

/**
 * Memory from bytes: a BinarySI quantity. Upstream prints values between -1024 and 1024 as DecimalSI, and
 * otherwise the largest power-of-1024 suffix that divides the value exactly.
 */
export function memoryQuantity(bytes: number): string {
  let n = Math.round(bytes);
  if (Math.abs(n) < 1024) return decimalQuantity(n, 0);
  let power = 0;
  while (n % 1024 === 0 && power < BINARY_SUFFIX.length - 1) {
    n /= 1024;
    power++;
  }
  return `${n}${BINARY_SUFFIX[power]}`;
}

/** Go's time.Duration.String for a positive window, to the millisecond. */
export function goDuration(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const rest = (ms % 60_000) / 1000;
  const secs = `${Number(rest.toFixed(3))}s`;
  if (h > 0) return `${h}h${m}m${secs}`;
  if (m > 0) return `${m}m${secs}`;
  return secs;
}
