/**
 * What the four DensityFunction distributions share: the fitted model, threshold slots, boundary
 * ranges as MLTK builds and prints them, the distance to the data, and MLTK's `allclose` test.
 */
import { npRound4, pyFloat, pyInt, pyRound4, type PyNumber } from "../pyformat.js";
import type { RandomState } from "../random.js";

export type DistType = "norm" | "expon" | "gaussian_kde" | "beta";
export type Metric = "wasserstein" | "kolmogorov_smirnov";

/** MLTK's names of the distributions (summary `type`). */
export const DIST_NAMES: Readonly<Record<DistType, string>> = {
  norm: "Normal",
  expon: "Exponential",
  gaussian_kde: "Gaussian KDE",
  beta: "Beta",
};

/**
 * One fitted distribution (one by-group), as saved in a model file. Field meanings follow MLTK's
 * `ProbabilityDistribution`: `mean`/`std` are the normal's parameters, the exponential's loc/scale,
 * the KDE data's mean and population std, and the beta's loc/scale (of the min-max normalised data).
 */
export interface DensityModel {
  readonly dist: DistType;
  /** Chosen by `dist=auto` (summary type "Auto: <Name>"). */
  readonly auto: boolean;
  /** Training minimum and maximum (for KDE: of the data the KDE keeps). */
  readonly min: number;
  readonly max: number;
  /** Number of training values. */
  readonly cardinality: number;
  /** The training values were integers (pandas int64): min/max print without ".0". */
  readonly integral: boolean;
  readonly mean: number;
  readonly std: number;
  readonly metric: Metric;
  /** Distance between the data and a sample of the fitted distribution. */
  readonly distance: number;
  /** Beta shape parameters. */
  readonly alpha?: number;
  readonly beta?: number;
  /** The points of the Gaussian KDE (the data, or a sample of 10,000 with replacement). */
  readonly kdeData?: readonly number[];
}

/** One threshold setting: MLTK applies each `threshold` value (or lower/upper) as its own slot. */
export type Slot =
  | { readonly kind: "two"; readonly t: number }
  | { readonly kind: "lower"; readonly l: number }
  | { readonly kind: "upper"; readonly u: number }
  | { readonly kind: "both"; readonly l: number; readonly u: number };

/** Which Python type a boundary number has in MLTK (it decides rounding and printing). */
export type PyKind = "np" | "py" | "int";

export interface Bound {
  value: number;
  kind: PyKind;
}
export type Range = [Bound, Bound, Bound];

export const np = (value: number): Bound => ({ value, kind: "np" });
export const py = (value: number): Bound => ({ value, kind: "py" });
export const int = (value: number): Bound => ({ value, kind: "int" });
/** A numpy scalar of the training data's dtype (int64 for integer data). */
export const dataScalar = (value: number, integral: boolean): Bound => ({ value, kind: integral ? "int" : "np" });

export const cloneRange = (r: Range): Range => [{ ...r[0] }, { ...r[1] }, { ...r[2] }];

/** The outlier region of one slot: the test on unrounded boundaries and the BoundaryRanges text. */
export interface SlotBoundaries {
  readonly slot: Slot;
  readonly isOutlier: (x: number) => boolean;
  /** `lo:hi:area` strings, one per range, rounded and printed as MLTK does. */
  readonly text: readonly string[];
  /** The unrounded ranges [lo, hi, area] (what the outlier test uses). */
  readonly ranges: readonly (readonly [number, number, number])[];
}

/** MLTK's `_update_outliers`: outlier iff lo < x < hi for some range (strict on both sides). */
export function insideAny(ranges: readonly (readonly [number, number, number])[]): (x: number) => boolean {
  return (x) => {
    for (const [lo, hi] of ranges) if (lo < x && x < hi) return true;
    return false;
  };
}

/** Python's `round(v, 4)` for the value's type. */
export function round4(b: Bound): Bound {
  if (b.kind === "int" || !Number.isFinite(b.value)) return b;
  const p: PyNumber = { value: b.value, int: false };
  return { value: (b.kind === "py" ? pyRound4(p) : npRound4(p)).value, kind: b.kind };
}

/** `safe_str_infinity` / `str()` of a bound. */
export function boundText(b: Bound): string {
  if (b.value === Infinity) return "Infinity";
  if (b.value === -Infinity) return "-Infinity";
  if (b.kind === "int") return pyInt(b.value);
  return pyFloat(b.value);
}

/** `'{}:{}:{}'.format(...)` of a range whose values were already rounded (or not, as MLTK does for the normal). */
export function rangeText(r: Range): string {
  return `${boundText(r[0])}:${boundText(r[1])}:${boundText(r[2])}`;
}

/** MLTK's generic `_make_boundary_ranges`: every value of every range rounded to 4 decimals. */
export function roundedText(ranges: readonly Range[]): string[] {
  return ranges.map((r) => rangeText([round4(r[0]), round4(r[1]), round4(r[2])]));
}

export const rawRanges = (ranges: readonly Range[]): Array<[number, number, number]> => ranges.map((r) => [r[0].value, r[1].value, r[2].value]);

export class DistributionFitError extends Error {}
export class SamplingError extends Error {}

/** numpy `allclose(data, data[0], rtol=1e-4)` (atol 1e-8): every value within 1e-8 + 1e-4·|data[0]| of the first. */
export function allCloseToFirst(data: Float64Array): boolean {
  const b = data[0]!;
  const tol = 1e-8 + 1e-4 * Math.abs(b);
  for (let i = 0; i < data.length; i++) {
    const a = data[i]!;
    if (!(Math.abs(a - b) <= tol)) {
      if (a === b) continue; // equal infinities
      return false;
    }
  }
  return true;
}

export function minMax(data: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** numpy's pairwise summation (what `mean`/`sum` use), so means agree with scipy's to the last bits. */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[start + i]!;
    return s;
  }
  if (n <= 128) {
    const r = [a[start]!, a[start + 1]!, a[start + 2]!, a[start + 3]!, a[start + 4]!, a[start + 5]!, a[start + 6]!, a[start + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] = r[k]! + a[start + i + k]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

export const mean = (a: ArrayLike<number>): number => pairwiseSum(a) / a.length;

/** Population variance, numpy `var()`: mean of squared deviations from the mean. */
export function variance(a: ArrayLike<number>): number {
  const m = mean(a);
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = (a[i]! - m) * (a[i]! - m);
  return mean(d);
}

function sorted(a: ArrayLike<number>): Float64Array {
  return Float64Array.from(a).sort();
}

/** scipy.stats.wasserstein_distance of two 1-D samples (the area between their empirical CDFs). */
export function wasserstein(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const us = sorted(u);
  const vs = sorted(v);
  const all = new Float64Array(us.length + vs.length);
  all.set(us);
  all.set(vs, us.length);
  all.sort();
  let iu = 0;
  let iv = 0;
  const terms = new Float64Array(Math.max(all.length - 1, 0));
  for (let k = 0; k < all.length - 1; k++) {
    const x = all[k]!;
    while (iu < us.length && us[iu]! <= x) iu++;
    while (iv < vs.length && vs[iv]! <= x) iv++;
    terms[k] = Math.abs(iu / us.length - iv / vs.length) * (all[k + 1]! - x);
  }
  return pairwiseSum(terms);
}

/** The statistic of scipy.stats.ks_2samp (two-sided): the largest gap between the empirical CDFs. */
export function ks2samp(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const as = sorted(a);
  const bs = sorted(b);
  let ia = 0;
  let ib = 0;
  let d = 0;
  const all = new Float64Array(as.length + bs.length);
  all.set(as);
  all.set(bs, as.length);
  all.sort();
  for (let k = 0; k < all.length; k++) {
    const x = all[k]!;
    while (ia < as.length && as[ia]! <= x) ia++;
    while (ib < bs.length && bs[ib]! <= x) ib++;
    const diff = Math.abs(ia / as.length - ib / bs.length);
    if (diff > d) d = diff;
  }
  return d;
}

/** `ProbabilityDistribution._get_distance`: a sample as large as the data, compared by the metric. */
export function distanceTo(data: ArrayLike<number>, samples: ArrayLike<number>, metric: Metric): number {
  return metric === "wasserstein" ? wasserstein(data, samples) : ks2samp(data, samples);
}

/** `sample_first_chunk` keeps a 10,000-point sample (without replacement) of larger data; the draws still move the random stream. */
export const SAMPLE_SIZE = 10000;
export function consumeFirstChunkSample(n: number, rng: RandomState): void {
  if (n > SAMPLE_SIZE) rng.permutation(n);
}

/** Everything a distribution needs to know when it is fitted. */
export interface FitContext {
  readonly metric: Metric;
  readonly rng: RandomState;
  readonly integral: boolean;
  /** mlspl.conf max_kde_parameter_size. */
  readonly maxKdeParameterSize: number;
}

/** The operations of one distribution type. */
export interface Distribution {
  readonly type: DistType;
  fit(data: Float64Array, ctx: FitContext): DensityModel;
  boundaries(model: DensityModel, slots: readonly Slot[]): SlotBoundaries[];
  pdf(model: DensityModel, x: number): number;
  sample(model: DensityModel, size: number, rng: RandomState): Float64Array;
}

/** numpy `round(x, 4)` of a float64 value, as a number. */
export function npRoundValue(x: number): number {
  return round4(np(x)).value;
}
