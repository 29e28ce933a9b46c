/**
 * Gaussian KDE (MLTK `kde_distribution.py` over `scipy.stats.gaussian_kde`): Scott's bandwidth
 * (factor n^(-1/5) times the data's weighted sample deviation), data sampled with replacement down
 * to max_kde_parameter_size points. Outlier ranges come from MLTK's density-cut bisection on a grid
 * of 1000 points over [min·0.9, max·1.1]; one-sided thresholds move a single end point.
 */
import { ndtr } from "../special.js";
import type { RandomState } from "../random.js";
import {
  allCloseToFirst,
  distanceTo,
  DistributionFitError,
  insideAny,
  mean,
  minMax,
  np,
  npRoundValue,
  pairwiseSum,
  py,
  rawRanges,
  roundedText,
  variance,
  type DensityModel,
  type Distribution,
  type FitContext,
  type Range,
  type Slot,
  type SlotBoundaries,
} from "./common.js";

/** What scipy's gaussian_kde derives from its data set (1-D, equal weights). */
export interface Kde {
  readonly data: Float64Array;
  readonly weight: number;
  readonly factor: number;
  /** Kernel variance: the weighted data covariance times factor². */
  readonly covariance: number;
  /** sqrt(covariance) (integrate_box_1d) and cholesky(data covariance)·factor (evaluate). */
  readonly stdev: number;
  readonly cho: number;
}

const kdeCache = new WeakMap<object, Kde>();

export function makeKde(points: ArrayLike<number>): Kde {
  const data = Float64Array.from(points);
  const n = data.length;
  const w = 1 / n;
  // neff = 1/sum(w**2) (Python's sum, left to right); Scott's factor neff^(-1/(d+4)).
  let sw2 = 0;
  for (let i = 0; i < n; i++) sw2 += w * w;
  const neff = 1 / sw2;
  const factor = Math.pow(neff, -1 / 5);
  // numpy cov(dataset, bias=False, aweights=w): weighted mean, fact = w_sum - sum(w*w)/w_sum.
  const weights = new Float64Array(n).fill(w);
  const wsum = pairwiseSum(weights);
  const xw = new Float64Array(n);
  for (let i = 0; i < n; i++) xw[i] = data[i]! * w;
  const avg = pairwiseSum(xw) / wsum;
  const ww = new Float64Array(n);
  for (let i = 0; i < n; i++) ww[i] = w * w;
  const fact = wsum - pairwiseSum(ww) / wsum;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i]! - avg;
    c += d * (d * w);
  }
  const dataCov = c * (1 / fact);
  const covariance = dataCov * factor ** 2;
  return { data, weight: w, factor, covariance, stdev: Math.sqrt(covariance), cho: Math.sqrt(dataCov) * factor };
}

function kdeOf(model: DensityModel): Kde {
  let k = kdeCache.get(model);
  if (!k) {
    k = makeKde(model.kdeData ?? []);
    kdeCache.set(model, k);
  }
  return k;
}

/** gaussian_kde.evaluate at one point. */
export function kdePdf(k: Kde, x: number): number {
  const norm = Math.pow(2 * Math.PI, -0.5) / k.cho;
  const xs = x / k.cho;
  let s = 0;
  for (let i = 0; i < k.data.length; i++) {
    const r = k.data[i]! / k.cho - xs;
    s += k.weight * (Math.exp(-(r * r) / 2) * norm);
  }
  return s;
}

/** gaussian_kde.integrate_box_1d(low, high). */
export function kdeIntegrate(k: Kde, low: number, high: number): number {
  const terms = new Float64Array(k.data.length);
  for (let i = 0; i < k.data.length; i++) {
    const xi = k.data[i]!;
    terms[i] = k.weight * (ndtr((high - xi) / k.stdev) - ndtr((low - xi) / k.stdev));
  }
  return pairwiseSum(terms);
}

/** gaussian_kde.resample(size): kernel noise first (multivariate_normal), then the centres (choice with p). */
export function kdeResample(k: Kde, size: number, rng: RandomState): Float64Array {
  const noise = new Float64Array(size);
  const scale = Math.sqrt(k.covariance);
  for (let i = 0; i < size; i++) noise[i] = rng.standardNormal() * scale;
  const idx = rng.choiceWeighted(new Float64Array(k.data.length).fill(k.weight), size);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = k.data[idx[i]!]! + noise[i]!;
  return out;
}

/** numpy linspace(start, stop, num) (endpoint included). */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = (step === 0 ? (i / div) * delta : i * step) + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** Python truthiness of MLTK's `begin` (None and 0.0 are false: a run starting exactly at 0 is not opened there). */
const truthy = (v: number | null): boolean => v !== null && v !== 0;

/**
 * MLTK's `_get_auc`: runs of grid points whose density is below the cut, each with its area up to
 * the midpoint after the run (the open last run up to the last grid point). `area(lo, hi)` integrates.
 */
export function getAuc(xs: Float64Array, densities: Float64Array, cut: number, area: (lo: number, hi: number) => number): Array<[number, number, number]> {
  const items: Array<[number, number, number]> = [];
  let begin: number | null = null;
  const n = xs.length;
  for (let i = 0; i < n; i++) {
    const below = densities[i]! < cut;
    if (below && !truthy(begin)) begin = xs[i]!;
    else if (!below && truthy(begin)) {
      items.push([begin!, xs[i]!, area(begin!, (xs[i - 1]! + xs[i]!) / 2)]);
      begin = null;
    }
  }
  if (truthy(begin)) items.push([begin!, xs[n - 1]!, area(begin!, xs[n - 1]!)]);
  return items;
}

/** Python `sum` of the areas (left to right from the integer 0). */
export const totalArea = (items: ReadonlyArray<readonly [number, number, number]>): number => items.reduce((s, it) => s + it[2], 0);

/** The bisection on the density cut (`_find_anomaly_ranges` of KDE; beta passes its own rules). */
export function bisectDensityCut(
  xs: Float64Array,
  densities: Float64Array,
  threshold: number,
  area: (lo: number, hi: number) => number,
  keepGoing: (iteration: number) => boolean = () => false,
): Array<[number, number, number]> {
  let upper = -Infinity;
  for (let i = 0; i < densities.length; i++) if (densities[i]! > upper || Number.isNaN(densities[i]!)) upper = densities[i]!;
  let lower = 0;
  let prev: number | null = null;
  const lowerLimit = threshold * 0.999;
  const upperLimit = threshold * 1.001;
  let items: Array<[number, number, number]> = [];
  for (let i = 0; i < 1000; i++) {
    const middle = (upper + lower) / 2;
    items = getAuc(xs, densities, middle, area);
    const a = totalArea(items);
    const rounded = npRoundValue(a);
    if (rounded === prev && !keepGoing(i)) break;
    prev = rounded;
    if (lowerLimit < a && a < upperLimit) break;
    else if (a < lowerLimit) lower = middle;
    else upper = middle;
  }
  return items;
}

function kdeRanges(model: DensityModel, k: Kde, threshold: number): Range[] {
  const xs = linspace(model.min * 0.9, model.max * 1.1, 1000);
  const densities = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) densities[i] = kdePdf(k, xs[i]!);
  const items = bisectDensityCut(xs, densities, threshold, (lo, hi) => kdeIntegrate(k, lo, hi));
  const ranges: Range[] = items.map(([b, e, a]) => [np(b), np(e), np(a)]);
  if (ranges.length > 0) {
    if (ranges[0]![0].value <= model.min) ranges[0]![0] = py(-Infinity);
    if (ranges[ranges.length - 1]![1].value >= model.max) ranges[ranges.length - 1]![1] = py(Infinity);
  }
  return ranges;
}

/** `_find_anomaly_ranges_lower`: move the right end of [min·0.9, right] until the area is about t. */
function kdeLower(model: DensityModel, k: Kde, t: number): Range {
  const left = model.min * 0.9;
  let right = model.max * 1.1;
  let prev: number | null = null;
  let prevRight = right;
  let item: [number, number, number] = [left, right, 0];
  for (let i = 0; i < 1000; i++) {
    const a = kdeIntegrate(k, left, right);
    item = [left, right, a];
    const rounded = npRoundValue(a);
    if (rounded === prev) break;
    prev = rounded;
    if (t * 0.999 < a && a < t * 1.001) break;
    else if (a < t * 0.999) right = (right + prevRight) / 2;
    else {
      prevRight = right;
      right = (right + left) / 2;
    }
  }
  return [py(-Infinity), np(item[1]), np(item[2])];
}

/** `_find_anomaly_ranges_upper`: move the left end of [left, max·1.1]. */
function kdeUpper(model: DensityModel, k: Kde, t: number): Range {
  let left = model.min * 0.9;
  const right = model.max * 1.1;
  let prev: number | null = null;
  let prevLeft = left;
  let item: [number, number, number] = [left, right, 0];
  for (let i = 0; i < 1000; i++) {
    const a = kdeIntegrate(k, left, right);
    item = [left, right, a];
    const rounded = npRoundValue(a);
    if (rounded === prev) break;
    prev = rounded;
    if (t * 0.999 < a && a < t * 1.001) break;
    else if (a < t * 0.999) left = (left + prevLeft) / 2;
    else {
      prevLeft = left;
      left = (left + right) / 2;
    }
  }
  return [np(item[0]), py(Infinity), np(item[2])];
}

export const kde: Distribution = {
  type: "gaussian_kde",
  fit(data: Float64Array, ctx: FitContext): DensityModel {
    let points = data;
    if (data.length > ctx.maxKdeParameterSize) {
      const idx = ctx.rng.randint(data.length, ctx.maxKdeParameterSize);
      points = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) points[i] = data[idx[i]!]!;
    }
    if (allCloseToFirst(points)) {
      throw new DistributionFitError("Unable to fit a Gaussian KDE distribution due to numerical errors. All values in the dataset are the same.");
    }
    if (points.length <= 1) throw new DistributionFitError("Unable to fit a Gaussian KDE, too few training data points");
    const [min, max] = minMax(points);
    const partial: DensityModel = {
      dist: "gaussian_kde",
      auto: false,
      min,
      max,
      cardinality: data.length,
      integral: ctx.integral,
      mean: mean(points),
      std: Math.sqrt(variance(points)),
      metric: ctx.metric,
      distance: NaN,
      kdeData: Array.from(points),
    };
    const distance = distanceTo(points, this.sample(partial, points.length, ctx.rng), ctx.metric);
    return { ...partial, distance };
  },
  boundaries(model: DensityModel, slots: readonly Slot[]): SlotBoundaries[] {
    const k = kdeOf(model);
    return slots.map((slot): SlotBoundaries => {
      let ranges: Range[];
      if (slot.kind === "two") ranges = kdeRanges(model, k, slot.t);
      else if (slot.kind === "lower") ranges = [kdeLower(model, k, slot.l)];
      else if (slot.kind === "upper") ranges = [kdeUpper(model, k, slot.u)];
      else ranges = [kdeLower(model, k, slot.l), kdeUpper(model, k, slot.u)];
      const raw = rawRanges(ranges);
      return { slot, isOutlier: insideAny(raw), text: roundedText(ranges), ranges: raw };
    });
  },
  pdf: (model, x) => kdePdf(kdeOf(model), x),
  sample: (model, size, rng) => kdeResample(kdeOf(model), size, rng),
};

/** The summary's bandwidth: `kde.covariance_factor() * std` (population std of the KDE data). */
export function kdeBandwidth(model: DensityModel): number {
  return kdeOf(model).factor * model.std;
}
