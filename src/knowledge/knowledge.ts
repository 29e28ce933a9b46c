/**
 * The knowledge objects of the loaded apps (apps.ts), interpreted: sourcetype formats, search-time
 * field extraction and mapping, lookups, event types, tags and data models.
 *
 * Search-time operations run in Splunk's order (Knowledge Manager Manual, "The sequence of
 * search-time operations"; props.conf.spec): inline EXTRACT-, transform REPORT-, automatic
 * key-value extraction (KV_MODE), FIELDALIAS-, EVAL- (calculated fields), LOOKUP- (automatic
 * lookups), event types, tags. Here KV_MODE = json and INDEXED_EXTRACTIONS fields come from the
 * ingest step, before applySearchTime: they are in the events table already, so EXTRACT and REPORT
 * see them too (the Zeek add-on's REPORT on orig_bytes relies on that for its indexed TSV logs).
 *
 * Within a step, settings run in the ASCII order of their class names (props.conf.spec: "Class
 * governs lexicographical ordering"); each FIELDALIAS/LOOKUP sees the ones before it. Every EVAL-
 * of the stanza sees the same input ("they behave as if they are run in parallel", props.conf.spec).
 *
 * Stanza precedence (props.conf.spec, "[<spec>] stanza precedence" and "pattern collisions"):
 * [source::...] over [host::...] over [<sourcetype>], then [default]; within one kind, higher
 * `priority` first (default 100 for literal names, 0 for patterns), then ASCII order of the names.
 * Patterns: `...` any characters, `*` anything but a path separator, `.` a literal dot, the rest
 * PCRE (as JavaScript regular expressions); the whole name must match. host:: patterns ignore case
 * unless they start with (?-i). A sourcetype stanza is a pattern when its name contains `::` — the
 * undocumented `[(?::){0}bro:*:json]` trick the Zeek add-on uses (doksu/splunk_auditd#16).
 */
import { readFileSync } from "node:fs";
import { compileEval, evalToValue, isDeterministic } from "../eval/compile.js";
import type { FormatSettings } from "../ingest/format.js";
import type { EvalExpr, SearchExpr } from "../parse/ast.js";
import { compileSearchExpr } from "../search/match.js";
import { ColumnBuilder } from "../table/builder.js";
import { evaluateByCodes } from "../table/memo.js";
import { type Column, ConstantColumn, type Table } from "../table/table.js";
import { fromValues, scalarText, valuesOf, type Scalar, type Value } from "../table/value.js";
import { type ConfKind, type KnowledgeProblem, type LoadedApp, type LoadedApps, loadAllApps } from "./apps.js";
import { parseConfBool } from "./conf.js";
import { dictionarySource, encodeComputed, encodeEvaluated, encodeValues } from "./encode.js";
import { type DataModel, parseDataModel, parseEvalText, parseSearchText } from "./datamodel.js";
import { CsvLookupTable, LOOKUP_DEFAULTS, LookupError, type LookupDefinition, type LookupMatcher, type LookupTable, parseCsv, parseMatchType } from "./lookup.js";

export interface EventMeta {
  readonly sourcetype: string;
  readonly source: string;
  readonly host: string;
}

export interface KnowledgeContext {
  readonly now: number;
  readonly tz: string;
}

export interface KnowledgeOptions {
  /** Expands backtick macros in data model constraints (see datamodel.ts). */
  readonly expandMacros?: (text: string) => string;
}

interface Setting {
  readonly value: string;
  readonly file: string;
  readonly line: number;
  /** Index of the app it came from, in load order. */
  readonly app: number;
}

interface Stanza {
  readonly name: string;
  /** Where the header was first seen. */
  readonly file: string;
  readonly line: number;
  readonly settings: Map<string, Setting>;
}

type Category = "source" | "host" | "sourcetype" | "default";
const CATEGORY_RANK: Record<Category, number> = { source: 0, host: 1, sourcetype: 2, default: 3 };

interface PropsStanza extends Stanza {
  readonly category: Category;
  readonly priority: number;
  readonly test: (meta: { sourcetype: string; source: string; host: string | undefined }) => boolean;
}

// ---- parsed settings -----------------------------------------------------------------------------

interface AliasPair {
  readonly from: string;
  readonly to: string;
  readonly overwrite: boolean;
}

interface FieldMap {
  readonly lookupField: string;
  readonly eventField: string;
}

interface AutoLookupSpec {
  readonly table: string;
  readonly inputs: readonly FieldMap[];
  readonly mode: "OUTPUT" | "OUTPUTNEW";
  /** undefined: every lookup field but the inputs. */
  readonly outputs: readonly FieldMap[] | undefined;
}

interface RegexExtraction {
  readonly regex: RegExp;
  /** The field matched; `_raw` by default. */
  readonly sourceField: string;
  /** FORMAT pairs (`name::value` templates), or undefined to use the named groups. */
  readonly format: ReadonlyArray<{ readonly name: string; readonly value: string }> | undefined;
}

interface Plan {
  readonly extracts: Array<{ setting: Setting; extraction: RegexExtraction }>;
  readonly reports: Array<{ setting: Setting; extraction: RegexExtraction }>;
  readonly aliases: Array<{ setting: Setting; pairs: readonly AliasPair[] }>;
  readonly evals: Array<{ setting: Setting; field: string; expr: EvalExpr }>;
  readonly lookups: Array<{ setting: Setting; spec: AutoLookupSpec }>;
}

const MAX_PLANS = 1000;

export class Knowledge {
  readonly problems: KnowledgeProblem[] = [];
  readonly dataModels: ReadonlyMap<string, DataModel>;
  private readonly reported = new Set<string>();
  private readonly props: PropsStanza[] = [];
  private readonly transforms: Map<string, Stanza>;
  private readonly eventtypes: Array<{ name: string; expr: SearchExpr; setting: Setting }> = [];
  private readonly eventtypeTags = new Map<string, string[]>();
  private readonly fieldTags = new Map<string, Map<string, string[]>>();
  private readonly plans = new Map<string, Plan>();
  private readonly lookups = new Map<string, LookupTable | null>();

  /** The shipped apps plus the user's app folders (later ones win). Load problems are in `problems`. */
  static load(appDirs: readonly string[] = [], options: KnowledgeOptions = {}): Knowledge {
    return Knowledge.fromApps(loadAllApps(appDirs), options);
  }

  static fromApps(loaded: LoadedApps, options: KnowledgeOptions = {}): Knowledge {
    const k = new Knowledge(loaded.apps, options);
    k.problems.unshift(...loaded.problems);
    return k;
  }

  constructor(
    private readonly apps: readonly LoadedApp[],
    options: KnowledgeOptions = {},
  ) {
    for (const stanza of this.layer("props").values()) {
      const p = this.propsStanza(stanza);
      if (p) this.props.push(p);
    }
    this.props.sort(
      (a, b) => CATEGORY_RANK[a.category] - CATEGORY_RANK[b.category] || b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    this.transforms = this.layer("transforms");
    this.checkTransforms();
    this.readEventtypes();
    this.readTags();
    this.dataModels = this.readDataModels(options);
    // Parse every setting once now, so that mistakes are reported at load time.
    for (const p of this.props) this.planOf(p.settings, p.name);
  }

  // ---- sourcetypes --------------------------------------------------------------------------------

  /**
   * How files of this sourcetype are read, from props.conf: INDEXED_EXTRACTIONS = json|csv|tsv|w3c
   * or KV_MODE = json, with TIMESTAMP_FIELDS, TIME_FORMAT, TZ and
   * HEADER_FIELD_ACCEPTABLE_SPECIAL_CHARACTERS. undefined when no stanza names the sourcetype (or a
   * matching source:: stanza) or none gives a structured format: formatProblem says which.
   */
  formatFor(sourcetype: string, source?: string): FormatSettings | undefined {
    const { settings, known } = this.resolve({ sourcetype, source: source ?? "", host: undefined });
    if (!known) return undefined;
    const get = (k: string) => settings.get(k)?.value.trim() || undefined;
    const indexed = get("INDEXED_EXTRACTIONS")?.toLowerCase();
    const kvMode = get("KV_MODE")?.toLowerCase();
    // W3C extended logs (a "#Fields:" header) are read as TSV, like Zeek's logs: FormatSettings has no
    // space-separated kind, so space-separated W3C logs (IIS) are not split into fields correctly.
    const kind = indexed === "json" ? "json" : indexed === "csv" ? "csv" : indexed === "tsv" || indexed === "w3c" ? "tsv" : indexed === undefined && kvMode === "json" ? "json" : indexed === undefined && kvMode === "xml" ? "xml" : undefined;
    if (kind === undefined) return undefined;
    const timestampField = get("TIMESTAMP_FIELDS");
    const timeFormat = get("TIME_FORMAT");
    const timeZone = get("TZ");
    const special = get("HEADER_FIELD_ACCEPTABLE_SPECIAL_CHARACTERS");
    return {
      kind,
      ...(timestampField !== undefined && { timestampField }),
      ...(timeFormat !== undefined && { timeFormat }),
      ...(timeZone !== undefined && { timeZone }),
      ...(special !== undefined && kind !== "json" && kind !== "xml" && { headerSpecialCharacters: special }),
    } as FormatSettings;
  }

  /** Why formatFor gives undefined, as a sentence; undefined when it does not. */
  formatProblem(sourcetype: string, source?: string): string | undefined {
    if (this.formatFor(sourcetype, source) !== undefined) return undefined;
    const { settings, known } = this.resolve({ sourcetype, source: source ?? "", host: undefined });
    if (!known) return `unknown sourcetype ${sourcetype}: no props.conf stanza in the loaded apps (add one with --apps)`;
    const indexed = settings.get("INDEXED_EXTRACTIONS");
    if (indexed) return `sourcetype ${sourcetype}: INDEXED_EXTRACTIONS = ${indexed.value} is not supported (json, csv, tsv or w3c) (${indexed.file}:${indexed.line})`;
    return `sourcetype ${sourcetype} has no structured format: its props.conf stanza sets neither KV_MODE = json nor INDEXED_EXTRACTIONS = json|csv|tsv`;
  }

  /** Literal sourcetype stanza names, sorted (for messages). */
  sourcetypes(): string[] {
    return this.props
      .filter((p) => p.category === "sourcetype" && !p.name.includes("::"))
      .map((p) => p.name)
      .sort();
  }

  // ---- search time --------------------------------------------------------------------------------

  /**
   * The search-time fields of one dataset's events, added as columns: EXTRACT-, REPORT-,
   * FIELDALIAS-, EVAL-, LOOKUP-, then `eventtype` and `tag` (multivalue, sorted). host, source and
   * sourcetype columns are added from `meta` when the table lacks them.
   */
  applySearchTime(events: Table, meta: EventMeta, ctx: KnowledgeContext): Table {
    let t = events;
    for (const k of ["host", "source", "sourcetype"] as const) {
      if (!t.has(k)) t = t.withColumn(k, new ConstantColumn(t.length, meta[k]));
    }
    const plan = this.planFor(meta);
    for (const { extraction } of plan.extracts) t = applyExtraction(t, extraction);
    for (const { extraction } of plan.reports) t = applyExtraction(t, extraction);
    for (const { pairs } of plan.aliases) t = applyAliases(t, pairs);
    t = this.applyEvals(t, plan.evals, ctx);
    for (const { setting, spec } of plan.lookups) t = this.applyLookup(t, spec, setting);
    t = this.applyEventtypes(t, ctx);
    return this.applyTags(t);
  }

  private applyEvals(t: Table, evals: Plan["evals"], ctx: KnowledgeContext): Table {
    if (evals.length === 0) return t;
    // All compiled against the same input: calculated fields do not see each other.
    const computed: Array<[string, Column]> = [];
    for (const { setting, field, expr } of evals) {
      try {
        if (isDeterministic(expr)) {
          computed.push([field, encodeComputed(t, (view) => {
            const f = compileEval(expr, view, ctx);
            return (row) => evalToValue(f(row));
          })]);
          continue;
        }
        const f = compileEval(expr, t, ctx);
        const values = new Array<Value>(t.length);
        for (let row = 0; row < t.length; row++) values[row] = evalToValue(f(row));
        computed.push([field, encodeValues(values)]);
      } catch (e) {
        this.report({ file: setting.file, line: setting.line, message: `EVAL-${field}: ${(e as Error).message}; skipped` });
      }
    }
    return t.withColumns(computed);
  }

  private applyLookup(t: Table, spec: AutoLookupSpec, setting: Setting): Table {
    const table = this.lookup(spec.table);
    if (!table) {
      this.report({ file: setting.file, line: setting.line, message: `lookup ${spec.table} is not defined (no transforms.conf stanza and no lookups/${spec.table}); skipped` });
      return t;
    }
    const outputs = spec.outputs ?? table.fields.filter((f) => !spec.inputs.some((i) => i.lookupField === f)).map((f) => ({ lookupField: f, eventField: f }));
    let matcher: LookupMatcher;
    try {
      matcher = table.matcher(
        spec.inputs.map((i) => i.lookupField),
        outputs.map((o) => o.lookupField),
      );
    } catch (e) {
      if (!(e instanceof LookupError)) throw e;
      this.report({ file: setting.file, line: setting.line, message: `${e.message}; skipped` });
      return t;
    }
    if (spec.inputs.some((i) => !t.has(i.eventField))) return t; // an input field no event has: nothing to match
    // Looked up once per distinct combination of the values read (lookup.ts matchers are pure).
    const evaluated = evaluateByCodes(t, (view) => {
      const inCols = spec.inputs.map((i) => view.column(i.eventField)!);
      const outExisting = outputs.map((o) => view.column(o.eventField));
      const existing = (row: number): Value[] => outExisting.map((c) => (c ? c.get(row) : null));
      const inputs = new Array<Value>(inCols.length).fill(null);
      return (row: number): readonly Value[] => {
        for (let i = 0; i < inCols.length; i++) {
          inputs[i] = inCols[i]!.get(row);
          // An event without every match field is left alone (props.conf.spec, LOOKUP-).
          if (inputs[i] === null) return existing(row);
        }
        const found = matcher(inputs);
        // OUTPUT overwrites, and an event with no matching entry has its outputs cleared.
        if (spec.mode === "OUTPUT") return outputs.map((_, k) => (found ? (found[k] ?? null) : null));
        return existing(row).map((v, k) => (v === null && found ? (found[k] ?? null) : v));
      };
    });
    return t.withColumns(
      outputs.map((o, k) => [o.eventField, encodeEvaluated({ ids: evaluated.ids, results: evaluated.results.map((r) => r[k] ?? null) }, t.length)] as [string, Column]),
    );
  }

  private applyEventtypes(t: Table, ctx: KnowledgeContext): Table {
    if (this.eventtypes.length === 0) return t;
    // Tested once per distinct combination of the values the searches read (sourcetype ...).
    const evaluated = evaluateByCodes(t, (view) => {
      const tests: Array<{ name: string; test: (row: number) => boolean }> = [];
      for (const et of this.eventtypes) {
        try {
          tests.push({ name: et.name, test: compileSearchExpr(et.expr, view, ctx) });
        } catch (e) {
          this.report({ file: et.setting.file, line: et.setting.line, message: `eventtype ${et.name}: ${(e as Error).message}; skipped` });
        }
      }
      const memo = new Map<string, Value>();
      const hits: number[] = [];
      return (row: number): Value => {
        hits.length = 0;
        for (let i = 0; i < tests.length; i++) if (tests[i]!.test(row)) hits.push(i);
        if (hits.length === 0) return null;
        if (hits.length === 1) return tests[hits[0]!]!.name;
        const key = hits.join(",");
        let v = memo.get(key);
        if (v === undefined) memo.set(key, (v = fromValues(hits.map((i) => tests[i]!.name))));
        return v;
      };
    });
    return t.withColumn("eventtype", encodeEvaluated(evaluated, t.length));
  }

  private applyTags(t: Table): Table {
    const sources: Array<{ field: string; tags: (v: Scalar) => readonly string[] | undefined }> = [];
    if (t.has("eventtype") && this.eventtypeTags.size > 0) sources.push({ field: "eventtype", tags: (v) => this.eventtypeTags.get(scalarText(v)) });
    for (const [field, byValue] of this.fieldTags) {
      if (t.has(field)) sources.push({ field, tags: (v) => byValue.get(scalarText(v).toLowerCase()) });
    }
    if (sources.length === 0) return t;
    // Once per distinct combination of the tagged fields' values.
    const evaluated = evaluateByCodes(t, (view) => {
      const columns = sources.map((s) => view.column(s.field)!);
      const acc: string[] = [];
      // Rows with the same tags share one value.
      const memo = new Map<string, Value>();
      return (row: number): Value => {
        acc.length = 0;
        for (let i = 0; i < sources.length; i++) {
          for (const v of valuesOf(columns[i]!.get(row))) {
            const tags = sources[i]!.tags(v);
            if (tags) for (const tag of tags) if (!acc.includes(tag)) acc.push(tag);
          }
        }
        if (acc.length <= 1) return acc[0] ?? null;
        acc.sort();
        const key = acc.join("\u0000");
        let v = memo.get(key);
        if (v === undefined) memo.set(key, (v = [...acc]));
        return v;
      };
    });
    return t.withColumn("tag", encodeEvaluated(evaluated, t.length));
  }

  // ---- lookups ------------------------------------------------------------------------------------

  /**
   * A lookup by transforms.conf stanza name, or a bare file name (`name.csv`) in an app's lookups/
   * folder, with default matching rules. undefined when neither exists. The file is read on first use.
   */
  lookup(name: string): LookupTable | undefined {
    if (this.lookups.has(name)) return this.lookups.get(name) ?? undefined;
    const table = this.buildLookup(name);
    this.lookups.set(name, table ?? null);
    return table;
  }

  /** Names `lookup(name)` answers: transforms.conf lookup stanzas and lookup file names. */
  lookupNames(): string[] {
    const names = new Set<string>();
    for (const [name, stanza] of this.transforms) if (stanza.settings.has("filename")) names.add(name);
    for (const app of this.apps) for (const f of app.lookupFiles.keys()) names.add(f);
    return [...names].sort();
  }

  private buildLookup(name: string): LookupTable | undefined {
    const stanza = this.transforms.get(name);
    let def: LookupDefinition | undefined;
    let preferApp: number | undefined;
    if (stanza?.settings.has("filename")) {
      const d = this.lookupDefinition(stanza);
      if (!d) return undefined;
      def = d;
      preferApp = stanza.settings.get("filename")!.app;
    } else if (/\.csv$/i.test(name) && !/[\\/]/.test(name)) {
      // A bare file name; a path is not a lookup name (the file would still be looked for only in lookups/).
      def = { name, filename: name, matchTypes: new Map(), ...LOOKUP_DEFAULTS };
    } else {
      return undefined;
    }
    const path = this.lookupFile(def.filename, preferApp);
    if (!path) return undefined;
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      this.report({ file: path, message: `cannot read lookup file: ${(e as Error).message}` });
      return undefined;
    }
    const { header, rows } = parseCsv(text);
    if (header.length === 0) {
      this.report({ file: path, message: "the lookup file has no header line" });
      return undefined;
    }
    return new CsvLookupTable(def, header, rows);
  }

  /** The file in a lookups/ folder: the defining app's first, then the others, later apps first. */
  private lookupFile(filename: string, preferApp: number | undefined): string | undefined {
    // "Only file names are supported ... the Splunk software strips the path" (transforms.conf.spec).
    const base = filename.split(/[\\/]/).pop() ?? "";
    if (base === "" || base === "." || base === "..") return undefined;
    const order = [...this.apps.keys()].reverse();
    if (preferApp !== undefined) order.unshift(preferApp);
    for (const i of order) {
      const path = this.apps[i]?.lookupFiles.get(base);
      if (path) return path;
    }
    return undefined;
  }

  private lookupDefinition(stanza: Stanza): LookupDefinition | undefined {
    const s = stanza.settings;
    const filename = s.get("filename")!;
    const int = (key: string, fallback: number, min: number, max: number): number => {
      const set = s.get(key);
      if (!set) return fallback;
      const n = Number(set.value.trim());
      if (!Number.isInteger(n) || n < min || n > max) {
        this.report({ file: set.file, line: set.line, message: `[${stanza.name}] ${key} must be an integer from ${min} to ${max}, not "${set.value}"; using ${fallback}` });
        return fallback;
      }
      return n;
    };
    let caseSensitive: boolean = LOOKUP_DEFAULTS.caseSensitive;
    const cs = s.get("case_sensitive_match");
    if (cs) {
      const b = parseConfBool(cs.value);
      if (b === undefined) this.report({ file: cs.file, line: cs.line, message: `[${stanza.name}] case_sensitive_match must be true or false, not "${cs.value}"` });
      else caseSensitive = b;
    }
    const mt = s.get("match_type");
    const matchTypes = mt ? parseMatchType(mt.value) : { types: new Map(), problems: [] };
    for (const p of matchTypes.problems) this.report({ file: mt!.file, line: mt!.line, message: `[${stanza.name}] ${p}` });
    return {
      name: stanza.name,
      filename: filename.value.trim(),
      matchTypes: matchTypes.types,
      caseSensitive,
      maxMatches: int("max_matches", LOOKUP_DEFAULTS.maxMatches, 1, 1000),
      minMatches: int("min_matches", LOOKUP_DEFAULTS.minMatches, 0, 1000),
      defaultMatch: s.get("default_match")?.value ?? LOOKUP_DEFAULTS.defaultMatch,
    };
  }

  private checkTransforms(): void {
    for (const [name, stanza] of this.transforms) {
      const s = stanza.settings;
      for (const key of ["external_cmd", "collection", "external_type"]) {
        const set = s.get(key);
        if (set) this.report({ file: set.file, line: set.line, message: `[${name}] ${key}: external and KV store lookups are not supported` });
      }
      const filename = s.get("filename");
      if (!filename) continue;
      const def = this.lookupDefinition(stanza);
      if (def && !this.lookupFile(def.filename, filename.app)) {
        this.report({ file: filename.file, line: filename.line, message: `[${name}] lookup file ${def.filename} is not in any app's lookups/ folder` });
      }
      const tf = s.get("time_field");
      if (tf) this.report({ file: tf.file, line: tf.line, message: `[${name}] time_field: time-bounded lookups are matched without regard to time` });
    }
  }

  // ---- event types and tags -----------------------------------------------------------------------

  private readEventtypes(): void {
    for (const [name, stanza] of this.layer("eventtypes")) {
      if (name === "default") continue;
      const disabled = stanza.settings.get("disabled");
      if (disabled && parseConfBool(disabled.value) === true) continue;
      const search = stanza.settings.get("search");
      if (!search) continue;
      if (/%[^%\s]+%/.test(name)) {
        this.report({ file: search.file, line: search.line, message: `eventtype ${name}: templated eventtype names (%field%) are not supported; skipped` });
        continue;
      }
      const expr = parseSearchText(search.value, `eventtype ${name}`);
      if (typeof expr === "string") {
        this.report({ file: search.file, line: search.line, message: `eventtype ${name}: ${expr}; skipped` });
        continue;
      }
      this.eventtypes.push({ name, expr, setting: search });
    }
    this.eventtypes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** tags.conf: `[eventtype=name]` and `[field=value]` stanzas of `tag = enabled|disabled`. */
  private readTags(): void {
    for (const [name, stanza] of this.layer("tags")) {
      if (name === "default") continue;
      const eq = name.indexOf("=");
      if (eq <= 0) {
        this.report({ file: stanza.file, line: stanza.line, message: `tags.conf stanza [${name}] is not [field=value]; skipped` });
        continue;
      }
      const field = name.slice(0, eq).trim();
      let value = name.slice(eq + 1).trim();
      // "It is recommended that the value be URL encoded" (tags.conf.spec).
      try {
        value = decodeURIComponent(value);
      } catch {
        // not URL-encoded: keep as written
      }
      const tags: string[] = [];
      for (const [tag, set] of stanza.settings) {
        const v = set.value.trim().toLowerCase();
        if (v === "enabled") tags.push(tag);
        else if (v !== "disabled") this.report({ file: set.file, line: set.line, message: `[${name}] ${tag} must be enabled or disabled, not "${set.value}"` });
      }
      if (tags.length === 0) continue;
      if (field === "eventtype") {
        this.eventtypeTags.set(value, tags);
      } else {
        let byValue = this.fieldTags.get(field);
        if (!byValue) this.fieldTags.set(field, (byValue = new Map()));
        byValue.set(value.toLowerCase(), tags);
      }
    }
  }

  // ---- data models --------------------------------------------------------------------------------

  private readDataModels(options: KnowledgeOptions): Map<string, DataModel> {
    const models = new Map<string, DataModel>();
    for (const app of this.apps) {
      for (const { file, json } of app.dataModels) {
        const { model, problems } = parseDataModel(json, file, options.expandMacros);
        for (const p of problems) this.report(p);
        if (model) models.set(model.name, model);
      }
    }
    return models;
  }

  // ---- props resolution ---------------------------------------------------------------------------

  /** Every stanza of one kind across the apps, later files' settings winning key by key. */
  private layer(kind: ConfKind): Map<string, Stanza> {
    const merged = new Map<string, Stanza>();
    this.apps.forEach((app, index) => {
      for (const file of app.confs[kind]) {
        for (const s of file.stanzas) {
          let m = merged.get(s.name);
          if (!m) merged.set(s.name, (m = { name: s.name, file: file.file, line: s.line, settings: new Map() }));
          for (const e of s.entries) m.settings.set(e.key, { value: e.value, file: file.file, line: e.line, app: index });
        }
      }
    });
    return merged;
  }

  private propsStanza(stanza: Stanza): PropsStanza | undefined {
    const name = stanza.name;
    const prio = stanza.settings.get("priority");
    const priority = (literal: boolean) => {
      const n = prio ? Number(prio.value.trim()) : NaN;
      return Number.isFinite(n) ? n : literal ? 100 : 0;
    };
    if (name === "default") return { ...stanza, category: "default", priority: 0, test: () => true };
    if (/^(delayed)?rule::/.test(name)) return undefined; // source type classification: not search time
    const fail = (message: string) => {
      this.report({ file: stanza.file, line: stanza.line, message: `[${name}]: ${message}; skipped` });
      return undefined;
    };
    for (const [prefix, category] of [
      ["source::", "source"],
      ["host::", "host"],
    ] as const) {
      if (!name.startsWith(prefix)) continue;
      const compiled = compileStanzaPattern(name.slice(prefix.length), category === "host");
      if (typeof compiled === "string") return fail(compiled);
      const literal = isLiteralPattern(name.slice(prefix.length));
      const test =
        category === "source"
          ? (m: { source: string }) => compiled.test(m.source)
          : (m: { host: string | undefined }) => m.host !== undefined && compiled.test(m.host);
      return { ...stanza, category, priority: priority(literal), test };
    }
    if (name.includes("::")) {
      const compiled = compileStanzaPattern(name, false);
      if (typeof compiled === "string") return fail(compiled);
      return { ...stanza, category: "sourcetype", priority: priority(false), test: (m) => compiled.test(m.sourcetype) };
    }
    return { ...stanza, category: "sourcetype", priority: priority(true), test: (m) => m.sourcetype === name };
  }

  /** The effective settings for an event: the first stanza (in precedence order) setting a key wins. */
  private resolve(meta: { sourcetype: string; source: string; host: string | undefined }): { settings: Map<string, Setting>; known: boolean } {
    const settings = new Map<string, Setting>();
    let known = false;
    for (const p of this.props) {
      if (!p.test(meta)) continue;
      if (p.category !== "default") known = true;
      for (const [k, s] of p.settings) if (k !== "priority" && !settings.has(k)) settings.set(k, s);
    }
    return { settings, known };
  }

  private planFor(meta: EventMeta): Plan {
    const key = `${meta.sourcetype}\u0000${meta.source}\u0000${meta.host}`;
    let plan = this.plans.get(key);
    if (!plan) {
      plan = this.planOf(this.resolve(meta).settings, meta.sourcetype);
      if (this.plans.size >= MAX_PLANS) this.plans.clear();
      this.plans.set(key, plan);
    }
    return plan;
  }

  private planOf(settings: ReadonlyMap<string, Setting>, what: string): Plan {
    const plan: Plan = { extracts: [], reports: [], aliases: [], evals: [], lookups: [] };
    const keys = [...settings.keys()].sort();
    for (const key of keys) {
      const setting = settings.get(key)!;
      const at = { file: setting.file, line: setting.line };
      const problem = (message: string) => this.report({ ...at, message: `${key}: ${message}; skipped` });
      if (key.startsWith("EXTRACT-")) {
        const ex = parseExtract(setting.value);
        if (typeof ex === "string") problem(ex);
        else plan.extracts.push({ setting, extraction: ex });
      } else if (key.startsWith("REPORT-")) {
        for (const name of setting.value.split(",").map((n) => n.trim()).filter((n) => n !== "")) {
          const ex = this.reportTransform(name);
          if (typeof ex === "string") problem(ex);
          else plan.reports.push({ setting, extraction: ex });
        }
      } else if (key.startsWith("FIELDALIAS-")) {
        const pairs = parseFieldAlias(setting.value);
        if (typeof pairs === "string") problem(pairs);
        else plan.aliases.push({ setting, pairs });
      } else if (key.startsWith("EVAL-")) {
        const field = key.slice("EVAL-".length).trim();
        const expr = parseEvalText(setting.value);
        if (field === "") problem("EVAL- needs a field name after the dash");
        else if (typeof expr === "string") problem(expr);
        else plan.evals.push({ setting, field, expr });
      } else if (/^lookup[-_]?/i.test(key)) {
        // "The LOOKUP- prefix is actually case-insensitive" (props.conf.spec).
        const spec = parseAutoLookup(setting.value);
        if (typeof spec === "string") problem(spec);
        else plan.lookups.push({ setting, spec });
      } else if (key === "KV_MODE") {
        const v = setting.value.trim().toLowerCase();
        if (!["json", "xml", "none", "auto", "auto_escaped", ""].includes(v)) this.report({ ...at, message: `KV_MODE = ${setting.value} is not supported for ${what} (json and xml are; others extract nothing)` });
      }
    }
    return plan;
  }

  private reportTransform(name: string): RegexExtraction | string {
    const stanza = this.transforms.get(name);
    if (!stanza) return `transforms.conf has no stanza [${name}]`;
    const s = stanza.settings;
    if (s.has("DELIMS") || s.has("FIELDS")) return `[${name}]: DELIMS/FIELDS extractions are not supported`;
    const regex = s.get("REGEX");
    if (!regex) return `[${name}] has no REGEX`;
    const re = pcreToRegExp(regex.value, "");
    if (typeof re === "string") return `[${name}] REGEX: ${re}`;
    const formatText = s.get("FORMAT")?.value.trim();
    let format: RegexExtraction["format"];
    if (formatText) {
      const f = parseFormat(formatText);
      if (typeof f === "string") return `[${name}] FORMAT: ${f}`;
      format = f;
    }
    const sourceKey = s.get("SOURCE_KEY")?.value.trim() || "_raw";
    return { regex: re, sourceField: sourceKey, format };
  }

  private report(p: KnowledgeProblem): void {
    const key = `${p.file}:${p.line ?? ""}:${p.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problems.push(p);
  }
}

// ---- stanza patterns ---------------------------------------------------------------------------------

/** Whether a stanza pattern matches only itself (no wildcard or regex syntax). */
function isLiteralPattern(pattern: string): boolean {
  return !/[*|()[\]?+{}^$\\]/.test(pattern) && !pattern.includes("...");
}

/**
 * A props.conf stanza pattern as a regular expression over the whole value: `...` → any
 * characters, `*` → anything but a path separator, `.` → a literal dot, everything else PCRE.
 * A leading `(?-i)` / `(?i)` sets case sensitivity. Returns what is wrong when it does not compile.
 */
export function compileStanzaPattern(pattern: string, ignoreCase: boolean): RegExp | string {
  let p = pattern;
  let flags = ignoreCase ? "i" : "";
  if (p.startsWith("(?-i)")) {
    flags = "";
    p = p.slice(5);
  } else if (p.startsWith("(?i)")) {
    flags = "i";
    p = p.slice(4);
  }
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "\\") {
      out += c + (p[i + 1] ?? "\\");
      i++;
    } else if (p.startsWith("...", i)) {
      out += "[\\s\\S]*";
      i += 2;
    } else if (c === "*") out += "[^/\\\\]*";
    else if (c === ".") out += "\\.";
    else out += c;
  }
  try {
    return new RegExp(`^(?:${out})$`, flags);
  } catch (e) {
    return `the stanza pattern does not compile: ${(e as Error).message}`;
  }
}

// ---- regular expressions (EXTRACT, REPORT) -------------------------------------------------------------

/**
 * A PCRE pattern as a JavaScript RegExp: leading inline flags `(?i)`, `(?s)`, `(?m)` become flags,
 * `(?P<name>` becomes `(?<name>`, `\A` and `\z`/`\Z` become anchors. What JavaScript cannot
 * express (possessive quantifiers, atomic groups, `(?x)`) is reported.
 */
export function pcreToRegExp(pattern: string, baseFlags: string): RegExp | string {
  let p = pattern;
  const flags = new Set(baseFlags.split("").filter((f) => f !== ""));
  for (let m = /^\(\?([a-zA-Z]+)\)/.exec(p); m; m = /^\(\?([a-zA-Z]+)\)/.exec(p)) {
    for (const f of m[1]!) {
      if (f === "i" || f === "s" || f === "m") flags.add(f);
      else return `the inline flag (?${f}) is not supported`;
    }
    p = p.slice(m[0].length);
  }
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "\\") {
      const n = p[i + 1];
      if (n === "A") out += "^";
      else if (n === "z" || n === "Z") out += "$";
      else out += c + (n ?? "\\");
      i++;
    } else if (p.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
    } else out += c;
  }
  try {
    return new RegExp(out, [...flags].join(""));
  } catch (e) {
    return `not a regular expression JavaScript can run: ${(e as Error).message}`;
  }
}

/** `EXTRACT-<class> = <regex> [in <src_field>]` (props.conf.spec); named groups give the fields. */
function parseExtract(value: string): RegexExtraction | string {
  const m = /^([\s\S]*?)\s+in\s+([A-Za-z0-9_]+)\s*$/.exec(value);
  const regexText = m ? m[1]! : value.trim();
  // "dotall (?s) and multi-line (?m) modifiers are added in front of the regex" (props.conf.spec).
  const re = pcreToRegExp(regexText, "ms");
  if (typeof re === "string") return re;
  if (!/\(\?P?<[A-Za-z_]/.test(regexText)) return "the regular expression has no named capturing group, so it extracts nothing";
  return { regex: re, sourceField: m ? m[2]! : "_raw", format: undefined };
}

/** `FORMAT = name::$1 other::"literal $2"`: whitespace-separated `name::value` templates. */
function parseFormat(text: string): Array<{ name: string; value: string }> | string {
  const pairs: Array<{ name: string; value: string }> = [];
  const tokens = tokenize(text, false);
  if (typeof tokens === "string") return tokens;
  for (const t of tokens) {
    const sep = t.indexOf("::");
    if (sep <= 0) return `expected name::value, found "${t}" (only field::value pairs are supported at search time)`;
    pairs.push({ name: unquote(t.slice(0, sep)), value: unquote(t.slice(sep + 2)) });
  }
  return pairs;
}

/** Splits on whitespace (and commas when asked), keeping double-quoted parts together. */
function tokenize(text: string, commas: boolean): string[] | string {
  const out: string[] = [];
  let cur = "";
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuote) {
      cur += c;
      if (c === "\\" && i + 1 < text.length) cur += text[++i]!;
      else if (c === '"') inQuote = false;
    } else if (c === '"') {
      inQuote = true;
      cur += c;
    } else if (/\s/.test(c) || (commas && c === ",")) {
      if (cur !== "") out.push(cur);
      cur = "";
    } else cur += c;
  }
  if (inQuote) return "unbalanced double quote";
  if (cur !== "") out.push(cur);
  return out;
}

function unquote(t: string): string {
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, "$1") : t;
}

function applyExtraction(t: Table, ex: RegexExtraction): Table {
  const source = t.column(ex.sourceField);
  if (!source) return t;
  const names: string[] = [];
  const columns = new Map<string, Column>();
  if (dictionarySource(source)) {
    // Matched once per distinct value of the source field: each result is the fields it sets.
    const { ids, results } = evaluateByCodes(t, (view) => {
      const column = view.column(ex.sourceField)!;
      return (row: number): ReadonlyMap<string, string> | null => {
        let fields: Map<string, string> | null = null;
        extractFields(ex, column.get(row), (field, value) => (fields ??= new Map()).set(field, value));
        return fields;
      };
    });
    for (const r of results) if (r) for (const f of r.keys()) if (!columns.has(f)) (names.push(f), columns.set(f, encodeEvaluated({ ids, results: results.map((x) => x?.get(f) ?? null) }, t.length)));
  } else {
    // Values mostly distinct (byte counts ...): matched row by row, straight into the columns.
    const builders = new Map<string, ColumnBuilder>();
    let row = 0;
    const set = (field: string, value: string): void => {
      let b = builders.get(field);
      if (!b) (names.push(field), builders.set(field, (b = new ColumnBuilder(t.length))));
      b.setShared(row, value);
    };
    for (; row < t.length; row++) extractFields(ex, source.get(row), set);
    for (const [f, b] of builders) columns.set(f, b.finish(t.length));
  }
  // Rows the extraction sets nothing for keep the field's value.
  return t.withColumns(
    names.map((field) => {
      const extracted = columns.get(field)!;
      const existing = t.column(field);
      if (!existing) return [field, extracted] as [string, Column];
      const merged = new Array<Value>(t.length);
      for (let row = 0; row < t.length; row++) merged[row] = extracted.get(row) ?? existing.get(row);
      return [field, encodeValues(merged)] as [string, Column];
    }),
  );
}

/** The fields a REPORT-/EXTRACT- sets from a value: the first of its values that matches (props.conf.spec). */
function extractFields(ex: RegexExtraction, v: Value, set: (field: string, value: string) => void): void {
  if (v === null) return;
  if (!Array.isArray(v)) {
    extractFromText(ex, scalarText(v as Scalar), set);
    return;
  }
  for (const s of v as readonly Scalar[]) if (extractFromText(ex, scalarText(s), set)) return;
}

/** Whether the regex matches `text`; if so, the fields it sets are given to `set`. */
function extractFromText(ex: RegexExtraction, text: string, set: (field: string, value: string) => void): boolean {
  ex.regex.lastIndex = 0;
  const m = ex.regex.exec(text);
  if (!m) return false;
  // KEEP_EMPTY_VALS defaults to false: an empty value makes no field (transforms.conf.spec).
  const keep = (field: string, value: string): void => {
    if (field !== "" && value !== "") set(field, value);
  };
  if (ex.format) {
    for (const pair of ex.format) keep(substitute(pair.name, m), substitute(pair.value, m));
    return true;
  }
  const groups = m.groups ?? {};
  for (const [name, value] of Object.entries(groups)) {
    if (value === undefined || name.startsWith("_VAL_")) continue;
    // _KEY_<n> / _VAL_<n> pairs name the field by what was matched (transforms.conf.spec).
    const key = /^_KEY_(\w+)$/.exec(name);
    if (key) keep(value, groups[`_VAL_${key[1]}`] ?? "");
    else keep(name, value);
  }
  return true;
}

/** `$1`..`$9` (and `$0`) replaced by the match's groups; absent groups give "". */
function substitute(template: string, m: RegExpExecArray): string {
  if (!template.includes("$")) return template;
  if (template.length === 2 && template.charCodeAt(1) >= 0x30 && template.charCodeAt(1) <= 0x39) return m[template.charCodeAt(1) - 0x30] ?? "";
  return template.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? "");
}

// ---- FIELDALIAS ----------------------------------------------------------------------------------------

/** `FIELDALIAS-<class> = (<orig_field_name> AS|ASNEW <new_field_name>)+` */
function parseFieldAlias(value: string): AliasPair[] | string {
  const tokens = tokenize(value, false);
  if (typeof tokens === "string") return tokens;
  if (tokens.length === 0 || tokens.length % 3 !== 0) return `expected "<field> AS <alias>" (one or more), found "${value}"`;
  const pairs: AliasPair[] = [];
  for (let i = 0; i < tokens.length; i += 3) {
    const kw = tokens[i + 1]!.toUpperCase();
    if (kw !== "AS" && kw !== "ASNEW") return `expected AS or ASNEW after ${tokens[i]}, found "${tokens[i + 1]}"`;
    pairs.push({ from: unquote(tokens[i]!), to: unquote(tokens[i + 2]!), overwrite: kw === "AS" });
  }
  return pairs;
}

/**
 * props.conf.spec: with AS the alias takes the original's value, and is removed where the original
 * has none; with ASNEW an existing alias value is kept, and the alias is kept where the original has
 * none. The original field stays.
 */
function applyAliases(t: Table, pairs: readonly AliasPair[]): Table {
  let out = t;
  for (const { from, to, overwrite } of pairs) {
    const orig = out.column(from);
    const existing = out.column(to);
    if (overwrite) {
      out = orig ? out.withColumn(to, orig) : existing ? out.without([to]) : out;
    } else if (orig) {
      out = out.withColumn(to, existing ? new CoalesceColumn(existing, orig) : orig);
    }
  }
  return out;
}

/** The first column's value, or the second's where the first is null. */
class CoalesceColumn implements Column {
  constructor(
    private readonly first: Column,
    private readonly second: Column,
  ) {}
  get length(): number {
    return this.first.length;
  }
  get(row: number): Value {
    const v = this.first.get(row);
    return v !== null ? v : this.second.get(row);
  }
}

// ---- LOOKUP --------------------------------------------------------------------------------------------

/**
 * `LOOKUP-<class> = $TRANSFORM (<match_field> (AS <match_field_in_event>)?)+
 *   (OUTPUT|OUTPUTNEW (<output_field> (AS <output_field_in_event>)? )+ )?` (props.conf.spec);
 * commas between fields are allowed.
 */
function parseAutoLookup(value: string): AutoLookupSpec | string {
  const raw = tokenize(value, true);
  if (typeof raw === "string") return raw;
  const tokens = raw.map(unquote);
  const table = tokens[0];
  if (!table) return "expected a lookup name and the fields to match";
  let i = 1;
  const readMaps = (stopAtOutput: boolean): FieldMap[] => {
    const maps: FieldMap[] = [];
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (stopAtOutput && /^(OUTPUT|OUTPUTNEW)$/i.test(t)) break;
      i++;
      if (tokens[i]?.toUpperCase() === "AS" && tokens[i + 1] !== undefined) {
        maps.push({ lookupField: t, eventField: tokens[i + 1]! });
        i += 2;
      } else maps.push({ lookupField: t, eventField: t });
    }
    return maps;
  };
  const inputs = readMaps(true);
  if (inputs.length === 0) return `expected a field to match after ${table}`;
  if (inputs.some((m) => /^as$/i.test(m.lookupField))) return `misplaced AS in "${value}"`;
  if (i >= tokens.length) return { table, inputs, mode: "OUTPUT", outputs: undefined };
  const mode = tokens[i++]!.toUpperCase() as "OUTPUT" | "OUTPUTNEW";
  const outputs = readMaps(false);
  if (outputs.length === 0) return `expected the fields to write after ${mode}`;
  if (outputs.some((m) => /^(as|output|outputnew)$/i.test(m.lookupField))) return `misplaced keyword in "${value}"`;
  return { table, inputs, mode, outputs };
}
