/**
 * ECS mappings as data: YAML files (spelunk's mappings/ folder, and any folder a user adds) that say
 * which events of which sourcetype become Elastic Common Schema documents, and how each ECS field is
 * made from the event's fields. One file, one kind of event:
 *
 *   name: sysmon-network-nxlog
 *   sourcetypes: [nxlog:sysmon:json]        # the datasets it applies to (exact names)
 *   sources: ["*Sysmon*"]                    # optional: source patterns (* = anything)
 *   where: { EventID: 3 }                    # optional: field = value (or a list of values) for every condition
 *   index: logs-windows.sysmon_operational-default   # the index of its documents when a dataset names none
 *   format: xml                              # optional: how to read the file when props.conf gives no format
 *   fields:
 *     "@timestamp": { from: UtcTime, type: date }
 *     event.category: { value: [network] }
 *     process.pid: { from: ProcessId, type: long }
 *     process.name: { from: Image, regex: '([^\\]+)$' }
 *     network.direction: { from: Initiated, map: { "true": egress, "false": ingress } }
 *
 * A field spec is applied in this order: `from` (a field, or a list: the first one the event has;
 * `_time` is the event's time; an item `{ field, regex }` takes the regex's first group from that
 * field, and counts as absent when it does not match), or `fromAll` (several fields, their values joined with "|", all
 * needed), or `value` (a constant, a list makes an array); then `ignore` (values that mean "none",
 * e.g. "-"), `regex` (its first group, or the whole match; no match: no value), `lowercase`, `map`
 * (value → value; a value not listed: no value), `type` (keyword by default; long, integer, double,
 * float, ip, date, boolean: a value that does not convert gives no field, as Elastic's converters
 * with fail_on_error false do), `scale` (a number to multiply by), and for dates `format`
 * (strptime, as props.conf TIME_FORMAT) and `timezone` (default UTC). Dates are written as
 * ISO-8601 with milliseconds (`2024-03-08T10:00:00.000Z`).
 * The `type`s also tell KQL how to compare values (an ip field matches CIDR ranges).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { timeParser } from "../ingest/time.js";
import { parseIp } from "../search/match.js";
import type { Table } from "../table/table.js";
import { scalarText, valuesOf, type Scalar } from "../table/value.js";
import { setPath } from "../kql/document.js";

export const ECS_TYPES = ["keyword", "long", "integer", "short", "byte", "double", "float", "ip", "date", "boolean"] as const;
export type EcsType = (typeof ECS_TYPES)[number];

export interface MappingProblem {
  readonly file: string;
  readonly message: string;
}

interface FieldSpec {
  readonly field: string;
  readonly type: EcsType;
  readonly from?: ReadonlyArray<{ readonly field: string; readonly regex?: RegExp }>;
  readonly fromAll?: readonly string[];
  readonly value?: Scalar | readonly Scalar[];
  readonly ignore?: ReadonlySet<string>;
  readonly regex?: RegExp;
  readonly lowercase: boolean;
  readonly map?: ReadonlyMap<string, Scalar>;
  readonly scale?: number;
  readonly parseTime?: (v: Scalar) => number | undefined;
}

export interface EcsMapping {
  readonly name: string;
  readonly file: string;
  readonly sourcetypes: readonly string[];
  readonly sources?: readonly RegExp[];
  readonly where: ReadonlyArray<{ field: string; values: readonly string[] }>;
  readonly index?: string;
  readonly format?: "json" | "xml" | "csv" | "tsv";
  readonly fields: readonly FieldSpec[];
}

export interface MappingSet {
  readonly mappings: readonly EcsMapping[];
  readonly problems: readonly MappingProblem[];
  /** ECS field → type, over every mapping (the first declaration wins; conflicts are problems). */
  readonly fieldTypes: ReadonlyMap<string, EcsType>;
}

/** The package's mappings/ folder (src/elastic or dist/elastic are two levels below the root). */
export function shippedMappingsDir(): string {
  return fileURLToPath(new URL("../../mappings/", import.meta.url));
}

const MAX_FILES = 1000;

/** The shipped mappings, then each folder (or file) given; a bad file is reported and skipped. */
export function loadMappings(extra: readonly string[] = []): MappingSet {
  const files: string[] = [];
  const problems: MappingProblem[] = [];
  for (const dir of [shippedMappingsDir(), ...extra]) {
    let isDir: boolean;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      if (dir === shippedMappingsDir()) continue;
      throw new Error(`mappings: cannot read ${dir}: no such file or folder`);
    }
    if (!isDir) {
      files.push(dir);
      continue;
    }
    const names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
    for (const n of names.slice(0, MAX_FILES)) files.push(join(dir, n));
  }
  const mappings: EcsMapping[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      problems.push({ file, message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const result = parseMapping(text, file);
    if (typeof result === "string") problems.push({ file, message: result });
    else mappings.push(result);
  }
  return buildSet(mappings, problems);
}

export function buildSet(mappings: readonly EcsMapping[], problems: MappingProblem[] = []): MappingSet {
  const fieldTypes = new Map<string, EcsType>();
  for (const m of mappings) {
    for (const f of m.fields) {
      const known = fieldTypes.get(f.field);
      if (known === undefined) fieldTypes.set(f.field, f.type);
      else if (known !== f.type) problems.push({ file: m.file, message: `${f.field} is ${f.type} here but ${known} in another mapping; ${known} is used` });
    }
  }
  return { mappings, problems, fieldTypes };
}

/** One mapping file's text; a string says what is wrong with it. */
export function parseMapping(text: string, file: string): EcsMapping | string {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return `not valid YAML: ${(e as Error).message.split("\n")[0]}`;
  }
  if (!isObject(doc)) return "expected a mapping with name, sourcetypes and fields";
  const name = typeof doc.name === "string" ? doc.name : basename(file).replace(/\.ya?ml$/i, "");
  const sourcetypes = stringList(doc.sourcetypes ?? doc.sourcetype);
  if (!sourcetypes || sourcetypes.length === 0) return "sourcetypes: expected a sourcetype name or a list of them";
  let sources: RegExp[] | undefined;
  if (doc.sources !== undefined) {
    const list = stringList(doc.sources);
    if (!list) return "sources: expected a list of source patterns";
    sources = list.map(globRegExp);
  }
  const where: Array<{ field: string; values: string[] }> = [];
  if (doc.where !== undefined) {
    if (!isObject(doc.where)) return "where: expected field: value pairs";
    for (const [field, v] of Object.entries(doc.where)) {
      const values = scalarList(v);
      if (!values) return `where.${field}: expected a value or a list of values`;
      where.push({ field, values: values.map(scalarText) });
    }
  }
  if (doc.index !== undefined && typeof doc.index !== "string") return "index: expected an index or data stream name";
  const format = doc.format;
  if (format !== undefined && !["json", "xml", "csv", "tsv"].includes(String(format))) return "format: expected json, xml, csv or tsv";
  if (!isObject(doc.fields)) return "fields: expected ECS field names, each with how it is made";
  const fields: FieldSpec[] = [];
  for (const [field, spec] of Object.entries(doc.fields)) {
    const parsed = parseFieldSpec(field, spec);
    if (typeof parsed === "string") return `fields.${field}: ${parsed}`;
    fields.push(parsed);
  }
  return {
    name,
    file,
    sourcetypes,
    ...(sources ? { sources } : {}),
    where,
    ...(typeof doc.index === "string" ? { index: doc.index } : {}),
    ...(format !== undefined ? { format: format as EcsMapping["format"] } : {}),
    fields,
  };
}

const SPEC_KEYS = new Set(["from", "fromAll", "value", "type", "ignore", "regex", "lowercase", "map", "scale", "format", "timezone"]);

function parseFieldSpec(field: string, spec: unknown): FieldSpec | string {
  // A bare string is shorthand for { from: <string> }.
  const s: Record<string, unknown> = typeof spec === "string" ? { from: spec } : isObject(spec) ? spec : {};
  if (!isObject(spec) && typeof spec !== "string") return "expected { from: FIELD, ... } or { value: ... }";
  for (const k of Object.keys(s)) if (!SPEC_KEYS.has(k)) return `unknown key '${k}' (known: ${[...SPEC_KEYS].join(", ")})`;
  const sourcesGiven = ["from", "fromAll", "value"].filter((k) => s[k] !== undefined);
  if (sourcesGiven.length !== 1) return "give exactly one of from, fromAll or value";
  const type = (s.type ?? "keyword") as EcsType;
  if (!ECS_TYPES.includes(type)) return `type: expected one of ${ECS_TYPES.join(", ")}`;
  const out: { -readonly [K in keyof FieldSpec]: FieldSpec[K] } = { field, type, lowercase: s.lowercase === true };
  if (s.from !== undefined) {
    const items = Array.isArray(s.from) ? s.from : [s.from];
    const from: Array<{ field: string; regex?: RegExp }> = [];
    for (const item of items) {
      if (typeof item === "string" && item !== "") from.push({ field: item });
      else if (isObject(item) && typeof item.field === "string" && (item.regex === undefined || typeof item.regex === "string")) {
        const extra = Object.keys(item).filter((k) => k !== "field" && k !== "regex");
        if (extra.length > 0) return `from: unknown key '${extra[0]}' (a source is a field name or { field, regex })`;
        if (item.regex === undefined) from.push({ field: item.field });
        else {
          try {
            from.push({ field: item.field, regex: new RegExp(item.regex, "u") });
          } catch (e) {
            return `from: regex: ${(e as Error).message}`;
          }
        }
      } else return "from: expected a field name, { field, regex }, or a list of them";
    }
    if (from.length === 0) return "from: expected a field name or a list of them";
    out.from = from;
  }
  if (s.fromAll !== undefined) {
    const list = stringList(s.fromAll);
    if (!list || list.length === 0) return "fromAll: expected a list of field names";
    out.fromAll = list;
  }
  if (s.value !== undefined) {
    if (Array.isArray(s.value)) {
      const list = scalarList(s.value);
      if (!list) return "value: expected a value or a list of values";
      out.value = list;
    } else if (typeof s.value === "string" || typeof s.value === "number" || typeof s.value === "boolean") out.value = typeof s.value === "boolean" ? String(s.value) : s.value;
    else return "value: expected a value or a list of values";
  }
  if (s.ignore !== undefined) {
    const list = scalarList(s.ignore);
    if (!list) return "ignore: expected a list of values";
    out.ignore = new Set(list.map(scalarText));
  }
  if (s.regex !== undefined) {
    if (typeof s.regex !== "string") return "regex: expected a regular expression";
    try {
      out.regex = new RegExp(s.regex, "u");
    } catch (e) {
      return `regex: ${(e as Error).message}`;
    }
  }
  if (s.map !== undefined) {
    if (!isObject(s.map)) return "map: expected value: value pairs";
    const m = new Map<string, Scalar>();
    for (const [k, v] of Object.entries(s.map)) {
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return `map.${k}: expected a value`;
      m.set(k, typeof v === "boolean" ? String(v) : v);
    }
    out.map = m;
  }
  if (s.scale !== undefined) {
    if (typeof s.scale !== "number" || !Number.isFinite(s.scale)) return "scale: expected a number";
    out.scale = s.scale;
  }
  if (s.format !== undefined || s.timezone !== undefined) {
    if (type !== "date") return "format and timezone apply to type: date";
    if (s.format !== undefined && typeof s.format !== "string") return "format: expected a strptime format";
    if (s.timezone !== undefined && typeof s.timezone !== "string") return "timezone: expected a time zone name";
  }
  if (type === "date") out.parseTime = timeParser(s.format as string | undefined, (s.timezone as string | undefined) ?? "UTC");
  return out;
}

// ---- applying a mapping --------------------------------------------------------------------------

/** Does the mapping apply to a dataset of this sourcetype and source? */
export function appliesTo(m: EcsMapping, sourcetype: string, source: string): boolean {
  return m.sourcetypes.includes(sourcetype) && (m.sources === undefined || m.sources.some((re) => re.test(source)));
}

/** A function from a row of the dataset's event table to its ECS document, or null when `where` excludes the row. */
export function documentBuilder(m: EcsMapping, table: Table): (row: number) => Record<string, unknown> | null {
  const where = m.where.map((w) => ({ column: table.column(w.field), values: new Set(w.values) }));
  const fields = m.fields.map((f) => ({ spec: f, read: reader(f, table) }));
  return (row) => {
    for (const w of where) {
      if (!w.column) return null;
      if (!valuesOf(w.column.get(row)).some((v) => w.values.has(scalarText(v)))) return null;
    }
    const doc: Record<string, unknown> = {};
    for (const { spec, read } of fields) {
      const values = read(row);
      if (values.length === 0) continue;
      const isList = Array.isArray(spec.value) || values.length > 1;
      setPath(doc, spec.field, isList ? values : values[0]);
    }
    return doc;
  };
}

type Out = string | number | boolean;

function reader(f: FieldSpec, table: Table): (row: number) => Out[] {
  let raw: (row: number) => Scalar[];
  if (f.value !== undefined) {
    const constant = Array.isArray(f.value) ? [...(f.value as Scalar[])] : [f.value as Scalar];
    raw = () => constant;
  } else if (f.fromAll !== undefined) {
    const columns = f.fromAll.map((name) => table.column(name));
    raw = (row) => {
      const parts: string[] = [];
      for (const c of columns) {
        const v = c ? valuesOf(c.get(row))[0] : undefined;
        if (v === undefined || f.ignore?.has(scalarText(v))) return [];
        parts.push(scalarText(v));
      }
      return [parts.join("|")];
    };
  } else {
    const sources = f.from!.map((src) => ({ column: table.column(src.field), regex: src.regex }));
    raw = (row) => {
      for (const { column, regex } of sources) {
        if (!column) continue;
        const vs: Scalar[] = [];
        for (const v of valuesOf(column.get(row))) {
          let value: Scalar | undefined = v;
          if (regex) {
            const m = regex.exec(scalarText(v));
            value = m ? (m[1] ?? m[0]) : undefined;
          }
          if (value !== undefined && scalarText(value) !== "" && !f.ignore?.has(scalarText(value))) vs.push(value);
        }
        if (vs.length > 0) return vs;
      }
      return [];
    };
  }
  return (row) => {
    const out: Out[] = [];
    for (const v of raw(row)) {
      const converted = convert(f, v);
      if (converted !== undefined) out.push(converted);
    }
    return out;
  };
}

function convert(f: FieldSpec, input: Scalar): Out | undefined {
  let v: Scalar = input;
  if (f.regex) {
    const m = f.regex.exec(scalarText(v));
    if (!m) return undefined;
    v = m[1] ?? m[0];
  }
  if (f.lowercase) v = scalarText(v).toLowerCase();
  if (f.map) {
    const mapped = f.map.get(scalarText(v));
    if (mapped === undefined) return undefined;
    v = mapped;
  }
  if (f.ignore?.has(scalarText(v))) return undefined;
  switch (f.type) {
    case "keyword":
      return scalarText(v);
    case "long":
    case "integer":
    case "short":
    case "byte": {
      // A scaled value (seconds → nanoseconds) is rounded; an unscaled one must be whole already.
      const n = typeof v === "number" ? v : /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
      const scaled = f.scale !== undefined ? Math.round(n * f.scale) : n;
      return Number.isSafeInteger(scaled) ? scaled : undefined;
    }
    case "double":
    case "float": {
      const n = typeof v === "number" ? v : /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
      const scaled = f.scale !== undefined ? n * f.scale : n;
      return Number.isFinite(scaled) ? scaled : undefined;
    }
    case "ip": {
      const text = scalarText(v).trim();
      return parseIp(text) !== undefined ? text : undefined;
    }
    case "boolean": {
      const t = scalarText(v).toLowerCase();
      return t === "true" ? true : t === "false" ? false : undefined;
    }
    case "date": {
      const seconds = f.parseTime!(v);
      if (seconds === undefined || !Number.isFinite(seconds)) return undefined;
      return isoDate(seconds);
    }
  }
}

/** Epoch seconds as Elasticsearch writes dates: ISO-8601, UTC, milliseconds. */
export function isoDate(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return "";
  return new Date(ms).toISOString();
}

// ---- helpers -------------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): string[] | undefined {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  return undefined;
}

function scalarList(v: unknown): Scalar[] | undefined {
  const one = (x: unknown): Scalar | undefined => (typeof x === "string" || typeof x === "number" ? x : typeof x === "boolean" ? String(x) : undefined);
  if (!Array.isArray(v)) {
    const s = one(v);
    return s === undefined ? undefined : [s];
  }
  const out: Scalar[] = [];
  for (const x of v) {
    const s = one(x);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** `*` matches anything; the rest literally; the whole value. */
export function globRegExp(pattern: string): RegExp {
  const body = pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("[\\s\\S]*");
  return new RegExp(`^${body}$`);
}
