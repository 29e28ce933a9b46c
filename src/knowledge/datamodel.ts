/**
 * Splunk's data model JSON (what `| datamodel <name>` prints and what apps ship in
 * default/data/models/<name>.json): `modelName`, `displayName`, and `objects` (datasets), each with
 * `objectName`, `displayName`, `parentName` (`BaseEvent` for a root event dataset, else another
 * dataset), `fields` (`fieldName`, `type`, `multivalue`, `required`, `hidden`), `calculations`
 * (`calculationType` "Eval" with `expression` and `outputFields`, in order), and `constraints`
 * (`search` texts, ANDed). A child dataset's events are its parent's that also match its own
 * constraints (spl_semantics.md §2.1). Search and transaction datasets (`BaseSearch`,
 * `BaseTransaction`) and Lookup/GeoIP/Rex calculations are reported as not supported.
 */
import type { EvalExpr, SearchExpr } from "../parse/ast.js";
import { parseSearch } from "../parse/pipeline.js";

export interface DataModelField {
  readonly name: string;
  /** "string", "number", "boolean", "ipv4" ... as the JSON says. */
  readonly type: string;
  readonly multivalue: boolean;
  readonly required: boolean;
  readonly hidden: boolean;
}

export interface DataModelCalculation {
  readonly id: string;
  readonly outputFields: readonly DataModelField[];
  readonly expression: string;
  readonly expr: EvalExpr;
}

export interface DataModelDataset {
  readonly name: string;
  readonly displayName: string;
  /** `BaseEvent` for a root, else the parent dataset's name. */
  readonly parent: string;
  /** The root dataset this one descends from (itself for a root). */
  readonly root: string;
  /** Dotted lineage, e.g. `All_Traffic.Traffic_By_Action.Allowed_Traffic` (tstats nodename). */
  readonly lineage: string;
  /** The constraint search texts joined with spaces (ANDed); "" for none. */
  readonly constraint: string;
  /** Parsed constraint; undefined when there is none (every parent event belongs). */
  readonly constraintExpr: SearchExpr | undefined;
  /** Declared (extracted) fields, in JSON order; base fields (_time, host, ...) left out. */
  readonly fields: readonly DataModelField[];
  /** Calculated fields, in evaluation order. */
  readonly calculations: readonly DataModelCalculation[];
}

export interface DataModel {
  readonly name: string;
  readonly displayName: string;
  /** Parents before children. */
  readonly datasets: readonly DataModelDataset[];
  readonly definedAt: string;
}

export interface DataModelProblem {
  readonly file: string;
  readonly message: string;
}

/** Fields every event dataset inherits from BaseEvent; kept unprefixed in summaries. */
export const BASE_EVENT_FIELDS = ["_time", "host", "source", "sourcetype"] as const;

/** Every field of a dataset, declared then calculated, without repeats (a calculation wins). */
export function datasetFields(dataset: DataModelDataset): DataModelField[] {
  const byName = new Map<string, DataModelField>();
  for (const f of dataset.fields) byName.set(f.name, f);
  for (const c of dataset.calculations) for (const f of c.outputFields) byName.set(f.name, f);
  return [...byName.values()];
}

export function dataset(model: DataModel, name: string): DataModelDataset | undefined {
  return model.datasets.find((d) => d.name === name);
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * One data model JSON document. `expandMacros` (optional) expands backtick macros in constraints,
 * which Splunk does when it runs them; without it a constraint with a macro is reported and its
 * dataset (and children) skipped. Returns undefined (with problems) when the document is not a model.
 */
export function parseDataModel(
  json: unknown,
  file: string,
  expandMacros?: (text: string) => string,
): { model: DataModel | undefined; problems: DataModelProblem[] } {
  const problems: DataModelProblem[] = [];
  const fail = (message: string) => ({ model: undefined, problems: [...problems, { file, message }] });
  if (!isObject(json)) return fail("a data model file must hold a JSON object with modelName and objects");
  const name = json.modelName;
  if (typeof name !== "string" || name === "") return fail("modelName is missing");
  if (!Array.isArray(json.objects)) return fail(`${name}: objects must be a list of datasets`);
  const objects = json.objects.slice(0, 10_000);
  const byName = new Map<string, Json>();
  for (const o of objects) {
    if (!isObject(o) || typeof o.objectName !== "string") {
      problems.push({ file, message: `${name}: a dataset without objectName is skipped` });
      continue;
    }
    byName.set(o.objectName, o);
  }
  const datasets: DataModelDataset[] = [];
  const done = new Map<string, DataModelDataset | null>();
  const build = (objName: string, depth: number): DataModelDataset | null => {
    if (done.has(objName)) return done.get(objName)!;
    done.set(objName, null); // a cycle ends here
    const o = byName.get(objName)!;
    const where = `${name}.${objName}`;
    const parentName = typeof o.parentName === "string" ? o.parentName : "BaseEvent";
    let parent: DataModelDataset | null | undefined;
    if (parentName === "BaseSearch" || parentName === "BaseTransaction") {
      problems.push({ file, message: `${where}: ${parentName} datasets are not supported; skipped` });
      return null;
    }
    if (parentName !== "BaseEvent") {
      if (!byName.has(parentName)) {
        problems.push({ file, message: `${where}: parent dataset ${parentName} is not in the model; skipped` });
        return null;
      }
      if (depth > 100) return null;
      parent = build(parentName, depth + 1);
      if (!parent) {
        problems.push({ file, message: `${where}: its parent ${parentName} could not be loaded; skipped` });
        return null;
      }
    }
    const report = (message: string) => problems.push({ file, message });
    const constraint = readConstraint(o, where, report, expandMacros);
    if (constraint === null) return null;
    const fields = readFields(o.fields, where, report).filter((f) => !(BASE_EVENT_FIELDS as readonly string[]).includes(f.name));
    const calculations = readCalculations(o.calculations, where, report);
    const ds: DataModelDataset = {
      name: objName,
      displayName: typeof o.displayName === "string" ? o.displayName : objName,
      parent: parentName,
      root: parent ? parent.root : objName,
      lineage: parent ? `${parent.lineage}.${objName}` : objName,
      constraint: constraint.text,
      constraintExpr: constraint.expr,
      fields,
      calculations,
    };
    done.set(objName, ds);
    datasets.push(ds);
    return ds;
  };
  for (const objName of byName.keys()) build(objName, 0);
  return {
    model: { name, displayName: typeof json.displayName === "string" ? json.displayName : name, datasets, definedAt: file },
    problems,
  };
}

function readConstraint(
  o: Json,
  where: string,
  report: (message: string) => void,
  expandMacros: ((text: string) => string) | undefined,
): { text: string; expr: SearchExpr | undefined } | null {
  const list = Array.isArray(o.constraints) ? o.constraints : [];
  const texts: string[] = [];
  for (const c of list) {
    if (isObject(c) && typeof c.search === "string" && c.search.trim() !== "") texts.push(c.search.trim());
  }
  if (texts.length === 0) return { text: "", expr: undefined };
  let text = texts.length === 1 ? texts[0]! : texts.map((t) => `(${t})`).join(" ");
  if (text.includes("`")) {
    if (!expandMacros) {
      report(`${where}: the constraint uses a macro (${text}), which is not expanded here; skipped`);
      return null;
    }
    try {
      text = expandMacros(text);
    } catch (e) {
      report(`${where}: cannot expand the constraint's macros: ${(e as Error).message}`);
      return null;
    }
  }
  const expr = parseSearchText(text, `${where} constraint`);
  if (typeof expr === "string") {
    report(`${where}: cannot use the constraint ${text}: ${expr}`);
    return null;
  }
  return { text, expr };
}

function readFields(list: unknown, where: string, report: (message: string) => void): DataModelField[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    report(`${where}: fields must be a list`);
    return [];
  }
  const out: DataModelField[] = [];
  for (const f of list.slice(0, 10_000)) {
    if (!isObject(f) || typeof f.fieldName !== "string" || f.fieldName === "") {
      report(`${where}: a field without fieldName is skipped`);
      continue;
    }
    out.push({
      name: f.fieldName,
      type: typeof f.type === "string" ? f.type : "string",
      multivalue: f.multivalue === true,
      required: f.required === true,
      hidden: f.hidden === true,
    });
  }
  return out;
}

function readCalculations(list: unknown, where: string, report: (message: string) => void): DataModelCalculation[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    report(`${where}: calculations must be a list`);
    return [];
  }
  const out: DataModelCalculation[] = [];
  for (const c of list.slice(0, 10_000)) {
    if (!isObject(c)) continue;
    const id = typeof c.calculationID === "string" ? c.calculationID : `#${out.length + 1}`;
    const type = typeof c.calculationType === "string" ? c.calculationType : "";
    if (type.toLowerCase() !== "eval") {
      report(`${where}: calculation ${id} of type ${type || "(none)"} is not supported (only Eval); skipped`);
      continue;
    }
    const outputFields = readFields(c.outputFields, `${where}.${id}`, report);
    if (outputFields.length !== 1) {
      report(`${where}: Eval calculation ${id} must have exactly one output field; skipped`);
      continue;
    }
    if (typeof c.expression !== "string" || c.expression.trim() === "") {
      report(`${where}: Eval calculation ${id} has no expression; skipped`);
      continue;
    }
    const expr = parseEvalText(c.expression);
    if (typeof expr === "string") {
      report(`${where}: cannot parse the expression of ${id}: ${expr}`);
      continue;
    }
    out.push({ id, outputFields, expression: c.expression, expr });
  }
  return out;
}

/** An eval expression from a .conf or JSON text, or what is wrong with it. */
export function parseEvalText(text: string): EvalExpr | string {
  try {
    const pipeline = parseSearch(`| where ${text}`, "<expression>");
    const stage = pipeline.stages[0];
    if (pipeline.stages.length !== 1 || !stage || stage.name !== "where") return "expected one eval expression (no pipes)";
    return (stage.args as { predicate: EvalExpr }).predicate;
  } catch (e) {
    return firstLine((e as Error).message);
  }
}

/** A search expression from a .conf text, or what is wrong with it. */
export function parseSearchText(text: string, what: string): SearchExpr | string {
  try {
    const pipeline = parseSearch(text, what);
    const stage = pipeline.stages[0];
    if (pipeline.stages.length !== 1 || !stage || stage.name !== "search") return "expected a search expression without pipes";
    return (stage.args as { expr: SearchExpr }).expr;
  } catch (e) {
    return firstLine((e as Error).message);
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
