/** fit/apply parameters are read and refused as MLTK 5.7.4 does, in its words. */
import { describe, expect, it } from "vitest";
import { fitThreshold, parseDensityFunctionOptions, type DensityFunctionParams } from "../../src/mltk/options.js";

const fit = (o: Record<string, string>) => parseDensityFunctionOptions(o, "fit");
const ok = (o: Record<string, string>, mode: "fit" | "apply" = "fit"): DensityFunctionParams => {
  const r = parseDensityFunctionOptions(o, mode);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const error = (o: Record<string, string>, mode: "fit" | "apply" = "fit"): string => {
  const r = parseDensityFunctionOptions(o, mode);
  if (r.ok) throw new Error("expected an error");
  return r.error;
};

describe("defaults", () => {
  it("dist=auto, metric=wasserstein, threshold 0.01 (mlspl.conf default_prob_threshold)", () => {
    const p = ok({});
    expect(p.dist).toBe("auto");
    expect(p.metric).toBe("wasserstein");
    expect(p.thresholdGiven).toBe(false);
    expect(fitThreshold(p)).toEqual({ threshold: [0.01] });
    expect([p.showDensity, p.sample, p.fullSample]).toEqual([false, false, false]);
  });
});

describe("thresholds", () => {
  it("one value, a quoted comma list, lower and upper", () => {
    expect(ok({ threshold: "0.01" }).threshold).toEqual({ threshold: [0.01] });
    expect(ok({ threshold: '"0.01,0.005"' }).threshold).toEqual({ threshold: [0.01, 0.005] });
    expect(ok({ threshold: "0.01,0.005" }).threshold).toEqual({ threshold: [0.01, 0.005] });
    expect(ok({ lower_threshold: "0.01", upper_threshold: "0.02" }).threshold).toEqual({ lower: [0.01], upper: [0.02] });
  });
  it.each([
    [{ threshold: "0.01", lower_threshold: "0.01" }, 'Thresholds are ambiguous: "threshold", and "lower_threshold"/"upper_threshold" can not be specified together.'],
    [{ threshold: "2" }, 'Parameter "threshold" must be between 0.000000001 and 1'],
    [{ upper_threshold: "0" }, 'Parameter "upper_threshold" must be between 0.000000001 and 1'],
    [{ lower_threshold: "0.6", upper_threshold: "0.5" }, 'The sum of "lower_threshold" and "upper_threshold" can not be larger than 1'],
    [{ lower_threshold: "0.1,0.2", upper_threshold: "0.1" }, 'With multiple thresholds, only one of "lower_threshold", "upper_threshold", or "threshold" can be specified.'],
    [{ threshold: "0.1,0.2,0.3,0.4,0.5,0.6" }, "The maximum number of allowed thresholds are 5. Found 6 thresholds."],
    [{ threshold: "low" }, 'Invalid value for threshold: must have one or multiple float values e.g. threshold="0.01,0.02,0.03".'],
  ])("%j is refused", (o, message) => expect(error(o)).toBe(message));
});

describe("dist, exclude_dist, metric", () => {
  it.each([
    [{ dist: "normal" }, 'Invalid value error: dist must be one of "auto", "norm", "expon", "gaussian_kde", "beta", but found dist="normal".'],
    [{ exclude_dist: "norm", dist: "norm" }, "The exclude_dist parameter can only be used when dist=auto. Update your SPL search parameters and run the search again."],
    [{ exclude_dist: "gauss" }, 'Invalid value error: exclude_dist must be one or more of "norm", "expon", "gaussian_kde", "beta", but found "gauss" in exclude_dist.'],
    [
      { exclude_dist: "beta,norm,expon,gaussian_kde" },
      "You cannot exclude all of the distribution types when using the exclude_dist parameter. Update your SPL search parameters to include at least one distribution type and run the search again.",
    ],
    [{ metric: "ks" }, 'Invalid value error: metric must be one of "kolmogorov_smirnov", "wasserstein", but found metric="ks".'],
    [{ show_density: "maybe" }, "Invalid value for show_density: must be a boolean"],
    [{ random_state: "4.2" }, "Invalid value for random_state: must be an int"],
    [{ random_state: "-1" }, "Seed must be between 0 and 2**32 - 1"],
    [{ regul: "2" }, "Invalid value error: regul must be a float between 0 and 1, but found regul=2.0."],
    [{ bandwidth: "2" }, "Unexpected parameter: bandwidth"],
    [{ partial_fit: "true" }, "partial_fit is not supported by spelunk: fit the model on all the data at once"],
  ])("%j is refused", (o, message) => expect(error(o)).toBe(message));

  it("exclude_dist takes a comma list with spaces", () => {
    expect(ok({ exclude_dist: "beta, gaussian_kde" }).excludeDist).toEqual(["beta", "gaussian_kde"]);
  });

  it("booleans in MLTK's spellings; random_state as an int", () => {
    expect(ok({ show_density: "Yes", sample: "f", full_sample: "enabled", random_state: "42" })).toMatchObject({
      showDensity: true,
      sample: false,
      fullSample: true,
      randomState: 42,
    });
  });

  it("tree options without supervise_split_by only warn", () => {
    expect(ok({ max_depth: "3" }).warnings).toEqual(["Ignoring any options in (max_depth, max_leaf_nodes, min_samples_leaf, regul) when supervise_split_by=false or omitted."]);
  });
});

describe("apply", () => {
  it("reads thresholds and output switches; dist and metric are not checked (the model's are used)", () => {
    const p = ok({ threshold: "0.001", show_density: "true", dist: "whatever" }, "apply");
    expect(p.threshold).toEqual({ threshold: [0.001] });
    expect(p.showDensity).toBe(true);
    expect(p.distGiven).toBe(true);
  });
  it("partial_fit is not an apply parameter", () => {
    expect(error({ partial_fit: "true" }, "apply")).toBe("Unexpected parameter: partial_fit");
    expect(fit({ partial_fit: "false" }).ok).toBe(true);
  });
});
