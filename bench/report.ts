// Prints the figures as a table for people and one JSON line (prefixed BENCH_JSON) for machines.
import { round } from "./stats.ts";

export interface Row {
  metric: string;
  value: string;
  target?: string;
  /** Whether the target is met; undefined when there is none. */
  met?: boolean;
  note?: string;
}

export const ms = (n: number) => `${round(n, 1)} ms`;
export const perSec = (n: number) => `${Math.round(n).toLocaleString("en-US")}/s`;
export const mib = (bytes: number) => `${round(bytes / 1024 / 1024, 1)} MiB`;
export const us = (n: number) => `${Math.round(n)} µs`;

export function printTable(title: string, rows: Row[]): void {
  const widths = [
    Math.max(6, ...rows.map((r) => r.metric.length)),
    Math.max(5, ...rows.map((r) => r.value.length)),
    Math.max(6, ...rows.map((r) => (r.target ?? "").length + 2)),
  ];
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join("  ");
  console.log(`\n${title}`);
  console.log(line(["metric", "value", "target", "what it is"]));
  console.log(line(widths.map((w) => "-".repeat(w)).concat("-".repeat(10))));
  for (const r of rows) {
    const target = r.target === undefined ? "" : `${r.target} ${r.met ? "✓" : "✗"}`;
    console.log(line([r.metric, r.value, target, r.note ?? ""]));
  }
}

export function printJson(figures: unknown): void {
  console.log(`BENCH_JSON ${JSON.stringify(figures, (_k, v) => (typeof v === "number" ? round(v, 2) : v))}`);
}
