/**
 * Elastic detection rule files as elastic/detection-rules keeps them (TOML: `[metadata]`, `[rule]`,
 * `[rule.new_terms]` ...), read as they are. What spelunk runs (../shared/reference/peers.md §2):
 *
 * - `type`: `query` or `new_terms`; `language`: `kuery` (the default for those types). Other types
 *   (eql, esql, threshold, machine_learning, threat_match) and languages are reported, by name.
 * - `query`: KQL; errors in it point into the rule file.
 * - `index`: index patterns (`*` wildcards, `-pattern` excludes), matched against each dataset's
 *   index. A rule with only a `data_view_id` cannot be run.
 * - `from` (default `now-6m`) and `interval` (default `5m`): each run searches [from, now); Kibana's
 *   defaults when a rule file does not set them.
 * - `max_signals` (default 100), `risk_score`, `severity`, `name`, `rule_id`, `timestamp_override`.
 * - new_terms: `[rule.new_terms] field = "new_terms_fields"`, `value` = 1 to 3 distinct fields, and
 *   `[[rule.new_terms.history_window_start]] field = "history_window_start"`, `value` = date math;
 *   required, as detection-rules' TestNewTerms requires them.
 */
import { readFileSync } from "node:fs";
import { parse as parseToml, TomlError } from "smol-toml";
import { diagnostic, identityLocator, SplError, type OriginLocator, type SearchSource } from "../diag/diagnostic.js";
import { parseDateMath, parseDuration } from "../kql/datemath.js";
import { parseKql, type KqlQuery } from "../kql/parser.js";

export type ElasticRuleType = "query" | "new_terms";

export interface ElasticRule {
  readonly file: string;
  /** The file's text (error offsets point into it). */
  readonly text: string;
  readonly name: string;
  readonly ruleId: string;
  readonly type: ElasticRuleType;
  readonly query: KqlQuery;
  readonly index: readonly string[];
  readonly from: string;
  /** Seconds between runs. */
  readonly interval: number;
  readonly maxSignals: number;
  readonly riskScore?: number;
  readonly severity?: string;
  readonly timestampOverride?: string;
  readonly newTerms?: { readonly fields: readonly string[]; readonly historyWindowStart: string };
}

const KNOWN_TYPES = ["query", "new_terms", "eql", "esql", "threshold", "machine_learning", "threat_match", "saved_query"];
const MAX_NEW_TERMS_FIELDS = 3;

/** Reads and checks a rule file; user errors are located SplErrors pointing into the file. */
export function loadElasticRule(file: string): ElasticRule {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RuleFileError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  return parseElasticRule(text, file);
}

/** A rule file that cannot be read at all (no text to point into). */
export class RuleFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuleFileError";
  }
}

export function parseElasticRule(text: string, file: string): ElasticRule {
  const locator = identityLocator(file, text);
  const fail = (message: string, offset = 0, length = 1): never => {
    throw new SplError([diagnostic("bad-argument", message, offset, length)], text, locator);
  };
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const offset = offsetOf(text, e.line, e.column);
      throw new SplError([diagnostic("syntax", `not valid TOML: ${e.message.split("\n")[0]}`, offset, 1)], text, locator);
    }
    throw e;
  }
  const rule = doc.rule;
  if (!isTable(rule)) return fail("not an Elastic rule file: it has no [rule] table");
  const at = (key: string, table = "rule"): [number, number] => keyPlace(text, table, key);

  const type = rule.type;
  if (typeof type !== "string") return fail("the rule has no type (query or new_terms)", ...at("type"));
  if (type !== "query" && type !== "new_terms") {
    const known = KNOWN_TYPES.includes(type);
    return fail(
      known ? `rule type '${type}' is not supported: spelunk runs query and new_terms rules` : `unknown rule type '${type}' (Elastic's are ${KNOWN_TYPES.join(", ")}; spelunk runs query and new_terms)`,
      ...at("type"),
    );
  }
  const language = rule.language ?? "kuery";
  if (language !== "kuery") return fail(`query language '${String(language)}' is not supported: spelunk runs KQL (language = "kuery")`, ...at("language"));
  if (typeof rule.query !== "string") return fail("the rule has no query", ...at("query"));
  const query = parseKql(rule.query, { locator: queryLocator(text, file, rule.query) });

  // Both change which events alert; running without them would not be the rule.
  if (Array.isArray(rule.filters) && rule.filters.length > 0) return fail("the rule's filters (Elasticsearch query DSL) are not supported: spelunk runs the KQL query alone", ...at("filters"));
  if (Array.isArray(rule.exceptions_list) && rule.exceptions_list.length > 0)
    return fail("the rule's exceptions_list refers to exception lists kept in Kibana, which spelunk cannot read", ...at("exceptions_list"));

  const name = typeof rule.name === "string" ? rule.name : file;
  const ruleId = typeof rule.rule_id === "string" ? rule.rule_id : name;
  let index: string[] = [];
  if (rule.index !== undefined) {
    if (!Array.isArray(rule.index) || !rule.index.every((i) => typeof i === "string")) return fail("index: expected a list of index patterns", ...at("index"));
    index = rule.index as string[];
  }
  if (index.length === 0) return fail(rule.data_view_id !== undefined ? "the rule searches a data view (data_view_id), which spelunk cannot resolve: give it index patterns" : "the rule has no index patterns", ...at(rule.data_view_id !== undefined ? "data_view_id" : "index"));

  const from = rule.from ?? "now-6m";
  if (typeof from !== "string" || parseDateMath(from, 0) === undefined) return fail(`from: '${String(from)}' is not date math such as now-9m`, ...at("from"));
  const intervalText = rule.interval ?? "5m";
  const interval = typeof intervalText === "string" ? parseDuration(intervalText) : undefined;
  if (interval === undefined) return fail(`interval: '${String(intervalText)}' is not a duration such as 5m`, ...at("interval"));
  const maxSignals = rule.max_signals ?? 100;
  if (typeof maxSignals !== "number" || !Number.isInteger(maxSignals) || maxSignals < 1) return fail("max_signals: expected a positive whole number", ...at("max_signals"));
  if (rule.risk_score !== undefined && typeof rule.risk_score !== "number") return fail("risk_score: expected a number", ...at("risk_score"));
  if (rule.severity !== undefined && typeof rule.severity !== "string") return fail("severity: expected low, medium, high or critical", ...at("severity"));
  if (rule.timestamp_override !== undefined && typeof rule.timestamp_override !== "string") return fail("timestamp_override: expected a field name", ...at("timestamp_override"));

  let newTerms: ElasticRule["newTerms"];
  if (type === "new_terms") {
    const nt = rule.new_terms;
    if (!isTable(nt)) return fail("a new_terms rule needs a [rule.new_terms] table (field = \"new_terms_fields\", value = [fields])", ...at("type"));
    if (nt.field !== "new_terms_fields") return fail(`[rule.new_terms] field must be "new_terms_fields"`, ...at("field", "rule.new_terms"));
    const fields = nt.value;
    if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === "string" && f !== "")) return fail("[rule.new_terms] value: expected a list of 1 to 3 field names", ...at("value", "rule.new_terms"));
    if (fields.length > MAX_NEW_TERMS_FIELDS) return fail(`[rule.new_terms] value: at most ${MAX_NEW_TERMS_FIELDS} fields make a new term (found ${fields.length})`, ...at("value", "rule.new_terms"));
    if (new Set(fields).size !== fields.length) return fail("[rule.new_terms] value: the fields must be distinct", ...at("value", "rule.new_terms"));
    const hws = nt.history_window_start;
    // detection-rules writes [[rule.new_terms.history_window_start]] field/value; a plain string is Kibana's API form.
    const entry = typeof hws === "string" ? { field: "history_window_start", value: hws } : Array.isArray(hws) ? hws[0] : hws;
    if (!isTable(entry) || entry.value === undefined)
      return fail('a new_terms rule needs history_window_start: add [[rule.new_terms.history_window_start]] with field = "history_window_start" and value = "now-7d"', ...at("value", "rule.new_terms"));
    if (entry.field !== "history_window_start") return fail('[[rule.new_terms.history_window_start]] field must be "history_window_start"', ...at("field", "rule.new_terms.history_window_start"));
    if (typeof entry.value !== "string" || parseDateMath(entry.value, 0) === undefined)
      return fail(`history_window_start: '${String(entry.value)}' is not date math such as now-7d`, ...at("value", "rule.new_terms.history_window_start"));
    // Kibana refuses a history window that does not reach before the rule's own window.
    const now = 1_700_000_000;
    if (parseDateMath(entry.value, now)! >= parseDateMath(from, now)!)
      return fail(`history_window_start (${entry.value}) must be earlier than from (${from}): the history window would be empty`, ...at("value", "rule.new_terms.history_window_start"));
    newTerms = { fields: fields as string[], historyWindowStart: entry.value };
  }

  return {
    file,
    text,
    name,
    ruleId,
    type,
    query,
    index,
    from,
    interval,
    maxSignals,
    ...(typeof rule.risk_score === "number" ? { riskScore: rule.risk_score } : {}),
    ...(typeof rule.severity === "string" ? { severity: rule.severity } : {}),
    ...(typeof rule.timestamp_override === "string" ? { timestampOverride: rule.timestamp_override } : {}),
    ...(newTerms ? { newTerms } : {}),
  };
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

/**
 * Where `key = ...` is written inside `[table]` (or `[[table]]`): its offset and the key's length.
 * The start of the table's header when the key is absent, the start of the file when that is too.
 */
function keyPlace(text: string, table: string, key: string): [number, number] {
  const h = new RegExp(`^[ \\t]*\\[\\[?[ \\t]*${escape(table)}[ \\t]*\\]\\]?[ \\t]*$`, "m").exec(text);
  const start = h ? h.index + h[0].length : 0;
  const nextHeader = /^[ \t]*\[/m.exec(text.slice(start));
  const end = nextHeader ? start + nextHeader.index : text.length;
  const k = new RegExp(`^[ \\t]*${escape(key)}[ \\t]*=`, "m").exec(text.slice(start, end));
  if (k) return [start + k.index + k[0].indexOf(key), key.length];
  return h ? [h.index + h[0].search(/\S/), h[0].trim().length] : [0, 1];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * A locator that puts query offsets where the query is written in the rule file, when the file
 * writes it as a literal string ('''...''' or '...': no escapes, so offsets carry over); otherwise
 * errors point into the query text itself, named after the file.
 */
function queryLocator(text: string, file: string, query: string): OriginLocator {
  const m = /^[ \t]*query[ \t]*=[ \t]*('''|')/m.exec(text);
  if (m) {
    let start = m.index + m[0].length;
    if (m[1] === "'''") {
      if (text.startsWith("\r\n", start)) start += 2;
      else if (text.startsWith("\n", start)) start += 1;
    }
    if (text.slice(start, start + query.length) === query) {
      const source: SearchSource = { kind: "search", name: file, text };
      return { locate: (offset) => ({ source, offset: start + offset }) };
    }
  }
  return identityLocator(`${file} (query)`, query);
}
