/**
 * Normal distribution (MLTK `normal_distribution.py`): maximum-likelihood fit (`scipy.stats.norm.fit`:
 * the mean and the population standard deviation), a zero deviation replaced by 1e-6; outliers are
 * the two tails of area t/2 each (`norm.ppf`), or one tail of area lower/upper.
 */
import { ndtri } from "../special.js";
import type { RandomState } from "../random.js";
import {
  consumeFirstChunkSample,
  distanceTo,
  mean,
  minMax,
  np,
  py,
  rangeText,
  round4,
  type DensityModel,
  type Distribution,
  type FitContext,
  type Range,
  type Slot,
  type SlotBoundaries,
} from "./common.js";

/** `ProbabilityDistribution.REPLACE_ZERO_STD`. */
export const REPLACE_ZERO_STD = 0.000001;

/** scipy.stats.norm.fit: loc = mean, scale = sqrt(mean((x - loc)^2)). */
export function normFit(data: Float64Array): { loc: number; scale: number } {
  const loc = mean(data);
  const d = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) d[i] = (data[i]! - loc) ** 2;
  return { loc, scale: Math.sqrt(mean(d)) };
}

export const normPpf = (q: number, loc: number, scale: number): number => ndtri(q) * scale + loc;

export function normPdf(x: number, loc: number, scale: number): number {
  const z = (x - loc) / scale;
  return Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI) / scale;
}

export const norm: Distribution = {
  type: "norm",
  fit(data: Float64Array, ctx: FitContext): DensityModel {
    consumeFirstChunkSample(data.length, ctx.rng);
    const [min, max] = minMax(data);
    const { loc, scale } = normFit(data);
    const std = scale === 0 ? REPLACE_ZERO_STD : scale;
    const partial = { dist: "norm" as const, auto: false, min, max, cardinality: data.length, integral: ctx.integral, mean: loc, std, metric: ctx.metric, distance: NaN };
    const distance = distanceTo(data, this.sample(partial, data.length, ctx.rng), ctx.metric);
    return { ...partial, distance };
  },
  boundaries(model: DensityModel, slots: readonly Slot[]): SlotBoundaries[] {
    const { mean: loc, std: scale } = model;
    return slots.map((slot): SlotBoundaries => {
      // NormalDistribution._make_boundary_ranges rounds the boundaries (numpy floats) but not the areas.
      const lowerRange = (lower: number, area: number): Range => [py(-Infinity), round4(np(lower)), py(area)];
      const upperRange = (upper: number, area: number): Range => [round4(np(upper)), py(Infinity), py(area)];
      switch (slot.kind) {
        case "two": {
          const lower = normPpf(slot.t / 2, loc, scale);
          const upper = normPpf(1 - slot.t / 2, loc, scale);
          const ranges = [lowerRange(lower, slot.t / 2), upperRange(upper, slot.t / 2)];
          return { slot, isOutlier: (x) => x < lower || x > upper, text: ranges.map(rangeText), ranges: [[-Infinity, lower, slot.t / 2], [upper, Infinity, slot.t / 2]] };
        }
        case "lower": {
          const lower = normPpf(slot.l, loc, scale);
          return { slot, isOutlier: (x) => x < lower, text: [rangeText(lowerRange(lower, slot.l))], ranges: [[-Infinity, lower, slot.l]] };
        }
        case "upper": {
          const upper = normPpf(1 - slot.u, loc, scale);
          return { slot, isOutlier: (x) => x > upper, text: [rangeText(upperRange(upper, slot.u))], ranges: [[upper, Infinity, slot.u]] };
        }
        case "both": {
          const lower = normPpf(slot.l, loc, scale);
          const upper = normPpf(1 - slot.u, loc, scale);
          const ranges = [lowerRange(lower, slot.l), upperRange(upper, slot.u)];
          return { slot, isOutlier: (x) => x < lower || x > upper, text: ranges.map(rangeText), ranges: [[-Infinity, lower, slot.l], [upper, Infinity, slot.u]] };
        }
      }
    });
  },
  pdf: (model, x) => normPdf(x, model.mean, model.std),
  sample(model: DensityModel, size: number, rng: RandomState): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = rng.standardNormal() * model.std + model.mean;
    return out;
  },
};
