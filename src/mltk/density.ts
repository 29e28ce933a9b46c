/**
 * MLTK 5.7.4 `DensityFunction` for one group of values: fitting (one distribution or `dist=auto`),
 * outlier boundaries per threshold, and scoring values against them. Pure functions over
 * Float64Array data; the random source is passed in (src/mltk/random.ts: numpy's legacy
 * MT19937 stream, so `random_state=N` reproduces MLTK's choices). See spl_semantics.md §7.
 */
import { beta } from "./distributions/beta.js";
import {
  DIST_NAMES,
  DistributionFitError,
  SamplingError,
  type DensityModel,
  type Distribution,
  type DistType,
  type Metric,
  type Slot,
  type SlotBoundaries,
} from "./distributions/common.js";
import { expon } from "./distributions/expon.js";
import { kde } from "./distributions/kde.js";
import { norm } from "./distributions/norm.js";
import { pyFloat } from "./pyformat.js";
import { RandomState } from "./random.js";

export { DIST_NAMES, DistributionFitError, SamplingError };
export type { DensityModel, DistType, Metric, Slot, SlotBoundaries };

export const DISTRIBUTIONS: Readonly<Record<DistType, Distribution>> = { norm, expon, gaussian_kde: kde, beta };

/** `AutoSelectDistribution.distributions` (5.7.4 order; the first of equal distances wins). */
export const AUTO_CANDIDATES: readonly DistType[] = ["norm", "expon", "gaussian_kde", "beta"];

/** The seed used when a search gives no `random_state` (MLTK then varies from run to run; spelunk stays reproducible). */
export const DEFAULT_SEED = 0;

/**
 * An outlier threshold as MLTK's `OutlierThreshold` holds it: total tail areas (`threshold`), or
 * left/right tail areas. Each list element is its own output slot.
 */
export interface Threshold {
  readonly threshold?: readonly number[];
  readonly lower?: readonly number[];
  readonly upper?: readonly number[];
}

export const DEFAULT_THRESHOLD: Threshold = { threshold: [0.01] };

/** `is_lower_upper()`: a lower or upper threshold decides (the default `threshold` is then ignored). */
export const isLowerUpper = (t: Threshold): boolean => (t.lower !== undefined && t.lower.length > 0) || (t.upper !== undefined && t.upper.length > 0);

/** The slots of a threshold, in MLTK's order (lower and upper together make one slot). */
export function thresholdSlots(t: Threshold): Slot[] {
  if (isLowerUpper(t)) {
    const lower = t.lower ?? [];
    const upper = t.upper ?? [];
    if (lower.length > 0 && upper.length > 0) {
      const n = Math.min(lower.length, upper.length);
      return Array.from({ length: n }, (_, i) => ({ kind: "both" as const, l: lower[i]!, u: upper[i]! }));
    }
    if (lower.length > 0) return lower.map((l) => ({ kind: "lower" as const, l }));
    return upper.map((u) => ({ kind: "upper" as const, u }));
  }
  return (t.threshold ?? DEFAULT_THRESHOLD.threshold!).map((v) => ({ kind: "two" as const, t: v }));
}

/** `is_multiple()`: more than one value in any of the three lists (outputs then carry `_th=<value>`). */
export const isMultiple = (t: Threshold): boolean => (t.threshold?.length ?? 0) > 1 || (t.lower?.length ?? 0) > 1 || (t.upper?.length ?? 0) > 1;

/** `get_multiple_thresholds()`: the values that name the `_th=` columns. */
export function multipleThresholds(t: Threshold): readonly number[] {
  if (t.lower && t.lower.length > 0) return t.lower;
  if (t.upper && t.upper.length > 0) return t.upper;
  return t.threshold ?? [];
}

export interface FitDensityOptions {
  /** `dist`: a distribution or `auto` (default). */
  readonly dist?: DistType | "auto";
  /** `exclude_dist` (only with auto). */
  readonly excludeDist?: readonly DistType[];
  /** `metric` for the distance to the data (default wasserstein). */
  readonly metric?: Metric;
  /** The values are integers (pandas int64): the training minimum prints without ".0". Default: every value is an integer. */
  readonly integral?: boolean;
  /** mlspl.conf `max_kde_parameter_size` (default 10000). */
  readonly maxKdeParameterSize?: number;
}

export const MAX_KDE_PARAMETER_SIZE = 10000;

/**
 * Fit the density of one group's values. `rng` is shared by all groups of one `fit` (MLTK seeds
 * numpy once per fit, and each distribution's sampling moves the stream). Throws
 * DistributionFitError (with MLTK's message) when the requested distribution cannot be fitted.
 */
export function fitDensity(values: Float64Array, options: FitDensityOptions = {}, rng: RandomState = new RandomState(DEFAULT_SEED)): DensityModel {
  if (values.length === 0) throw new DistributionFitError("No valid events; check for null or non-numeric values in numeric fields");
  const ctx = {
    metric: options.metric ?? "wasserstein",
    rng,
    integral: options.integral ?? values.every(Number.isInteger),
    maxKdeParameterSize: options.maxKdeParameterSize ?? MAX_KDE_PARAMETER_SIZE,
  };
  const dist = options.dist ?? "auto";
  if (dist !== "auto") return DISTRIBUTIONS[dist].fit(values, ctx);
  const exclude = new Set(options.excludeDist ?? []);
  let best: DensityModel | undefined;
  for (const type of AUTO_CANDIDATES) {
    if (exclude.has(type)) continue;
    let fitted: DensityModel;
    try {
      fitted = DISTRIBUTIONS[type].fit(values, ctx);
    } catch (e) {
      if (e instanceof DistributionFitError || e instanceof SamplingError) continue;
      throw e;
    }
    // Python's min(key=distance): the first of equal distances wins; NaN never replaces a winner.
    if (best === undefined || fitted.distance < best.distance) best = fitted;
  }
  // MLTK raises Python's ValueError from min() of an empty list here.
  if (best === undefined) throw new DistributionFitError("min() arg is an empty sequence");
  return { ...best, auto: true, cardinality: values.length };
}

/** The boundaries of a model for a threshold, computed once and kept (KDE and beta bisections are costly). */
const boundaryCache = new WeakMap<DensityModel, Map<string, SlotBoundaries[]>>();

export function densityBoundaries(model: DensityModel, threshold: Threshold): SlotBoundaries[] {
  let byThreshold = boundaryCache.get(model);
  if (!byThreshold) {
    byThreshold = new Map();
    boundaryCache.set(model, byThreshold);
  }
  const key = JSON.stringify([threshold.threshold ?? null, threshold.lower ?? null, threshold.upper ?? null]);
  let b = byThreshold.get(key);
  if (!b) {
    b = DISTRIBUTIONS[model.dist].boundaries(model, thresholdSlots(threshold));
    byThreshold.set(key, b);
  }
  return b;
}

export interface DensityScore {
  /** 1 or 0 per threshold slot (MLTK prints 1.0 / 0.0). */
  readonly isOutlier: number[];
  /** Per slot, the BoundaryRanges multivalue (`lo:hi:area` strings). */
  readonly boundaryRanges: (readonly string[])[];
  /** The fitted density at the value (ProbabilityDensity; for beta, of the normalised value). */
  readonly density: number;
}

/** Score one value against a model: outlier flags and boundary ranges per threshold slot, and the density. */
export function scoreDensity(model: DensityModel, value: number, threshold: Threshold = DEFAULT_THRESHOLD): DensityScore {
  const slots = densityBoundaries(model, threshold);
  return {
    isOutlier: slots.map((s) => (s.isOutlier(value) ? 1 : 0)),
    boundaryRanges: slots.map((s) => s.text),
    density: DISTRIBUTIONS[model.dist].pdf(model, value),
  };
}

/** MLTK's summary name of the fitted distribution ("Normal", or "Auto: Normal" under dist=auto). */
export const distributionName = (model: DensityModel): string => (model.auto ? `Auto: ${DIST_NAMES[model.dist]}` : DIST_NAMES[model.dist]);

/** `sample(size)`: draws from the fitted distribution (FullSampledValue). */
export function sampleDensity(model: DensityModel, size: number, rng: RandomState): Float64Array {
  return DISTRIBUTIONS[model.dist].sample(model, size, rng);
}

/**
 * `sample_within_boundaries`: draws restricted to the inlier region of each slot (SampledValue),
 * topping up with 3× the missing count up to 100 times. As in MLTK, a slot without ranges adds its
 * draws twice (so later slots take the previous slot's draws).
 */
export function sampleWithinBoundaries(model: DensityModel, slots: readonly SlotBoundaries[], size: number, rng: RandomState): Float64Array[] {
  const dist = DISTRIBUTIONS[model.dist];
  const out: Float64Array[] = [];
  const samples = dist.sample(model, size, rng);
  for (const slot of slots) {
    const ranges = slotSampleRanges(slot);
    if (ranges.length === 0) out.push(samples);
    const inlier = (x: number): boolean => !ranges.some(([lo, hi]) => (lo === null ? false : x > lo) && (hi === null ? false : x < hi));
    const valid: number[] = [];
    for (const x of samples) if (inlier(x)) valid.push(x);
    for (let loops = 0; valid.length < size && loops < 100; loops++) {
      const more = dist.sample(model, 3 * (samples.length - valid.length), rng);
      for (const x of more) if (inlier(x)) valid.push(x);
    }
    if (valid.length < size) {
      throw new SamplingError(
        "Can not sample from the density function within the boundary ranges. The boundary ranges are too small, likely because the specified thresholds are too large.",
      );
    }
    out.push(Float64Array.from(valid.slice(0, size)));
  }
  return out;
}

/** The ranges `sample_within_boundaries` excludes (the normal passes its tails, with None for a missing side). */
function slotSampleRanges(slot: SlotBoundaries): Array<[number | null, number | null]> {
  return slot.ranges.map(([lo, hi]) => [lo, hi]);
}

export interface ApplyDensityOptions {
  readonly showDensity?: boolean;
  readonly fullSample?: boolean;
  readonly sample?: boolean;
}

export interface GroupApplication {
  /** Per slot, 1/0 per value. */
  readonly isOutlier: Float64Array[];
  /** Per slot, the BoundaryRanges multivalue (the same for every row of the group). */
  readonly boundaryRanges: (readonly string[])[];
  readonly density?: Float64Array;
  readonly fullSample?: Float64Array;
  /** Per slot, SampledValue draws. */
  readonly sampled?: Float64Array[];
}

/**
 * Apply a model to one group's values as `ProbabilityDistribution.apply` does, including the random
 * draws of full_sample/sample in MLTK's order (the beta draws SampledValue before FullSampledValue).
 */
export function applyDensity(model: DensityModel, values: Float64Array, threshold: Threshold, options: ApplyDensityOptions, rng: RandomState): GroupApplication {
  const slots = densityBoundaries(model, threshold);
  const isOutlier = slots.map((s) => {
    const flags = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) flags[i] = s.isOutlier(values[i]!) ? 1 : 0;
    return flags;
  });
  const dist = DISTRIBUTIONS[model.dist];
  let density: Float64Array | undefined;
  if (options.showDensity) {
    density = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) density[i] = dist.pdf(model, values[i]!);
  }
  let fullSample: Float64Array | undefined;
  let sampled: Float64Array[] | undefined;
  if (model.dist === "beta") {
    if (options.sample) sampled = sampleWithinBoundaries(model, slots, values.length, rng);
    if (options.fullSample) fullSample = dist.sample(model, values.length, rng);
  } else {
    if (options.fullSample) fullSample = dist.sample(model, values.length, rng);
    if (options.sample) sampled = sampleWithinBoundaries(model, slots, values.length, rng);
  }
  return {
    isOutlier,
    boundaryRanges: slots.map((s) => s.text),
    ...(density && { density }),
    ...(fullSample && { fullSample }),
    ...(sampled && { sampled }),
  };
}

/** How MLTK names a threshold in `_th=<t>`: Python's str() of the float. */
export const thresholdText = (t: number): string => pyFloat(t);

export interface OutputNameOptions {
  /** `as NAME`: replaces `IsOutlier(<field>)`. */
  readonly as?: string;
  readonly showDensity?: boolean;
  readonly fullSample?: boolean;
  readonly sample?: boolean;
  readonly showOptions?: boolean;
}

/**
 * The output columns in MLTK's order (`_get_df_column_names`): IsOutlier(<field>) (or NAME),
 * BoundaryRanges, ProbabilityDensity(<field>), FullSampledValue, SampledValue, _Options; with several
 * thresholds, `IsOutlier_th=<t>(<field>)`, `NAME_th=<t>`, `BoundaryRanges_th=<t>`, `SampledValue_th=<t>`.
 */
export function outputColumns(field: string, threshold: Threshold, options: OutputNameOptions = {}): string[] {
  const multiple = isMultiple(threshold);
  const ths = multiple ? multipleThresholds(threshold).map(thresholdText) : [];
  const isOutlier = multiple
    ? ths.map((t) => (options.as !== undefined ? `${options.as}_th=${t}` : `IsOutlier_th=${t}(${field})`))
    : [options.as !== undefined ? options.as : `IsOutlier(${field})`];
  const per = (main: string): string[] => (multiple ? ths.map((t) => `${main}_th=${t}`) : [main]);
  const names = [...isOutlier, ...per("BoundaryRanges")];
  if (options.showDensity) names.push(`ProbabilityDensity(${field})`);
  if (options.fullSample) names.push("FullSampledValue");
  if (options.sample) names.push(...per("SampledValue"));
  if (options.showOptions) names.push("_Options");
  return [...new Set(names)];
}
