/**
 * DensityFunction fits, boundaries and outlier flags against an independent scipy implementation
 * (fixtures/mltk/make_expectations.py → expectations.json). Tolerances:
 * - norm, expon: parameters, boundaries and densities to 1e-6 relative; BoundaryRanges text and
 *   outlier flags exactly.
 * - gaussian_kde, beta: the bisection tolerance. The density cut can stop on a grid point whose
 *   density ties the cut; a last-bit difference then moves a boundary by one grid step, so each
 *   boundary must be within one grid step and each area within 20% of its threshold (one grid
 *   cell's mass), and a probe may flip only if it lies within a grid step of a boundary.
 * - beta parameters: Nelder-Mead stops at xatol = fatol = 1e-4, so to 1e-3 relative (the
 *   normal-shaped data set has a flat likelihood ridge, b ≈ 1e8, and is compared by boundaries only).
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SEED,
  densityBoundaries,
  distributionName,
  fitDensity,
  outputColumns,
  scoreDensity,
  type DensityModel,
  type DistType,
} from "../../src/mltk/density.js";
import { kdeBandwidth, makeKde } from "../../src/mltk/distributions/kde.js";
import { RandomState } from "../../src/mltk/random.js";
import { closeRel, expectations, num, toThreshold, type ExpDataset, type ExpFit } from "./_expectations.js";

const SEED = expectations.seed;
const datasets = Object.entries(expectations.datasets);

function fitAs(ds: ExpDataset, dist: DistType, metric: "wasserstein" | "kolmogorov_smirnov" = "wasserstein"): DensityModel {
  return fitDensity(Float64Array.from(ds.values.map(num)), { dist, metric, integral: ds.integral }, new RandomState(SEED));
}

const fitted = (dist: DistType): Array<[string, ExpDataset, ExpFit]> =>
  datasets.filter(([, ds]) => !ds.fits[dist]!.error).map(([name, ds]) => [name, ds, ds.fits[dist]!]);

describe.each(["norm", "expon"] as const)("%s fits as scipy does (1e-6)", (dist) => {
  it.each(fitted(dist))("%s: parameters, distance and densities", (_name, ds, exp) => {
    const m = fitAs(ds, dist);
    expect(closeRel(m.mean, num(exp.params.mean!), 1e-6)).toBe(true);
    expect(closeRel(m.std, num(exp.params.std!), 1e-6)).toBe(true);
    expect(m.min).toBe(num(exp.params.min!));
    expect(m.max).toBe(num(exp.params.max!));
    // The random stream is numpy's, so even the sampled distance agrees.
    expect(closeRel(m.distance, num(exp.distance), 1e-9)).toBe(true);
    ds.probes.forEach((p, i) => expect(closeRel(scoreDensity(m, num(p)).density, num(exp.density[i]!), 1e-6)).toBe(true));
  });

  it.each(fitted(dist))("%s: boundaries, BoundaryRanges text and outlier flags for every threshold", (_name, ds, exp) => {
    const m = fitAs(ds, dist);
    for (const t of exp.thresholds) {
      const slots = densityBoundaries(m, toThreshold(t.threshold));
      expect(slots.length).toBe(t.slots.length);
      t.slots.forEach((s, i) => {
        const ours = slots[i]!;
        expect(ours.text).toEqual(s.text);
        s.ranges.forEach((r, k) => r.forEach((v, j) => expect(closeRel(ours.ranges[k]![j]!, num(v), 1e-6)).toBe(true)));
        const outliers = new Set(s.outliers.map(num));
        for (const p of ds.probes.map(num)) expect(ours.isOutlier(p), `${p} with ${JSON.stringify(t.threshold)}`).toBe(outliers.has(p));
      });
    }
  });
});

/** The grid step of the density cut: [min·0.9, max·1.1] for KDE, [min, max] for beta. */
function gridStep(dist: DistType, m: DensityModel): number {
  return dist === "gaussian_kde" ? (m.max * 1.1 - m.min * 0.9) / 999 : (m.max - m.min) / 999;
}

function compareBisection(dist: DistType, ds: ExpDataset, exp: ExpFit, m: DensityModel, steps = 1): void {
  const step = Math.abs(gridStep(dist, m)) * 1.000001 * steps;
  for (const t of exp.thresholds) {
    const slots = densityBoundaries(m, toThreshold(t.threshold));
    const areaOf = (i: number): number => {
      const th = t.threshold;
      return th.kind === "both" ? (i === 0 ? th.l! : th.u!) : th.t![Math.min(i, th.t!.length - 1)]!;
    };
    t.slots.forEach((s, i) => {
      const ours = slots[i]!;
      expect(ours.ranges.length, JSON.stringify(t.threshold)).toBe(s.ranges.length);
      s.ranges.forEach((r, k) => {
        const [lo, hi, area] = r.map(num) as [number, number, number];
        const [olo, ohi, oarea] = ours.ranges[k]!;
        for (const [a, b] of [
          [olo, lo],
          [ohi, hi],
        ] as const) {
          // Beta rescales earlier slots again for every later one (MLTK), stretching their grid step by (max - min) each time.
          const rescales = dist === "beta" ? slots.length - i : 1;
          const tol = step * Math.abs(m.max - m.min) ** (rescales - 1);
          if (Number.isFinite(b)) expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol);
          else expect(a).toBe(b);
        }
        expect(Math.abs(oarea - area)).toBeLessThanOrEqual(0.2 * areaOf(i) + 1e-12);
      });
      const outliers = new Set(s.outliers.map(num));
      const bounds = s.ranges.flatMap((r) => [num(r[0]!), num(r[1]!)]).filter(Number.isFinite);
      const flips: number[] = [];
      for (const p of ds.probes.map(num)) {
        if (ours.isOutlier(p) !== outliers.has(p)) flips.push(p);
      }
      // A flag may differ only next to a boundary (the printed ranges of an earlier beta slot are rescaled
      // again, so there at most two probes, one per boundary, may sit in the moved grid step).
      const nearBoundary = flips.filter((p) => bounds.some((b) => Math.abs(p - b) <= step * 2));
      expect(flips.length - nearBoundary.length, `flags differ at ${flips.join(", ")}`).toBeLessThanOrEqual(dist === "beta" && i < slots.length - 1 ? 2 : 0);
    });
  }
}

describe("gaussian_kde fits as scipy does (Scott's bandwidth, density-cut bisection)", () => {
  it.each(fitted("gaussian_kde"))("%s: parameters, bandwidth, distance and densities", (_name, ds, exp) => {
    const m = fitAs(ds, "gaussian_kde");
    expect(closeRel(m.mean, num(exp.params.mean!), 1e-9)).toBe(true);
    expect(closeRel(m.std, num(exp.params.std!), 1e-9)).toBe(true);
    expect(closeRel(kdeBandwidth(m), num(exp.params.bandwidth!), 1e-9)).toBe(true);
    expect(closeRel(makeKde(m.kdeData!).covariance, num(exp.params.covariance!), 1e-9)).toBe(true);
    expect(m.kdeData!.length).toBe(num(exp.params.size!));
    expect(closeRel(m.distance, num(exp.distance), 1e-9)).toBe(true);
    ds.probes.forEach((p, i) => expect(closeRel(scoreDensity(m, num(p)).density, num(exp.density[i]!), 1e-9)).toBe(true));
  });

  it.each(fitted("gaussian_kde"))("%s: boundaries within the bisection tolerance", (_name, ds, exp) => {
    compareBisection("gaussian_kde", ds, exp, fitAs(ds, "gaussian_kde"));
  });

  it("keeps MLTK's grid quirk: a low-density run starting exactly at 0 opens at the next grid point", () => {
    const ds = expectations.datasets.counts_with_zeros!;
    const m = fitAs(ds, "gaussian_kde");
    const two = densityBoundaries(m, { threshold: [0.01] })[0]!;
    expect(two.text).toEqual(ds.fits.gaussian_kde!.thresholds[0]!.slots[0]!.text);
  });
});

describe("beta fits as scipy does (min-max normalised, beta.fit, density-cut bisection)", () => {
  it.each(fitted("beta").filter(([name]) => name !== "normal"))("%s: parameters to the Nelder-Mead tolerance", (_name, ds, exp) => {
    const m = fitAs(ds, "beta");
    expect(closeRel(m.alpha!, num(exp.params.alpha!), 1e-3)).toBe(true);
    expect(closeRel(m.beta!, num(exp.params.beta!), 1e-3)).toBe(true);
    expect(Math.abs(m.mean - num(exp.params.loc!))).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(num(exp.params.loc!))));
    expect(closeRel(m.std, num(exp.params.scale!), 1e-3)).toBe(true);
    expect(closeRel(m.distance, num(exp.distance), 1e-3)).toBe(true);
  });

  it.each(fitted("beta"))("%s: boundaries within the bisection tolerance", (name, ds, exp) => {
    // The normal-shaped data set's beta sits on a flat ridge (b ≈ 1e8): two grid steps.
    compareBisection("beta", ds, exp, fitAs(ds, "beta"), name === "normal" ? 2 : 1);
  });
});

describe("dist=auto picks the distribution scipy picks (random_state=42)", () => {
  it.each(expectations.auto.map((a) => [`${a.dataset} by ${a.metric}`, a] as const))("%s", (_label, a) => {
    const ds = expectations.datasets[a.dataset]!;
    const m = fitDensity(Float64Array.from(ds.values.map(num)), { metric: a.metric, integral: ds.integral }, new RandomState(SEED));
    expect(m.dist).toBe(a.chosen);
    expect(m.auto).toBe(true);
    expect(distributionName(m)).toMatch(/^Auto: /);
    const chosen = a.candidates.find(([n]) => n === a.chosen)!;
    expect(closeRel(m.distance, num(chosen[1]), a.chosen === "beta" ? 1e-3 : 1e-9)).toBe(true);
  });

  it("constant data: only the normal fits, with std 1e-6", () => {
    const m = fitDensity(new Float64Array(60).fill(7));
    expect(m.dist).toBe("norm");
    expect(m.std).toBe(0.000001);
    expect(distributionName(m)).toBe("Auto: Normal");
  });

  it("exclude_dist removes candidates; excluding every one that fits is MLTK's min() error", () => {
    const ds = expectations.datasets.bimodal!;
    const values = Float64Array.from(ds.values.map(num));
    expect(fitDensity(values, { excludeDist: ["gaussian_kde", "beta"] }).dist).not.toMatch(/gaussian_kde|beta/);
    expect(() => fitDensity(new Float64Array(60).fill(7), { excludeDist: ["norm"] })).toThrow("min() arg is an empty sequence");
  });

  it("the same random_state gives the same model; another seed may not", () => {
    const values = Float64Array.from(expectations.datasets.skewed!.values.map(num));
    const a = fitDensity(values, {}, new RandomState(7));
    const b = fitDensity(values, {}, new RandomState(7));
    expect(b).toEqual(a);
    expect(fitDensity(values).distance).toBe(fitDensity(values, {}, new RandomState(DEFAULT_SEED)).distance);
  });
});

describe("the refusals MLTK words", () => {
  it.each([
    ["expon", "Unable to fit an Exponential distribution due to numerical errors. All values in the dataset are the same."],
    ["gaussian_kde", "Unable to fit a Gaussian KDE distribution due to numerical errors. All values in the dataset are the same."],
    ["beta", "Unable to fit a Beta distribution due to numerical errors. All values in the dataset are the same."],
  ] as const)("%s on constant data", (dist, message) => {
    expect(() => fitDensity(new Float64Array(60).fill(7), { dist })).toThrow(message);
    expect(expectations.datasets.constant!.fits[dist]!.error).toBe(message);
  });

  it("values within 1e-4 of the first count as all the same (numpy allclose)", () => {
    expect(() => fitDensity(Float64Array.from([10000, 10000.5, 10000.9]), { dist: "expon" })).toThrow(/All values in the dataset are the same/);
  });
});

describe("outputs as MLTK names them", () => {
  it("one threshold: IsOutlier(<field>), BoundaryRanges; show_density adds ProbabilityDensity(<field>)", () => {
    expect(outputColumns("count", { threshold: [0.01] })).toEqual(["IsOutlier(count)", "BoundaryRanges"]);
    expect(outputColumns("count", { threshold: [0.01] }, { showDensity: true, fullSample: true, sample: true, showOptions: true })).toEqual([
      "IsOutlier(count)",
      "BoundaryRanges",
      "ProbabilityDensity(count)",
      "FullSampledValue",
      "SampledValue",
      "_Options",
    ]);
  });

  it("several thresholds: _th=<t> forms, with Python's spelling of the number", () => {
    expect(outputColumns("count", { threshold: [0.01, 0.005, 0.00001] }, { sample: true })).toEqual([
      "IsOutlier_th=0.01(count)",
      "IsOutlier_th=0.005(count)",
      "IsOutlier_th=1e-05(count)",
      "BoundaryRanges_th=0.01",
      "BoundaryRanges_th=0.005",
      "BoundaryRanges_th=1e-05",
      "SampledValue_th=0.01",
      "SampledValue_th=0.005",
      "SampledValue_th=1e-05",
    ]);
    expect(outputColumns("count", { lower: [0.01, 0.02] }, { as: "anomaly" })).toEqual(["anomaly_th=0.01", "anomaly_th=0.02", "BoundaryRanges_th=0.01", "BoundaryRanges_th=0.02"]);
  });

  it("as NAME renames only the IsOutlier column", () => {
    expect(outputColumns("count", { threshold: [0.01] }, { as: "outlier", showDensity: true })).toEqual(["outlier", "BoundaryRanges", "ProbabilityDensity(count)"]);
  });

  it("BoundaryRanges spell infinities and keep integer data's minimum an integer", () => {
    const ds = expectations.datasets.counts!;
    const m = fitAs(ds, "expon");
    const [lo, hi] = scoreDensity(m, 0).boundaryRanges[0]!;
    expect(lo).toMatch(/^-Infinity:\d+:0$/);
    expect(hi).toMatch(/^\d+\.\d+:Infinity:0\.01$/);
    expect(scoreDensity(m, 0).isOutlier).toEqual([1]);
  });
});
