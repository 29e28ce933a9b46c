/**
 * Beta distribution (MLTK 5.7.4 `beta_distribution.py`): the data min-max normalised to [0, 1] and
 * fitted by `scipy.stats.beta.fit` (four parameters: shapes plus loc/scale, by Nelder-Mead on the
 * penalised likelihood from the moment-matching start), the method of moments if a shape comes out
 * non-positive. Outlier ranges from a density-cut bisection on 1000 points of [0, 1], rescaled to
 * the data; U- and J-shaped ends add zero-area ranges beyond the data.
 */
import { betaCdf, betaln, betaPdf, xlog1py, xlogy } from "../special.js";
import { fmin, fsolve } from "../optimize.js";
import type { RandomState } from "../random.js";
import {
  allCloseToFirst,
  cloneRange,
  consumeFirstChunkSample,
  distanceTo,
  DistributionFitError,
  insideAny,
  int,
  mean,
  minMax,
  np,
  npRoundValue,
  pairwiseSum,
  py,
  rawRanges,
  roundedText,
  SamplingError,
  variance,
  type Bound,
  type DensityModel,
  type Distribution,
  type FitContext,
  type Range,
  type Slot,
  type SlotBoundaries,
} from "./common.js";
import { bisectDensityCut, linspace } from "./kde.js";

const LOG_XMAX = Math.log(Number.MAX_VALUE);

/** scipy's `_skew` and `_kurtosis` (population moments). */
function skewKurtosis(data: Float64Array): [number, number] {
  const mu = mean(data);
  const d2 = new Float64Array(data.length);
  const d3 = new Float64Array(data.length);
  const d4 = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const d = data[i]! - mu;
    d2[i] = d ** 2;
    d3[i] = d ** 3;
    d4[i] = d ** 4;
  }
  const m2 = mean(d2);
  return [mean(d3) / Math.pow(m2, 1.5), mean(d4) / m2 ** 2 - 3];
}

/** rv_continuous._penalized_nnlf for the beta: -log likelihood, 100·log(XMAX) per point outside the support. */
export function betaPenalizedNnlf(theta: readonly number[], x: Float64Array, scratch = new Float64Array(x.length)): number {
  const [a, b, loc, scale] = theta as [number, number, number, number];
  if (!(a > 0 && b > 0) || scale <= 0) return Infinity;
  const n = x.length;
  const nLogScale = n * Math.log(scale);
  // beta._logpdf = xlog1py(b - 1, -y) + xlogy(a - 1, y) - betaln(a, b), with betaln computed once.
  const lb = betaln(a, b);
  let kept = 0;
  let nBad = 0;
  for (let i = 0; i < n; i++) {
    const y = (x[i]! - loc) / scale;
    if (!(0 <= y && y <= 1)) {
      nBad++;
      continue;
    }
    const lp = xlog1py(b - 1, -y) + xlogy(a - 1, y) - lb;
    if (Number.isFinite(lp)) scratch[kept++] = lp;
    else nBad++;
  }
  const sum = pairwiseSum(scratch, 0, kept);
  const nll = nBad > 0 ? -sum + nBad * LOG_XMAX * 100 : -sum;
  return nll + nLogScale;
}

/** scipy.stats.beta.fit(data) with loc and scale free: [a, b, loc, scale]. Throws like scipy's FitError. */
export function betaFit(data: Float64Array): [number, number, number, number] {
  if (!data.every(Number.isFinite)) throw new Error("The data contains non-finite values.");
  // beta._fitstart: shapes whose skewness and kurtosis match the data's (fsolve from (1, 1)).
  const [g1, g2] = skewKurtosis(data);
  const { x: start } = fsolve(([a, b]) => {
    const sk = (2 * (b! - a!) * Math.sqrt(a! + b! + 1)) / (a! + b! + 2) / Math.sqrt(a! * b!);
    let ku = a! ** 3 - a! ** 2 * (2 * b! - 1) + b! ** 2 * (b! + 1) - 2 * a! * b! * (b! + 2);
    ku /= a! * b! * (a! + b! + 2) * (a! + b! + 3);
    ku *= 6;
    return [sk - g1, ku - g2];
  }, [1, 1]);
  const [a0, b0] = start as [number, number];
  // rv_continuous._fit_loc_scale_support: moment estimates unless they do not cover the data.
  const ok = a0 > 0 && b0 > 0;
  const mu = ok ? a0 / (a0 + b0) : NaN;
  const mu2 = ok ? (a0 * b0) / ((a0 + b0) * (a0 + b0) * (a0 + b0 + 1)) : NaN;
  const muhat = mean(data);
  const mu2hat = variance(data);
  let shat = Math.sqrt(mu2hat / mu2);
  let lhat = muhat - shat * mu;
  if (!Number.isFinite(lhat)) lhat = 0;
  if (!(Number.isFinite(shat) && 0 < shat)) shat = 1;
  const [dataA, dataB] = minMax(data);
  if (!(lhat < dataA && dataB < lhat + shat)) {
    const width = dataB - dataA;
    const margin = width * 0.1;
    lhat = dataA - 0 - margin;
    shat = (width + 2 * margin) / 1;
  }
  const scratch = new Float64Array(data.length);
  const { x } = fmin((theta) => betaPenalizedNnlf(theta, data, scratch), [a0, b0, lhat, shat]);
  const [a, b, loc, scale] = x as [number, number, number, number];
  if (!(a > 0 && b > 0 && scale > 0)) throw new Error("Optimization converged to parameters that are outside the range allowed by the distribution.");
  return [a, b, loc, scale];
}

/** The frozen beta(a, b, loc, scale) of a model, on the normalised axis. */
const pdfN = (m: DensityModel, x: number): number => {
  const y = (x - m.mean) / m.std;
  return y < 0 || y > 1 ? 0 : betaPdf(y, m.alpha!, m.beta!) / m.std;
};
const cdfN = (m: DensityModel, x: number): number => betaCdf((x - m.mean) / m.std, m.alpha!, m.beta!);

/** `_find_anomaly_ranges`: the density cut on linspace(0, 1, 1000); J/U-shaped ends add zero-area ranges. */
function betaRanges(m: DensityModel, t: number): Range[] {
  const xs = linspace(0, 1, 1000);
  const densities = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) densities[i] = pdfN(m, xs[i]!);
  const maxIter = m.alpha! < 1 || m.beta! < 1 ? 100 : 1;
  const items = bisectDensityCut(xs, densities, t, (lo, hi) => cdfN(m, hi) - cdfN(m, lo), (i) => !(i > maxIter));
  const ranges: Range[] = items.map(([b, e, a]) => [np(b), np(e), np(a)]);
  if (m.alpha! <= 1) ranges.unshift([py(-Infinity), int(0), int(0)]);
  if (m.beta! <= 1) ranges.push([int(1), py(Infinity), int(0)]);
  return ranges;
}

function betaLower(m: DensityModel, t: number): Range {
  if (!(m.alpha! > 1)) return [py(-Infinity), int(0), int(0)];
  let right = 1.0;
  let prev: number | null = null;
  let prevRight = right;
  let item: [number, number, number] = [0, right, 0];
  for (let i = 0; i < 1000; i++) {
    const a = cdfN(m, right);
    item = [0, right, a];
    const rounded = npRoundValue(a);
    if (rounded === prev) break;
    prev = rounded;
    if (t * 0.999 < a && a < t * 1.001) break;
    else if (a < t * 0.999) right = (right + prevRight) / 2;
    else {
      prevRight = right;
      right = right / 2;
    }
  }
  return [py(item[0]), py(item[1]), np(item[2])];
}

function betaUpper(m: DensityModel, t: number): Range {
  if (!(m.beta! > 1)) return [int(1), py(Infinity), int(0)];
  let left = 0.0;
  let prev: number | null = null;
  let prevLeft = left;
  let item: [number, number, number] = [left, 1, 0];
  for (let i = 0; i < 1000; i++) {
    const a = 1.0 - cdfN(m, left);
    item = [left, 1.0, a];
    const rounded = npRoundValue(a);
    if (rounded === prev) break;
    prev = rounded;
    if (t * 0.999 < a && a < t * 1.001) break;
    else if (a < t * 0.999) left = (left + prevLeft) / 2;
    else {
      prevLeft = left;
      left = (left + 1.0) / 2;
    }
  }
  return [py(item[0]), py(item[1]), np(item[2])];
}

/**
 * `_rescale_anomaly_ranges`, applied (as MLTK does) to every slot found so far each time a slot is
 * added: with several thresholds the earlier slots' printed ranges are rescaled again. Ends within
 * 0.01 of the training min/max become ±Infinity unless both shapes are <= 1.
 */
function rescale(m: DensityModel, all: Range[][]): void {
  const width = m.max - m.min;
  const scaled = (b: Bound): Bound => {
    const value = b.value * width + m.min;
    // int·int64 stays int64 for integer data; anything with a float becomes float64.
    return { value, kind: b.kind === "int" && m.integral ? "int" : "np" };
  };
  for (const ranges of all) {
    for (let k = 0; k < ranges.length; k++) {
      const r = ranges[k]!;
      r[0] = scaled(r[0]);
      r[1] = scaled(r[1]);
      if (!(m.alpha! <= 1 && m.beta! <= 1) && (k === 0 || k === ranges.length - 1)) {
        if (Math.abs(r[0].value - m.min) <= 0.01) r[0] = py(-Infinity);
        if (Math.abs(r[1].value - m.max) <= 0.01) r[1] = py(Infinity);
      }
    }
  }
}

export const beta: Distribution = {
  type: "beta",
  fit(data: Float64Array, ctx: FitContext): DensityModel {
    if (allCloseToFirst(data)) {
      throw new DistributionFitError("Unable to fit a Beta distribution due to numerical errors. All values in the dataset are the same.");
    }
    consumeFirstChunkSample(data.length, ctx.rng);
    const [min, max] = minMax(data);
    const normalized = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) normalized[i] = (data[i]! - min) / (max - min);
    let fitted: [number, number, number, number];
    try {
      fitted = betaFit(normalized);
    } catch {
      throw new DistributionFitError("Unable to fit a Beta distribution due to numerical errors.");
    }
    let [alpha, b] = fitted;
    const [, , loc, scale] = fitted;
    if (alpha <= 0 || b <= 0) {
      // Method of moments with the population variance (always positive shapes).
      const mm = mean(normalized);
      let v = 0;
      for (let i = 0; i < normalized.length; i++) v += (normalized[i]! - mm) ** 2;
      v /= normalized.length;
      const u = (mm * (1 - mm)) / v - 1;
      alpha = mm * u;
      b = (1 - mm) * u;
    }
    const partial: DensityModel = {
      dist: "beta",
      auto: false,
      min,
      max,
      cardinality: data.length,
      integral: ctx.integral,
      mean: loc,
      std: scale,
      metric: ctx.metric,
      distance: NaN,
      alpha,
      beta: b,
    };
    let samples: Float64Array;
    try {
      samples = this.sample(partial, data.length, ctx.rng);
    } catch (e) {
      throw e instanceof SamplingError ? e : new SamplingError("Unable to sample from Beta distribution due to numerical errors.");
    }
    return { ...partial, distance: distanceTo(data, samples, ctx.metric) };
  },
  boundaries(m: DensityModel, slots: readonly Slot[]): SlotBoundaries[] {
    const all: Range[][] = [];
    const flags: Array<(x: number) => boolean> = [];
    for (const slot of slots) {
      let ranges: Range[];
      if (slot.kind === "two") ranges = betaRanges(m, slot.t);
      else if (slot.kind === "lower") ranges = [betaLower(m, slot.l)];
      else if (slot.kind === "upper") ranges = [betaUpper(m, slot.u)];
      else ranges = [betaLower(m, slot.l), betaUpper(m, slot.u)];
      all.push(ranges);
      rescale(m, all);
      // The outlier flags use this slot's ranges right after its (first) rescaling.
      flags.push(insideAny(rawRanges(ranges.map(cloneRange))));
    }
    return slots.map((slot, i) => ({ slot, isOutlier: flags[i]!, text: roundedText(all[i]!), ranges: rawRanges(all[i]!) }));
  },
  pdf(m: DensityModel, x: number): number {
    return pdfN(m, (x - m.min) / (m.max - m.min));
  },
  sample(m: DensityModel, size: number, rng: RandomState): Float64Array {
    const a = m.alpha!;
    const b = m.beta!;
    if (!(a > 0 && b > 0 && m.std > 0)) throw new SamplingError("Unable to sample from Beta distribution due to numerical errors.");
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = (rng.beta(a, b) * m.std + m.mean) * (m.max - m.min) + m.min;
    return out;
  },
};
