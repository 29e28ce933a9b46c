/**
 * The `fit DensityFunction ...` / `apply <model> ...` parameters, read and checked as MLTK 5.7.4
 * does (`param_util.convert_params`, `DensityFunction.__init__`, `OutlierThreshold`), with MLTK's
 * error messages. The input is the option map the fit/apply parsers build (values as written).
 */
import type { DistType, Metric } from "./distributions/common.js";
import { type Threshold } from "./density.js";
import { parsePyFloat, parsePyInt, pyFloat } from "./pyformat.js";
import { MAX_SEED } from "./random.js";

/** mlspl.conf `[DensityFunction]` and `[default]` limits of MLTK 5.7.4 (spl_semantics.md §7.2). */
export interface DensityFunctionLimits {
  readonly defaultProbThreshold: number;
  readonly maxFieldsInByClause: number;
  readonly maxGroups: number;
  readonly maxKdeParameterSize: number;
  readonly maxThresholdNum: number;
  readonly minDataSizeToFit: number;
  readonly maxInputs: number;
  readonly useSampling: boolean;
}

export const DEFAULT_LIMITS: DensityFunctionLimits = {
  defaultProbThreshold: 0.01,
  maxFieldsInByClause: 8,
  maxGroups: 5000,
  maxKdeParameterSize: 10000,
  maxThresholdNum: 5,
  minDataSizeToFit: 50,
  maxInputs: 100000,
  useSampling: true,
};

/** OutlierThreshold.MIN/MAX_ACCEPTABLE_THRESHOLD. */
export const MIN_THRESHOLD = 0.000000001;
export const MAX_THRESHOLD = 1;

export const DIST_VALUES: readonly (DistType | "auto")[] = ["auto", "norm", "expon", "gaussian_kde", "beta"];
export const EXCLUDE_VALUES: readonly DistType[] = ["norm", "expon", "gaussian_kde", "beta"];
export const METRIC_VALUES: readonly Metric[] = ["kolmogorov_smirnov", "wasserstein"];

/** The parameters DensityFunction accepts (5.7.4 `convert_params` call), by type. */
const STRS = ["dist", "metric", "show_options", "exclude_dist"];
const BOOLS = ["show_density", "full_sample", "sample", "supervise_split_by"];
const FLOATS = ["regul"];
const MULTI_FLOATS = ["threshold", "lower_threshold", "upper_threshold"];
const INTS = ["random_state", "max_depth", "max_leaf_nodes", "min_samples_leaf"];
/** Options of the fit command itself (FitBatchProcessor), not of the algorithm. */
const FIT_COMMAND_OPTIONS = ["partial_fit"];
/** DecisionTree options that only matter with supervise_split_by=true. */
const TREE_OPTIONS = ["max_depth", "max_leaf_nodes", "min_samples_leaf", "regul"];

export interface DensityFunctionParams {
  /** `dist` (default auto); `distGiven` tells whether it was written. */
  readonly dist: DistType | "auto";
  readonly distGiven: boolean;
  readonly metric: Metric;
  readonly metricGiven: boolean;
  readonly excludeDist?: readonly DistType[];
  /** The thresholds written in this search (none: the default at fit, the model's at apply). */
  readonly threshold: Threshold;
  readonly thresholdGiven: boolean;
  readonly showDensity: boolean;
  readonly fullSample: boolean;
  readonly sample: boolean;
  /** `show_options` as written: the comma list of option names echoed in `_Options`. */
  readonly showOptions?: string;
  readonly randomState?: number;
  /** The parameters as written, in order (for show_options and the saved model). */
  readonly raw: Readonly<Record<string, string>>;
  /** Warnings MLTK prints for these options (e.g. tree options without supervise_split_by). */
  readonly warnings: readonly string[];
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const fail = (error: string): ParseResult<never> => ({ ok: false, error });

/** param_util.unquote_arg: strip one pair of matching outer quotes. */
export function unquoteArg(arg: string): string {
  if (arg.length > 0 && (arg[0] === "'" || arg[0] === '"') && arg[0] === arg[arg.length - 1]) return arg.slice(1, -1);
  return arg;
}

const TRUTHY = ["1", "t", "true", "y", "yes", "enable", "enabled"];
const FALSY = ["0", "f", "false", "n", "no", "disable", "disabled"];

/** param_util.booly. */
export function parseBool(text: string): boolean | undefined {
  const s = text.toLowerCase();
  if (TRUTHY.includes(s)) return true;
  if (FALSY.includes(s)) return false;
  return undefined;
}

/** `multiple_floats`: one float, or a comma list (`threshold="0.01,0.005"`). */
export function parseFloats(text: string): number[] | undefined {
  const one = parsePyFloat(text);
  if (one !== undefined) return [one];
  const parts = unquoteArg(text).split(",");
  const out: number[] = [];
  for (const p of parts) {
    const v = parsePyFloat(p);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/** Python's `'{}'.format(x)` of a float parameter. */
const fmt = (x: number): string => pyFloat(x);

function checkInRange(values: readonly number[] | undefined, name: string): string | undefined {
  if (!values || values.length === 0) return undefined;
  for (const v of values) {
    if (v < MIN_THRESHOLD || v > MAX_THRESHOLD) return `Parameter "${name}" must be between 0.000000001 and 1`;
  }
  return undefined;
}

/** The checks of `OutlierThreshold.__init__` and `DensityFunction._check_threshold`. */
export function checkThreshold(t: Threshold, maxThresholdNum: number): string | undefined {
  const threshold = t.threshold && t.threshold.length > 0 ? t.threshold : undefined;
  const lower = t.lower && t.lower.length > 0 ? t.lower : undefined;
  const upper = t.upper && t.upper.length > 0 ? t.upper : undefined;
  if (threshold && (lower || upper)) {
    return 'Thresholds are ambiguous: "threshold", and "lower_threshold"/"upper_threshold" can not be specified together.';
  }
  const range = checkInRange(threshold, "threshold") ?? checkInRange(lower, "lower_threshold") ?? checkInRange(upper, "upper_threshold");
  if (range) return range;
  if (lower && upper) {
    if ((lower.length > 1 && upper.length > 0) || (upper.length > 1 && lower.length > 0)) {
      return 'With multiple thresholds, only one of "lower_threshold", "upper_threshold", or "threshold" can be specified.';
    }
    if (lower.length === 1 && upper.length === 1 && lower[0]! + upper[0]! > 1.0) {
      return 'The sum of "lower_threshold" and "upper_threshold" can not be larger than 1';
    }
  }
  const size = lower ? lower.length : upper ? upper.length : (threshold?.length ?? 0);
  if (size > 1 && size > maxThresholdNum) return `The maximum number of allowed thresholds are ${maxThresholdNum}. Found ${size} thresholds.`;
  return undefined;
}

/**
 * Read the DensityFunction parameters of `fit` (mode "fit") or `apply` (mode "apply"). Parameters
 * are checked in the order they were written, then dist, exclude_dist, metric, regul and the
 * thresholds, as MLTK does; the first problem is returned in MLTK's words.
 */
export function parseDensityFunctionOptions(
  options: Readonly<Record<string, string>>,
  mode: "fit" | "apply",
  limits: DensityFunctionLimits = DEFAULT_LIMITS,
): ParseResult<DensityFunctionParams> {
  const strs: Record<string, string> = {};
  const bools: Record<string, boolean> = {};
  const floats: Record<string, number> = {};
  const multi: Record<string, number[]> = {};
  const ints: Record<string, number> = {};
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (STRS.includes(key)) {
      const v = unquoteArg(value);
      if (v.length === 0) return fail(`Invalid value for ${key}: must be a non-empty string`);
      strs[key] = v;
    } else if (BOOLS.includes(key)) {
      const b = parseBool(value);
      if (b === undefined) return fail(`Invalid value for ${key}: must be a boolean`);
      bools[key] = b;
    } else if (FLOATS.includes(key)) {
      const f = parsePyFloat(value);
      if (f === undefined) return fail(`Invalid value for ${key}: must be a float`);
      floats[key] = f;
    } else if (MULTI_FLOATS.includes(key)) {
      const f = parseFloats(value);
      if (f === undefined) return fail(`Invalid value for ${key}: must have one or multiple float values e.g. ${key}="0.01,0.02,0.03".`);
      multi[key] = f;
    } else if (INTS.includes(key)) {
      const i = parsePyInt(value);
      if (i === undefined) return fail(`Invalid value for ${key}: must be an int`);
      ints[key] = i;
    } else if (mode === "fit" && FIT_COMMAND_OPTIONS.includes(key)) {
      const b = parseBool(value);
      if (b === undefined) return fail(`Invalid value for ${key}: must be a boolean`);
      if (b) return fail("partial_fit is not supported by spelunk: fit the model on all the data at once");
    } else {
      return fail(`Unexpected parameter: ${key}`);
    }
  }

  const distText = strs.dist;
  const dist = (distText ?? "auto") as DistType | "auto";
  const metricText = strs.metric;
  const metric = (metricText ?? "wasserstein") as Metric;
  let excludeDist: DistType[] | undefined;

  if (mode === "fit") {
    if (!DIST_VALUES.includes(dist)) {
      return fail(`Invalid value error: dist must be one of ${DIST_VALUES.map((d) => `"${d}"`).join(", ")}, but found dist="${distText}".`);
    }
    const excludeText = strs.exclude_dist;
    if (dist === "auto" && excludeText) {
      const list = excludeText.split(",").map((s) => s.trim());
      for (const d of list) {
        if (!EXCLUDE_VALUES.includes(d as DistType)) {
          return fail(`Invalid value error: exclude_dist must be one or more of ${EXCLUDE_VALUES.map((x) => `"${x}"`).join(", ")}, but found "${d}" in exclude_dist.`);
        }
      }
      if ([...list].sort().join(",") === [...EXCLUDE_VALUES].sort().join(",")) {
        return fail(
          "You cannot exclude all of the distribution types when using the exclude_dist parameter. Update your SPL search parameters to include at least one distribution type and run the search again.",
        );
      }
      excludeDist = list as DistType[];
    } else if (excludeText) {
      return fail("The exclude_dist parameter can only be used when dist=auto. Update your SPL search parameters and run the search again.");
    }
    if (!METRIC_VALUES.includes(metric)) {
      return fail(`Invalid value error: metric must be one of ${METRIC_VALUES.map((m) => `"${m}"`).join(", ")}, but found metric="${metricText}".`);
    }
    const regul = floats.regul ?? 0;
    if (regul < 0 || regul > 1) return fail(`Invalid value error: regul must be a float between 0 and 1, but found regul=${fmt(regul)}.`);
  }

  const threshold: Threshold = {
    ...(multi.threshold && { threshold: multi.threshold }),
    ...(multi.lower_threshold && { lower: multi.lower_threshold }),
    ...(multi.upper_threshold && { upper: multi.upper_threshold }),
  };
  const thresholdGiven = threshold.threshold !== undefined || threshold.lower !== undefined || threshold.upper !== undefined;
  const thresholdProblem = checkThreshold(threshold, limits.maxThresholdNum);
  if (thresholdProblem) return fail(thresholdProblem);

  if (mode === "fit") {
    if (bools.supervise_split_by) return fail("supervise_split_by=true is not supported by spelunk (it needs a decision tree to form the groups)");
    const tree = Object.keys(options).filter((k) => TREE_OPTIONS.includes(k));
    if (tree.length > 0) warnings.push(`Ignoring any options in (${TREE_OPTIONS.join(", ")}) when supervise_split_by=false or omitted.`);
    const seed = ints.random_state;
    if (seed !== undefined && (seed < 0 || seed > MAX_SEED)) return fail("Seed must be between 0 and 2**32 - 1");
  }

  return {
    ok: true,
    value: {
      dist,
      distGiven: distText !== undefined,
      metric,
      metricGiven: metricText !== undefined,
      ...(excludeDist && { excludeDist }),
      threshold,
      thresholdGiven,
      showDensity: bools.show_density ?? false,
      fullSample: bools.full_sample ?? false,
      sample: bools.sample ?? false,
      ...(strs.show_options !== undefined && { showOptions: strs.show_options }),
      ...(ints.random_state !== undefined && { randomState: ints.random_state }),
      raw: { ...options },
      warnings,
    },
  };
}

/** The fit-time threshold: the one written, else mlspl.conf's default_prob_threshold. */
export function fitThreshold(params: DensityFunctionParams, limits: DensityFunctionLimits = DEFAULT_LIMITS): Threshold {
  return params.thresholdGiven ? params.threshold : { threshold: [limits.defaultProbThreshold] };
}
