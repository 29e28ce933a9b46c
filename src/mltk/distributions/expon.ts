/**
 * Exponential distribution (MLTK 5.7.4 `exponential_distribution.py`): `scipy.stats.expon.fit`
 * (loc = min, scale = mean - min), refused when all values are about equal; the whole threshold
 * is the right tail `[ppf(1 - t), Infinity]`, and values below the training minimum are outliers
 * too (`[-Infinity, min, 0]`). A lower threshold alone keeps only the minimum range.
 */
import type { RandomState } from "../random.js";
import {
  allCloseToFirst,
  consumeFirstChunkSample,
  dataScalar,
  distanceTo,
  DistributionFitError,
  insideAny,
  int,
  mean,
  minMax,
  np,
  py,
  rawRanges,
  roundedText,
  type DensityModel,
  type Distribution,
  type FitContext,
  type Range,
  type Slot,
  type SlotBoundaries,
} from "./common.js";

/** scipy expon.ppf: -log1p(-q)·scale + loc. */
export const exponPpf = (q: number, loc: number, scale: number): number => -Math.log1p(-q) * scale + loc;

export function exponPdf(x: number, loc: number, scale: number): number {
  const z = (x - loc) / scale;
  return z < 0 ? 0 : Math.exp(-z) / scale;
}

export const expon: Distribution = {
  type: "expon",
  fit(data: Float64Array, ctx: FitContext): DensityModel {
    if (allCloseToFirst(data)) {
      throw new DistributionFitError("Unable to fit an Exponential distribution due to numerical errors. All values in the dataset are the same.");
    }
    consumeFirstChunkSample(data.length, ctx.rng);
    const [min, max] = minMax(data);
    const loc = min;
    const scale = mean(data) - loc;
    const partial = { dist: "expon" as const, auto: false, min, max, cardinality: data.length, integral: ctx.integral, mean: loc, std: scale, metric: ctx.metric, distance: NaN };
    const distance = distanceTo(data, this.sample(partial, data.length, ctx.rng), ctx.metric);
    return { ...partial, distance };
  },
  boundaries(model: DensityModel, slots: readonly Slot[]): SlotBoundaries[] {
    const minRange = (): Range => [py(-Infinity), dataScalar(model.min, model.integral), int(0)];
    const tail = (t: number): Range => [np(exponPpf(1 - t, model.mean, model.std)), py(Infinity), py(t)];
    return slots.map((slot): SlotBoundaries => {
      let ranges: Range[];
      if (slot.kind === "two") ranges = [minRange(), tail(slot.t)];
      else if (slot.kind === "both") ranges = [minRange(), tail(slot.u)];
      else if (slot.kind === "upper") ranges = [tail(slot.u)];
      else ranges = [minRange()];
      const raw = rawRanges(ranges);
      return { slot, isOutlier: insideAny(raw), text: roundedText(ranges), ranges: raw };
    });
  },
  pdf: (model, x) => exponPdf(x, model.mean, model.std),
  sample(model: DensityModel, size: number, rng: RandomState): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = rng.standardExponential() * model.std + model.mean;
    return out;
  },
};
