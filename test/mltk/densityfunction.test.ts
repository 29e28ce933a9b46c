/** fit/apply/summary over columns: groups, limits, warnings and output text as MLTK produces them. */
import { describe, expect, it } from "vitest";
import {
  applyDensityFunction,
  fitDensityFunction,
  MltkError,
  reservoirSample,
  summarizeDensityFunction,
  type ColumnLike,
  type DensityInput,
} from "../../src/mltk/densityfunction.js";
import { DEFAULT_LIMITS, parseDensityFunctionOptions, type DensityFunctionParams } from "../../src/mltk/options.js";
import { RandomState } from "../../src/mltk/random.js";
import type { Value } from "../../src/table/value.js";
import { expectations, num } from "./_expectations.js";

const col = (values: Value[]): ColumnLike => ({ length: values.length, get: (r) => values[r] ?? null });
const params = (o: Record<string, string> = {}, mode: "fit" | "apply" = "fit"): DensityFunctionParams => {
  const r = parseDensityFunctionOptions(o, mode);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const input = (values: Value[], by?: Record<string, Value[]>): DensityInput => ({
  feature: "count",
  values: col(values),
  rows: values.length,
  ...(by && { by: Object.entries(by).map(([name, v]) => ({ name, column: col(v) })) }),
});

const counts = expectations.datasets.counts!.values.map(num);

describe("fit and apply without by", () => {
  it("returns IsOutlier(count) as 1.0/0.0 and BoundaryRanges on every row; nulls stay null", () => {
    const values: Value[] = [...counts, null, "", 500];
    const fit = fitDensityFunction(input(values), { params: params({ dist: "norm" }) });
    expect(fit.warnings).toEqual([]);
    const out = applyDensityFunction(fit.model, input(values), { params: params({ dist: "norm" }), fromFit: true }, fit.rng);
    expect(out.columns.map((c) => c.name)).toEqual(["IsOutlier(count)", "BoundaryRanges"]);
    const [flags, ranges] = out.columns;
    expect(flags!.values.at(-1)).toBe("1.0");
    expect(flags!.values[0]).toBe("0.0");
    expect(flags!.values.at(-2)).toBeNull();
    expect(flags!.values.at(-3)).toBeNull();
    expect(ranges!.values[0]).toEqual([expect.stringMatching(/^-Infinity:-?[\d.]+:0\.005$/), expect.stringMatching(/^-?[\d.]+:Infinity:0\.005$/)]);
  });

  it("apply with a new threshold and show_density; as renames IsOutlier", () => {
    const fit = fitDensityFunction(input(counts), { params: params({ dist: "norm" }) });
    const out = applyDensityFunction(fit.model, input([30, 1000]), { params: params({ threshold: "0.001", show_density: "t" }, "apply"), as: "odd" });
    expect(out.columns.map((c) => c.name)).toEqual(["odd", "BoundaryRanges", "ProbabilityDensity(count)"]);
    expect(out.columns[0]!.values).toEqual(["0.0", "1.0"]);
    expect(out.columns[1]!.values[0]).toEqual([expect.stringMatching(/:0\.0005$/), expect.stringMatching(/:0\.0005$/)]);
    expect(Number(out.columns[2]!.values[0])).toBeGreaterThan(0);
  });

  it("several thresholds give _th= columns", () => {
    const fit = fitDensityFunction(input(counts), { params: params({ dist: "expon", threshold: "0.01,0.005" }) });
    const out = applyDensityFunction(fit.model, input([30]), { params: params({}, "apply") });
    expect(out.columns.map((c) => c.name)).toEqual(["IsOutlier_th=0.01(count)", "IsOutlier_th=0.005(count)", "BoundaryRanges_th=0.01", "BoundaryRanges_th=0.005"]);
  });

  it("a non-numeric value refuses the fit; no values at all is MLTK's 'No valid events'", () => {
    expect(() => fitDensityFunction(input([1, 2, "x"]), { params: params() })).toThrow('Feature "count" is not a numeric type');
    expect(() => fitDensityFunction(input([null, ""]), { params: params() })).toThrow("No valid events; check for null or non-numeric values in numeric fields");
    expect(() => fitDensityFunction({ feature: "count", values: undefined, rows: 2 }, { params: params() })).toThrow('Field "count" not present.');
  });

  it("fewer than 50 values only warn, at fit and again at apply", () => {
    const fit = fitDensityFunction(input(counts.slice(0, 20)), { params: params() });
    expect(fit.warnings).toEqual(["Too few training points in data set will likely result in poor accuracy. Please see model summary."]);
    expect(applyDensityFunction(fit.model, input([1]), { params: params({}, "apply") }).warnings).toEqual(fit.warnings);
  });

  it("lower_threshold on an exponential warns that only the right tail counts", () => {
    const fit = fitDensityFunction(input(counts), { params: params({ dist: "expon", lower_threshold: "0.01" }) });
    expect(fit.warnings).toContain('Exponential Distribution type can have an outlier region only at the right tail. Ignoring "lower_threshold" value for Exponential distribution.');
  });

  it("apply ignores dist and metric with MLTK's warning", () => {
    const fit = fitDensityFunction(input(counts), { params: params({ dist: "norm" }) });
    const out = applyDensityFunction(fit.model, input([1]), { params: params({ dist: "expon", metric: "kolmogorov_smirnov" }, "apply") });
    expect(out.warnings).toEqual([
      'Invalid parameter for apply: Discarding "dist" value. Using dist=norm.',
      'Invalid parameter for apply: Discarding "metric" value. Using metric=wasserstein.',
    ]);
  });
});

describe("by-groups", () => {
  const hours = counts.map((_, i) => String(i % 3).padStart(2, "0"));
  const days = counts.map((_, i) => (i % 2 ? "Monday" : "Sunday"));

  it("one model per group, in sorted order, keys joined with _ and integer-looking values as integers", () => {
    const fit = fitDensityFunction(input(counts, { HourOfDay: hours, DayOfWeek: days }), { params: params({ dist: "norm" }) });
    expect(fit.model.groups.map((g) => g.key)).toEqual(["0_Monday", "0_Sunday", "1_Monday", "1_Sunday", "2_Monday", "2_Sunday"]);
    expect(fit.model.groups[0]!.fields).toEqual([
      ["HourOfDay", 0],
      ["DayOfWeek", "Monday"],
    ]);
    expect(fit.warnings).toEqual(["Too few training points in some groups will likely result in poor accuracy for those groups. Please see model summary to inspect such groups."]);
    const out = applyDensityFunction(fit.model, input([30, 30], { HourOfDay: ["1", "7"], DayOfWeek: ["Monday", "Monday"] }), { params: params({}, "apply") });
    expect(out.columns[0]!.values).toEqual(["0.0", null]);
    expect(out.warnings).toContain("Some of the data groups do not have a distribution in the model");
  });

  it("limits: max_groups, by-field count, summary-name conflicts, float by-fields", () => {
    const many = counts.map((_, i) => `g${i}`);
    expect(() => fitDensityFunction(input(counts, { g: many }), { params: params(), limits: { ...DEFAULT_LIMITS, maxGroups: 100 } })).toThrow(
      "The number of groups can not exceed 100; the current number of groups is 120. Please find detailed information about the number of groups in docs.",
    );
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, days]));
    expect(() => fitDensityFunction(input(counts, nine), { params: params() })).toThrow("The number of fields in the by clause cannot exceed 8");
    expect(() => fitDensityFunction(input(counts, { type: days }), { params: params(), into: "m" })).toThrow(
      'The field "type" conflicts with summary field names "type, min, max, mean, std, cardinality, distance, other". Please rename "type".',
    );
    expect(() => fitDensityFunction(input(counts, { ratio: counts.map((c) => c / 7) }), { params: params() })).toThrow(
      "This operation allows only string, boolean, and integer values while field ratio is none of these types.",
    );
  });

  it("summary: by-fields, then type, min, max, mean, std, cardinality, distance, other", () => {
    const fit = fitDensityFunction(input(counts, { DayOfWeek: days }), { params: params({ dist: "gaussian_kde", random_state: "1" }) });
    const s = summarizeDensityFunction(fit.model);
    expect(s.columns).toEqual(["DayOfWeek", "type", "min", "max", "mean", "std", "cardinality", "distance", "other"]);
    expect(s.rows[0]).toMatchObject({ DayOfWeek: "Monday", type: "Gaussian KDE", cardinality: "60" });
    expect(s.rows[0]!.min).toMatch(/^\d+$/);
    expect(s.rows[0]!.distance).toMatch(/^metric: wasserstein, distance: \d/);
    expect(s.rows[0]!.other).toMatch(/^bandwidth: [\d.]+, parameter size: 60$/);
    const auto = summarizeDensityFunction(fitDensityFunction(input(counts), { params: params() }).model);
    expect(auto.rows[0]!.type).toMatch(/^Auto: /);
  });
});

describe("max_inputs", () => {
  it("more rows than max_inputs: a warning, and the fit uses (and returns) a sample", () => {
    const fit = fitDensityFunction(input(counts), { params: params(), limits: { ...DEFAULT_LIMITS, maxInputs: 100 } });
    expect(fit.warnings[0]).toBe("Input event count exceeds max_inputs for DensityFunction (100), model will be fit on a sample of events.");
    expect(fit.rows).toHaveLength(100);
    expect(fit.model.groups[0]!.model.cardinality).toBe(100);
  });
  it("reservoir sampling keeps k rows in input order, reproducibly", () => {
    const a = reservoirSample(1000, 10, new RandomState(3));
    expect(a).toHaveLength(10);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(reservoirSample(1000, 10, new RandomState(3))).toEqual(a);
  });
});

describe("sample, full_sample and show_options", () => {
  it("SampledValue draws stay inside the inlier region; _Options echoes named options as JSON", () => {
    const p = params({ dist: "norm", sample: "true", full_sample: "true", show_options: "feature_variables,params" });
    const fit = fitDensityFunction(input(counts), { params: p });
    const out = applyDensityFunction(fit.model, input(counts), { params: p, fromFit: true }, fit.rng);
    expect(out.columns.map((c) => c.name)).toEqual(["IsOutlier(count)", "BoundaryRanges", "FullSampledValue", "SampledValue", "_Options"]);
    const [lo, hi] = (out.columns[1]!.values[0] as string[]).map((r) => Number(r.split(":")[r.startsWith("-") ? 1 : 0]));
    for (const v of out.columns[3]!.values) expect(Number(v) >= lo! && Number(v) <= hi!).toBe(true);
    expect(out.columns[4]!.values[0]).toBe(
      '{"feature_variables": ["count"], "params": {"dist": "norm", "sample": "true", "full_sample": "true", "show_options": "feature_variables,params"}}',
    );
  });
});

it("errors are MltkError (the command reports them as MLTK would)", () => {
  expect(() => fitDensityFunction(input([1, 2, "x"]), { params: params() })).toThrow(MltkError);
});
