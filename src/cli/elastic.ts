/**
 * Elastic rule files (.toml, elastic/detection-rules format) for `spelunk run` and `spelunk test`:
 * the rule's KQL runs over ECS documents made from the same replayed datasets the Splunk searches
 * see (mappings/*.yml say how), on a schedule over the data's timeline or once at `--now`.
 *
 *   spelunk run rules/exfiltration_smb_rare_destination.toml --data sysmon.json --sourcetype nxlog:sysmon:json
 *
 * Each alert is one row: `_time` (the run that raised it), the rule's name, id, severity and risk
 * score, the new terms, the source event's time and index, then the event's fields the rule looks at.
 */
import { hostname } from "node:os";
import { extname } from "node:path";
import { executeRule, indexMatcher, ScheduleError, type Alert, type ScheduleOptions } from "../elastic/execute.js";
import { loadDocuments, type ElasticDatasetSpec } from "../elastic/documents.js";
import { isoDate, loadMappings, type MappingSet } from "../elastic/mapping.js";
import { loadElasticRule, RuleFileError, type ElasticRule } from "../elastic/rule.js";
import { SplError } from "../diag/diagnostic.js";
import { IngestError } from "../ingest/format.js";
import { isManifest, readManifest } from "../ingest/manifest.js";
import type { KqlNode } from "../kql/ast.js";
import { valuesAt } from "../kql/document.js";
import { compileKql } from "../kql/evaluate.js";
import { Table } from "../table/table.js";
import type { Scalar, Value } from "../table/value.js";
import { parseTimeArg } from "../time/relative.js";
import type { DataArg } from "./data-options.js";
import { CliError } from "./errors.js";
import { loadKnowledge } from "./library.js";
import { formatResults, type OutputFormat } from "./output.js";

/** A rule file spelunk runs as an Elastic rule rather than a search: `.toml`. */
export function isElasticRuleFile(path: string): boolean {
  return extname(path).toLowerCase() === ".toml";
}

export interface RunElasticOptions {
  readonly rulePath: string;
  /** Datasets; `index` undefined lets the ECS mapping name it (a data stream such as logs-windows.sysmon_operational-default). */
  readonly data: readonly ElasticDatasetSpec[];
  /** More Splunk app folders (props.conf says how to read each sourcetype). */
  readonly apps?: readonly string[];
  /** More ECS mapping files or folders (beside the shipped mappings/). */
  readonly mappings?: readonly string[];
  /** One run at this time (epoch seconds) instead of the schedule. */
  readonly now?: number;
  /** The schedule's bounds (default: the data's timeline); ignored when `now` is given without it. */
  readonly schedule?: ScheduleOptions;
  /** Warnings (bad lines, datasets outside the rule's indices ...), one message per call. */
  readonly warn?: (message: string) => void;
}

export interface ElasticRunResult {
  readonly rule: ElasticRule;
  readonly alerts: readonly Alert[];
  readonly runs: number;
  readonly firstRun?: number;
  readonly lastRun?: number;
  /** Documents made from the datasets; those in the rule's indices; those matching its query. */
  readonly documents: number;
  readonly searched: number;
  readonly matched: number;
}

/**
 * Loads the rule, the mappings and the datasets, and runs the rule. Throws SplError (a located
 * error in the rule file or its query), or CliError (a file that cannot be read, a bad schedule).
 */
export async function runElasticRule(options: RunElasticOptions): Promise<ElasticRunResult> {
  const warn = options.warn ?? (() => {});
  let rule: ElasticRule;
  try {
    rule = loadElasticRule(options.rulePath);
  } catch (e) {
    if (e instanceof RuleFileError) throw new CliError(e.message);
    throw e;
  }
  let mappings: MappingSet;
  try {
    mappings = loadMappings(options.mappings ?? []);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  for (const p of mappings.problems) warn(`${p.file}: ${p.message} (skipped)`);
  const knowledge = loadKnowledge([...(options.apps ?? [])], (text) => warn(text.replace(/^spelunk: warning: /, "").trimEnd()));
  let loaded;
  try {
    loaded = await loadDocuments(options.data, knowledge, mappings);
  } catch (e) {
    if (e instanceof IngestError) throw new CliError(e.message);
    throw e;
  }
  for (const p of loaded.problems) warn(`skipped ${p.file}:${p.line}: ${p.message}`);
  for (const w of loaded.warnings) warn(w);
  const inIndex = indexMatcher(rule.index);
  const indices = [...new Set(loaded.documents.map((d) => d._index))];
  if (indices.length > 0 && !indices.some(inIndex)) {
    warn(`no dataset is in the rule's indices (${rule.index.join(", ")}): the datasets are in ${indices.join(", ")}; give a matching --index`);
  }
  const fieldTypes = (f: string) => mappings.fieldTypes.get(f);
  let result;
  try {
    result = executeRule(rule, loaded.documents, {
      fieldTypes,
      ...(options.now !== undefined ? { now: options.now } : {}),
      ...(options.schedule !== undefined ? { schedule: options.schedule } : {}),
    });
  } catch (e) {
    if (e instanceof ScheduleError) throw new CliError(e.message);
    throw e;
  }
  for (const w of result.warnings) warn(w);
  return {
    rule,
    alerts: result.alerts,
    runs: result.runs,
    ...(result.firstRun !== undefined ? { firstRun: result.firstRun } : {}),
    ...(result.lastRun !== undefined ? { lastRun: result.lastRun } : {}),
    documents: loaded.documents.length,
    searched: result.searched,
    matched: result.matched,
  };
}

/** The alerts as a result table (see the file comment for the columns). */
export function alertsTable(result: ElasticRunResult): Table {
  const { rule } = result;
  const fields = [...new Set(["host.name", ...queryFields(rule.query.ast, ""), ...(rule.newTerms?.fields ?? [])])];
  const rows = result.alerts.map((a) => {
    const row: Record<string, Value> = {
      _time: a.runTime,
      "kibana.alert.rule.name": rule.name,
      "kibana.alert.rule.rule_id": rule.ruleId,
      "kibana.alert.rule.type": rule.type,
      "kibana.alert.severity": rule.severity ?? null,
      "kibana.alert.risk_score": rule.riskScore ?? null,
      ...(rule.newTerms ? { "kibana.alert.new_terms": toValue(a.newTerms ?? []) } : {}),
      "kibana.alert.original_time": isoDate(a.originalTime),
      _index: a.document._index,
    };
    for (const f of fields) row[f] = toValue(valuesAt(a.document.source, f.split(".")));
    return row;
  });
  const order = [
    "_time", "kibana.alert.rule.name", "kibana.alert.rule.rule_id", "kibana.alert.rule.type", "kibana.alert.severity", "kibana.alert.risk_score",
    ...(rule.newTerms ? ["kibana.alert.new_terms"] : []), "kibana.alert.original_time", "_index", ...fields,
  ];
  return Table.fromRows(rows, order);
}

/**
 * `spelunk check RULE.toml`: reads the rule and checks its query against the ECS field types of the
 * mappings (a value that cannot be of its field's type), without data. Throws SplError (located in
 * the file) or CliError; returns the rule when it is fine.
 */
export function checkElasticRuleFile(rulePath: string, mappingDirs: readonly string[] = []): ElasticRule {
  let rule: ElasticRule;
  let mappings: MappingSet;
  try {
    rule = loadElasticRule(rulePath);
    mappings = loadMappings(mappingDirs);
  } catch (e) {
    if (e instanceof RuleFileError) throw new CliError(e.message);
    if (e instanceof SplError) throw e;
    throw new CliError((e as Error).message);
  }
  compileKql(rule.query, { fieldTypes: (f) => mappings.fieldTypes.get(f), now: 0 });
  return rule;
}

export interface ElasticTestResult {
  /** A rule passes when it raises at least one alert on its data (contentctl's rule for detections). */
  readonly passed: boolean;
  readonly message: string;
  readonly result: ElasticRunResult;
}

/** `spelunk test` for a rule file: run it (on the schedule unless `now` is given) and pass when it alerts. */
export async function testElasticRule(options: RunElasticOptions): Promise<ElasticTestResult> {
  const result = await runElasticRule(options);
  const n = result.alerts.length;
  const message =
    n > 0
      ? `${n} alert${n === 1 ? "" : "s"} in ${result.runs} run${result.runs === 1 ? "" : "s"}`
      : `no alert in ${result.runs} run${result.runs === 1 ? "" : "s"} (${result.searched} document(s) in the rule's indices, ${result.matched} matching its query)`;
  return { passed: n > 0, message, result };
}

export interface ElasticCliOptions {
  readonly data: readonly DataArg[];
  readonly apps: readonly string[];
  readonly mappings?: readonly string[];
  readonly format?: OutputFormat;
  readonly tz?: string;
  /** --now TIME: one run at that time. */
  readonly now?: string;
  /** --schedule: run on the schedule even with --now (then --now is ignored); the default without --now. */
  readonly schedule?: boolean;
  /** --earliest/--latest: the schedule's first and last run times. */
  readonly earliest?: string;
  readonly latest?: string;
  readonly io: { out: (text: string) => void; err: (text: string) => void };
}

/** `spelunk run RULE.toml --data ...`: prints the alerts; exit 0 with or without alerts. */
export async function elasticRunCommand(rulePath: string, options: ElasticCliOptions): Promise<number> {
  const { io } = options;
  const tz = options.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  const wallClock = Date.now() / 1000;
  const time = (name: string, text: string) => {
    const t = parseTimeArg(text, wallClock, tz);
    if (t === undefined) throw new CliError(`${name} ${text}: not a time (epoch seconds, ISO-8601, or relative such as -24h@h)`);
    return t;
  };
  const now = options.now !== undefined && options.schedule !== true ? time("--now", options.now) : undefined;
  const schedule: ScheduleOptions = {
    ...(options.earliest !== undefined ? { start: time("--earliest", options.earliest) } : {}),
    ...(options.latest !== undefined ? { end: time("--latest", options.latest) } : {}),
  };
  const format: OutputFormat = options.format ?? (process.stdout.isTTY ? "table" : "json");
  const result = await runElasticRule({
    rulePath,
    data: elasticDatasetSpecs(options.data),
    apps: options.apps,
    ...(options.mappings ? { mappings: options.mappings } : {}),
    ...(now !== undefined ? { now } : {}),
    ...(now === undefined || options.earliest !== undefined || options.latest !== undefined ? { schedule } : {}),
    warn: (message) => io.err(`spelunk: warning: ${message}\n`),
  });
  io.out(formatResults(alertsTable(result), format, tz));
  return 0;
}

/** `--data` arguments as datasets; an index left unset lets the ECS mapping choose it. */
export function elasticDatasetSpecs(args: readonly DataArg[]): ElasticDatasetSpec[] {
  if (args.length === 0) throw new CliError("no data: give --data PATH (with --sourcetype ST unless PATH is an attack_data manifest)");
  const specs: ElasticDatasetSpec[] = [];
  for (const arg of args) {
    if (isManifest(arg.path)) {
      let manifest;
      try {
        manifest = readManifest(arg.path);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      for (const spec of manifest) specs.push({ ...spec, index: arg.index, ...(arg.host ? { host: arg.host } : {}) });
      continue;
    }
    if (!arg.sourcetype) throw new CliError(`--data ${arg.path}: give its --sourcetype (e.g. --sourcetype nxlog:sysmon:json)`);
    specs.push({ path: arg.path, sourcetype: arg.sourcetype, source: arg.source ?? arg.path, host: arg.host ?? hostname(), index: arg.index });
  }
  return specs;
}

/** The fields a query names, in order (nested ones with their parent's path); wildcard names left out. */
function queryFields(node: KqlNode, prefix: string): string[] {
  switch (node.kind) {
    case "and":
    case "or":
      return node.items.flatMap((n) => queryFields(n, prefix));
    case "not":
      return queryFields(node.expr, prefix);
    case "match":
    case "range":
      return node.field.pattern === undefined ? [prefix + node.field.text] : [];
    case "nested":
      return queryFields(node.query, `${prefix}${node.field.text}.`);
    default:
      return [];
  }
}

function toValue(values: readonly unknown[]): Value {
  const scalars: Scalar[] = [];
  for (const v of values) {
    if (typeof v === "string" || typeof v === "number") scalars.push(v);
    else if (typeof v === "boolean") scalars.push(String(v));
  }
  return scalars.length === 0 ? null : scalars.length === 1 ? scalars[0]! : scalars;
}
