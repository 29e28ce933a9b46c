/** Loads fixtures/mltk/expectations.json (written by fixtures/mltk/make_expectations.py with scipy). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Threshold } from "../../src/mltk/density.js";

type Num = number | "NaN" | "Infinity" | "-Infinity";

export interface ExpThreshold {
  readonly kind: "two" | "lower" | "upper" | "both";
  readonly t?: number[];
  readonly l?: number;
  readonly u?: number;
}
export interface ExpSlot {
  readonly ranges: Num[][];
  readonly text: string[];
  readonly outliers: Num[];
}
export interface ExpFit {
  readonly error?: string;
  readonly params: Record<string, Num>;
  readonly distance: Num;
  readonly density: Num[];
  readonly thresholds: Array<{ threshold: ExpThreshold; slots: ExpSlot[] }>;
}
export interface ExpDataset {
  readonly values: Num[];
  readonly integral: boolean;
  readonly probes: Num[];
  readonly fits: Record<string, ExpFit>;
}
export interface Expectations {
  readonly scipy: string;
  readonly numpy: string;
  readonly seed: number;
  readonly datasets: Record<string, ExpDataset>;
  readonly auto: Array<{ dataset: string; metric: "wasserstein" | "kolmogorov_smirnov"; candidates: Array<[string, Num]>; chosen: string }>;
  readonly random: Record<string, Num[]>;
}

export const num = (v: Num): number => (v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v === "NaN" ? NaN : v);

export const expectations: Expectations = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../fixtures/mltk/expectations.json", import.meta.url)), "utf8"),
) as Expectations;

export function toThreshold(t: ExpThreshold): Threshold {
  if (t.kind === "two") return { threshold: t.t! };
  if (t.kind === "lower") return { lower: t.t! };
  if (t.kind === "upper") return { upper: t.t! };
  return { lower: [t.l!], upper: [t.u!] };
}

/** |a - b| <= rel·max(|b|, tiny), infinities equal. */
export function closeRel(a: number, b: number, rel: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-300);
}
