/**
 * `fit DensityFunction <field> [by ...]`, `apply <model>` and `summary <model>` over table columns,
 * as MLTK 5.7.4 runs them (spl_semantics.md §7.2-7.9): data preparation (null rows dropped, a
 * non-numeric feature refused), pandas-style by-groups (integer-looking values become integers,
 * groups in sorted order, max_groups), one density per group, the limits and their messages, the
 * output columns in MLTK's order and text, and the summary rows. The commands only move columns.
 */
import type { Scalar, Value } from "../table/value.js";
import {
  applyDensity,
  DEFAULT_SEED,
  densityBoundaries,
  distributionName,
  fitDensity,
  isMultiple,
  outputColumns,
  thresholdSlots,
  type DensityModel,
  type DistType,
  type Metric,
  type Threshold,
} from "./density.js";
import { kdeBandwidth } from "./distributions/kde.js";
import { checkThreshold, DEFAULT_LIMITS, fitThreshold, type DensityFunctionLimits, type DensityFunctionParams } from "./options.js";
import { pyFloat, pyInt, pyJson } from "./pyformat.js";
import { RandomState } from "./random.js";

/** A column as the commands have it (src/table Column). */
export interface ColumnLike {
  readonly length: number;
  get(row: number): Value;
}

export interface DensityInput {
  /** The fitted field (`fit DensityFunction <feature>`). */
  readonly feature: string;
  /** Its column; undefined when no row has the field. */
  readonly values: ColumnLike | undefined;
  /** The by-fields and their columns (a column may be undefined when no row has it). */
  readonly by?: ReadonlyArray<{ readonly name: string; readonly column: ColumnLike | undefined }>;
  /** Number of rows. */
  readonly rows: number;
}

/** A by-group of a saved model: its key (`'_'.join(map(str, values))`), its by-field values, its density. */
export interface DensityGroup {
  readonly key: string;
  readonly fields: ReadonlyArray<readonly [string, Scalar]>;
  readonly model: DensityModel;
}

/** Everything `apply` and `summary` need from a fitted DensityFunction (the saved model). */
export interface SavedDensityFunction {
  readonly algorithm: "DensityFunction";
  readonly feature: string;
  readonly by: readonly string[];
  readonly dist: DistType | "auto";
  readonly metric: Metric;
  readonly excludeDist?: readonly DistType[];
  /** The fit-time threshold (apply uses it unless it is given a threshold). */
  readonly threshold: Threshold;
  readonly randomState?: number;
  /** The parameters as written at fit. */
  readonly params: Readonly<Record<string, string>>;
  /** Some group had fewer than min_data_size_to_fit values (the warning is repeated at apply). */
  readonly fewTrainingData: boolean;
  readonly groups: readonly DensityGroup[];
}

/** An error a user caused, in MLTK's words. */
export class MltkError extends Error {}

export const SUMMARY_FIELDS = ["type", "min", "max", "mean", "std", "cardinality", "distance", "other"] as const;

const FEW_BY = "Too few training points in some groups will likely result in poor accuracy for those groups. Please see model summary to inspect such groups.";
const FEW_ALL = "Too few training points in data set will likely result in poor accuracy. Please see model summary.";
const MISSING_GROUP = "Some of the data groups do not have a distribution in the model";
const EXPON_LOWER =
  'Exponential Distribution type can have an outlier region only at the right tail. Ignoring "lower_threshold" value for Exponential distribution.';
const NO_VALID = "No valid events; check for null or non-numeric values in numeric fields";

const INT_TEXT = /^\s*[+-]?\d+\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$|^\s*[+-]?(?:inf|infinity|nan)\s*$/i;
const BOOL_TEXT = new Map([
  ["True", true],
  ["TRUE", true],
  ["true", true],
  ["False", false],
  ["FALSE", false],
  ["false", false],
]);

/** A cell as pandas reads it from Splunk's CSV: null for absent or empty, a multivalue joined by newlines. */
function cellText(v: Value): string | number | null {
  if (v === null) return null;
  if (Array.isArray(v)) return v.length === 0 ? null : v.join("\n");
  if (typeof v === "number") return Number.isNaN(v) ? null : v;
  return v === "" ? null : (v as string);
}

function cellNumber(c: string | number): number | null {
  if (typeof c === "number") return c;
  if (!FLOAT_TEXT.test(c)) return null;
  const t = c.trim().toLowerCase().replace(/^\+/, "");
  if (t.endsWith("inf") || t.endsWith("infinity")) return t.startsWith("-") ? -Infinity : Infinity;
  if (t.endsWith("nan")) return NaN;
  return Number(t);
}

const isIntCell = (c: string | number): boolean => (typeof c === "number" ? Number.isInteger(c) : INT_TEXT.test(c));

interface Prepared {
  /** Rows kept (no null in the feature or a by-field), in input order. */
  readonly rows: number[];
  readonly values: Float64Array;
  /** The feature column is integer-typed (pandas int64: every row has an integer value). */
  readonly integral: boolean;
  /** Per kept row, its group key and by values. */
  readonly keys: string[];
  readonly groupValues: Scalar[][];
  readonly compare: (a: Scalar[], b: Scalar[]) => number;
}

type ByKind = "int" | "bool" | "str";

/** pandas' dtype of a by-field over the rows it sees, and how its values print. */
function byKind(name: string, cells: Array<string | number | null>): ByKind {
  const present = cells.filter((c): c is string | number => c !== null);
  const hasNull = present.length < cells.length;
  if (present.length > 0 && present.every((c) => typeof c === "string" && BOOL_TEXT.has(c))) return "bool";
  if (present.length > 0 && present.every((c) => isIntCell(c))) {
    // An integer column with a missing value is float64 in pandas: not categorical.
    if (hasNull) throw new MltkError(`This operation allows only string, boolean, and integer values while field ${name} is none of these types.`);
    return "int";
  }
  if (present.length > 0 && present.every((c) => cellNumber(c) !== null)) {
    throw new MltkError(`This operation allows only string, boolean, and integer values while field ${name} is none of these types.`);
  }
  return "str";
}

function byValue(kind: ByKind, c: string | number): Scalar {
  if (kind === "int") {
    if (typeof c === "number") return c;
    const n = BigInt(c.trim());
    return Number.isSafeInteger(Number(n)) ? Number(n) : n.toString();
  }
  if (kind === "bool") return BOOL_TEXT.get(c as string) ? "True" : "False";
  return typeof c === "number" ? pyFloat(c) : c;
}

const strOf = (v: Scalar): string => (typeof v === "number" ? (Number.isInteger(v) ? pyInt(v) : pyFloat(v)) : v);

/** Python string comparison (by code point). */
function comparePy(a: string, b: string): number {
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

function prepare(input: DensityInput, rowSubset?: readonly number[]): Prepared {
  const all = rowSubset ?? Array.from({ length: input.rows }, (_, i) => i);
  if (!input.values) throw new MltkError(`Field "${input.feature}" not present.`);
  const by = input.by ?? [];
  const byCells: Array<Array<string | number | null>> = by.map((b) => {
    if (!b.column) throw new MltkError(`Field "${b.name}" not present.`);
    return all.map((r) => cellText(b.column!.get(r)));
  });
  const featureCells = all.map((r) => cellText(input.values!.get(r)));
  const numbers = featureCells.map((c) => (c === null ? null : cellNumber(c)));
  if (numbers.some((n, i) => n === null && featureCells[i] !== null)) throw new MltkError(`Feature "${input.feature}" is not a numeric type`);
  const integral = featureCells.every((c) => c !== null && isIntCell(c));
  const keep: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const n = numbers[i];
    if (n === null || n === undefined || Number.isNaN(n)) continue;
    if (byCells.some((cells) => cells[i] === null)) continue;
    keep.push(i);
  }
  if (keep.length === 0) throw new MltkError(NO_VALID);
  const kinds = by.map((b, j) => byKind(b.name, keep.map((i) => byCells[j]![i]!)));
  const groupValues = keep.map((i) => kinds.map((kind, j) => byValue(kind, byCells[j]![i] as string | number)));
  const compare = (a: Scalar[], b: Scalar[]): number => {
    for (let j = 0; j < kinds.length; j++) {
      const x = a[j]!;
      const y = b[j]!;
      let d: number;
      if (kinds[j] === "int") d = typeof x === "number" && typeof y === "number" ? x - y : Number(BigInt(String(x)) - BigInt(String(y)));
      else if (kinds[j] === "bool") d = (x === "True" ? 1 : 0) - (y === "True" ? 1 : 0);
      else d = comparePy(String(x), String(y));
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return 0;
  };
  return {
    rows: keep.map((i) => all[i]!),
    values: Float64Array.from(keep.map((i) => numbers[i]!)),
    integral,
    keys: groupValues.map((vals) => vals.map(strOf).join("_")),
    groupValues,
    compare,
  };
}

/** Groups in pandas groupby order (sorted by their values): each with the positions of its rows in `prepared`. */
function groupsOf(p: Prepared): Array<{ values: Scalar[]; key: string; members: number[] }> {
  const byTuple = new Map<string, { values: Scalar[]; key: string; members: number[] }>();
  for (let i = 0; i < p.keys.length; i++) {
    const id = JSON.stringify(p.groupValues[i]);
    let g = byTuple.get(id);
    if (!g) {
      g = { values: p.groupValues[i]!, key: p.keys[i]!, members: [] };
      byTuple.set(id, g);
    }
    g.members.push(i);
  }
  return [...byTuple.values()].sort((a, b) => p.compare(a.values, b.values));
}

/** Algorithm R over row numbers, returned in input order (FitBatchProcessor's reservoir sampling to max_inputs). */
export function reservoirSample(n: number, k: number, rng: RandomState): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  const res = Array.from({ length: k }, (_, i) => i);
  for (let i = k; i < n; i++) {
    const j = rng.interval(i);
    if (j < k) res[j] = i;
  }
  return res.sort((a, b) => a - b);
}

export interface FitRequest {
  readonly params: DensityFunctionParams;
  /** The model will be saved (`into`): by-field names may not be summary column names. */
  readonly into?: string;
  readonly limits?: DensityFunctionLimits;
}

export interface FitResult {
  readonly model: SavedDensityFunction;
  /** Warnings in MLTK's words, in the order MLTK emits them. */
  readonly warnings: string[];
  /** The rows fit used and returns (all rows unless max_inputs sampling dropped some), in input order. */
  readonly rows: number[];
  /** The random stream after fitting: pass it to applyDensityFunction for fit's own output. */
  readonly rng: RandomState;
}

/** `fit DensityFunction`: validate, group, fit one density per group. */
export function fitDensityFunction(input: DensityInput, request: FitRequest): FitResult {
  const limits = request.limits ?? DEFAULT_LIMITS;
  const params = request.params;
  const by = (input.by ?? []).map((b) => b.name);
  const warnings: string[] = [...params.warnings];
  if (by.length > limits.maxFieldsInByClause) throw new MltkError(`The number of fields in the by clause cannot exceed ${limits.maxFieldsInByClause}`);
  if (request.into !== undefined) {
    for (const f of by) {
      if ((SUMMARY_FIELDS as readonly string[]).includes(f)) {
        throw new MltkError(`The field "${f}" conflicts with summary field names "${SUMMARY_FIELDS.join(", ")}". Please rename "${f}".`);
      }
    }
  }
  const seed = params.randomState ?? DEFAULT_SEED;
  let rows: number[] | undefined;
  if (input.rows > limits.maxInputs) {
    if (!limits.useSampling) throw new MltkError(`Input event count exceeds max_inputs for DensityFunction (${limits.maxInputs}) and sampling is disabled.`);
    warnings.push(`Input event count exceeds max_inputs for DensityFunction (${limits.maxInputs}), model will be fit on a sample of events.`);
    rows = reservoirSample(input.rows, limits.maxInputs, new RandomState(seed));
  }
  const rng = new RandomState(seed);
  const p = prepare(input, rows);
  const groups = groupsOf(p);
  if (by.length > 0 && groups.length > limits.maxGroups) {
    throw new MltkError(
      `The number of groups can not exceed ${limits.maxGroups}; the current number of groups is ${groups.length}. Please find detailed information about the number of groups in docs.`,
    );
  }
  const threshold = fitThreshold(params, limits);
  let fewTrainingData = false;
  let warnedExpon = false;
  const saved = new Map<string, DensityGroup>();
  for (const g of groups) {
    const values = Float64Array.from(g.members.map((i) => p.values[i]!));
    if (values.length < limits.minDataSizeToFit && !fewTrainingData) {
      fewTrainingData = true;
      warnings.push(by.length > 0 ? FEW_BY : FEW_ALL);
    }
    let model: DensityModel;
    try {
      model = fitDensity(
        values,
        {
          dist: params.dist,
          metric: params.metric,
          integral: p.integral,
          maxKdeParameterSize: limits.maxKdeParameterSize,
          ...(params.excludeDist && { excludeDist: params.excludeDist }),
        },
        rng,
      );
    } catch (e) {
      throw new MltkError((e as Error).message);
    }
    if (model.dist === "expon" && threshold.lower !== undefined && !warnedExpon) {
      warnedExpon = true;
      warnings.push(EXPON_LOWER);
    }
    const fields = by.map((name, j) => [name, g.values[j]!] as const);
    saved.set(g.key, { key: g.key, fields, model });
  }
  const model: SavedDensityFunction = {
    algorithm: "DensityFunction",
    feature: input.feature,
    by,
    dist: params.dist,
    metric: params.metric,
    ...(params.excludeDist && { excludeDist: params.excludeDist }),
    threshold,
    ...(params.randomState !== undefined && { randomState: params.randomState }),
    params: params.raw,
    fewTrainingData,
    groups: [...saved.values()],
  };
  return { model, warnings, rows: rows ?? Array.from({ length: input.rows }, (_, i) => i), rng };
}

export interface ApplyRequest {
  /** The apply (or fit) parameters: threshold, show_density, sample, full_sample, show_options, dist, metric. */
  readonly params: DensityFunctionParams;
  /** `as NAME`. */
  readonly as?: string;
  /** This is fit returning its own rows (no repeated warnings, fit's threshold). */
  readonly fromFit?: boolean;
  /** What `show_options` can echo: MLTK looks the names up in the command's options (feature_variables, split_by, params, model_name ...). */
  readonly showOptionsContext?: Readonly<Record<string, unknown>>;
  readonly limits?: DensityFunctionLimits;
}

export interface OutputColumn {
  readonly name: string;
  /** One value per input row (null where the row had no value or no group). */
  readonly values: Value[];
}

export interface ApplyResult {
  /** The output columns in MLTK's order, to append to (or replace in) the input rows. */
  readonly columns: OutputColumn[];
  readonly warnings: string[];
}

/** MLTK prints the outlier flags as floats: "1.0" / "0.0". */
export const outlierText = (flag: number): string => (flag ? "1.0" : "0.0");

/** `_get_show_options_value`: the named options as Python's json.dumps prints them. */
export function showOptionsValue(showOptions: string, context: Readonly<Record<string, unknown>>): string {
  const picked: Record<string, unknown> = {};
  for (const k of showOptions.replace(/ /g, "").split(",")) if (Object.hasOwn(context, k)) picked[k] = context[k];
  return pyJson(picked);
}

/** `apply` (and the apply at the end of `fit`): the output columns for every input row. */
export function applyDensityFunction(model: SavedDensityFunction, input: DensityInput, request: ApplyRequest, rng?: RandomState): ApplyResult {
  const limits = request.limits ?? DEFAULT_LIMITS;
  const params = request.params;
  const warnings: string[] = [];
  const threshold = !request.fromFit && params.thresholdGiven ? params.threshold : model.threshold;
  const problem = checkThreshold(threshold, limits.maxThresholdNum);
  if (problem) throw new MltkError(problem);
  if (!request.fromFit) {
    if (params.distGiven && params.dist !== model.dist) warnings.push(`Invalid parameter for apply: Discarding "dist" value. Using dist=${model.dist}.`);
    if (params.metricGiven && params.metric !== model.metric) warnings.push(`Invalid parameter for apply: Discarding "metric" value. Using metric=${model.metric}.`);
  }
  // The model's by-fields, in the model's order (a field no row has is "not present").
  const by = model.by.map((name) => ({ name, column: input.by?.find((b) => b.name === name)?.column }));
  const p = prepare({ ...input, by });
  if (!request.fromFit && model.fewTrainingData) warnings.push(model.by.length > 0 ? FEW_BY : FEW_ALL);

  const names = outputColumns(model.feature, threshold, {
    ...(request.as !== undefined && { as: request.as }),
    showDensity: params.showDensity,
    fullSample: params.fullSample,
    sample: params.sample,
    showOptions: params.showOptions !== undefined,
  });
  const columns = new Map<string, Value[]>(names.map((n) => [n, new Array<Value>(input.rows).fill(null)]));
  const multiple = isMultiple(threshold);
  const slotCount = thresholdSlots(threshold).length;
  const multiNames = outputColumns(model.feature, threshold, { ...(request.as !== undefined && { as: request.as }), sample: true });
  const outlierNames = multiNames.slice(0, multiple ? slotCount : 1);
  const rangeNames = multiNames.slice(outlierNames.length, outlierNames.length + (multiple ? slotCount : 1));
  const sampleNames = multiNames.slice(outlierNames.length + rangeNames.length);
  const densityName = `ProbabilityDensity(${model.feature})`;
  const random = rng ?? new RandomState(model.randomState ?? DEFAULT_SEED);
  const groupByKey = new Map(model.groups.map((g) => [g.key, g]));
  const byModelOrder = model.by.length > 0;

  for (const g of groupsOf(p)) {
    const saved = byModelOrder ? groupByKey.get(g.key) : model.groups[0];
    if (!saved) {
      if (!warnings.includes(MISSING_GROUP)) warnings.push(MISSING_GROUP);
      continue;
    }
    const values = Float64Array.from(g.members.map((i) => p.values[i]!));
    const out = applyDensity(saved.model, values, threshold, { showDensity: params.showDensity, fullSample: params.fullSample, sample: params.sample }, random);
    g.members.forEach((m, k) => {
      const row = p.rows[m]!;
      outlierNames.forEach((name, s) => (columns.get(name)![row] = outlierText(out.isOutlier[s]![k]!)));
      rangeNames.forEach((name, s) => {
        const ranges = out.boundaryRanges[s]!;
        columns.get(name)![row] = ranges.length === 0 ? null : ranges.length === 1 ? ranges[0]! : [...ranges];
      });
      if (out.density) columns.get(densityName)![row] = pyFloat(out.density[k]!);
      if (out.fullSample) columns.get("FullSampledValue")![row] = pyFloat(out.fullSample[k]!);
      if (out.sampled) sampleNames.forEach((name, s) => (columns.get(name)![row] = pyFloat(out.sampled![s]![k]!)));
    });
  }
  if (params.showOptions !== undefined) {
    const context = request.showOptionsContext ?? {
      algo_name: "DensityFunction",
      feature_variables: [model.feature],
      ...(model.by.length > 0 && { split_by: model.by }),
      params: params.raw,
    };
    const text = showOptionsValue(params.showOptions, context);
    // MLTK fills _Options on every row, including rows without a value.
    columns.set("_Options", new Array<Value>(input.rows).fill(text));
  }
  return { columns: names.map((name) => ({ name, values: columns.get(name)! })), warnings };
}

/** The boundaries of a saved model's groups for a threshold (for tests and `summary`-like views). */
export function groupBoundaries(model: SavedDensityFunction, threshold: Threshold = model.threshold): Array<{ key: string; ranges: (readonly string[])[] }> {
  return model.groups.map((g) => ({ key: g.key, ranges: densityBoundaries(g.model, threshold).map((s) => s.text) }));
}

export interface SummaryTable {
  readonly columns: string[];
  readonly rows: Array<Record<string, string>>;
}

/** `| summary <model>`: one row per group (by-fields, type, min, max, mean, std, cardinality, distance, other). */
export function summarizeDensityFunction(model: SavedDensityFunction): SummaryTable {
  const columns = [...model.by, ...SUMMARY_FIELDS];
  // pandas makes a column of ints and floats a float column.
  const allInt = (pick: (m: DensityModel) => number): boolean => model.groups.every((g) => g.model.integral && Number.isInteger(pick(g.model)));
  const minInt = allInt((m) => m.min);
  const maxInt = allInt((m) => m.max);
  const rows = model.groups.map((g) => {
    const m = g.model;
    const row: Record<string, string> = {};
    for (const [name, value] of g.fields) row[name] = strOf(value);
    row.type = distributionName(m);
    row.min = minInt ? pyInt(m.min) : pyFloat(m.min);
    row.max = maxInt ? pyInt(m.max) : pyFloat(m.max);
    row.mean = pyFloat(m.mean);
    row.std = pyFloat(m.std);
    row.cardinality = String(m.cardinality);
    row.distance = `metric: ${m.metric}, distance: ${pyFloat(m.distance)}`;
    row.other =
      m.dist === "gaussian_kde"
        ? `bandwidth: ${pyFloat(kdeBandwidth(m))}, parameter size: ${m.kdeData?.length ?? 0}`
        : m.dist === "beta"
          ? `Alpha: ${pyFloat(m.alpha!)}, Beta: ${pyFloat(m.beta!)}`
          : "N/A";
    return row;
  });
  return { columns, rows };
}
