/**
 * CSV lookup tables as transforms.conf defines them (transforms.conf.spec, "Lookup tables";
 * Knowledge Manager Manual, "Add field matching rules to your lookup configuration"):
 *
 * - `filename`: a file in an app's lookups/ folder (only the name after the last path separator
 *   counts, as the spec says);
 * - `match_type = WILDCARD(field), CIDR(field)`: non-exact matching of those lookup fields;
 *   EXACT is the default;
 * - `case_sensitive_match`: default true;
 * - `max_matches`: 1-1000, default 100 for lookups without time_field (the current manual; older
 *   specs said 1000); several matches give multivalue outputs, in file order;
 * - `min_matches` (default 0) and `default_match` (default empty): when fewer than min_matches
 *   rows match, default_match fills the outputs up to min_matches.
 *
 * When more than max_matches rows match, the manual says Splunk "uses the matches closest to the
 * lookup value"; for CIDR fields we read that as the most specific range first (longest prefix,
 * then file order) — an interpretation, not a documented rule.
 *
 * The index is built once per set of input fields: a hash on the exact-match fields, else a
 * per-prefix-length hash of networks for a CIDR field, else a scan of the rows.
 */
import ipaddr from "ipaddr.js";
import { parseCidr, parseIp } from "../search/match.js";
import { ArrayColumn, type Column, Table } from "../table/table.js";
import { fromValues, scalarText, valuesOf, type Scalar, type Value } from "../table/value.js";

export type LookupMatchType = "EXACT" | "CIDR" | "WILDCARD";

/** What a transforms.conf lookup stanza (or a bare `name.csv`) says about matching. */
export interface LookupDefinition {
  readonly name: string;
  /** The file name inside a lookups/ folder. */
  readonly filename: string;
  readonly matchTypes: ReadonlyMap<string, LookupMatchType>;
  readonly caseSensitive: boolean;
  readonly maxMatches: number;
  readonly minMatches: number;
  readonly defaultMatch: string;
}

export const LOOKUP_DEFAULTS = { caseSensitive: true, maxMatches: 100, minMatches: 0, defaultMatch: "" } as const;

/** A prepared matcher: input values in the order of the input fields → output values in output order. */
export type LookupMatcher = (inputs: readonly Value[]) => readonly Value[] | undefined;

export interface LookupTable {
  readonly name: string;
  /** The lookup's fields, in file order. */
  readonly fields: string[];
  /**
   * The outputs for one event: `inputs` maps lookup fields to the event's values. `outputs` empty
   * means every lookup field that is not an input (what `lookup t f` without OUTPUT writes).
   * undefined when nothing matches (and min_matches is 0) or an input is null.
   */
  match(inputs: ReadonlyMap<string, Value>, outputs: readonly string[]): Map<string, Value> | undefined;
  /** The same, prepared once for many rows. Throws LookupError for a field the lookup lacks. */
  matcher(inputFields: readonly string[], outputFields: readonly string[]): LookupMatcher;
  /** The whole lookup as a table (inputlookup). */
  table(): Table;
}

export class LookupError extends Error {}

/** Multivalue inputs are matched value by value; past this many combinations the rest are ignored. */
const MAX_COMBINATIONS = 1000;

interface CidrEntry {
  readonly kind: string;
  readonly bytes: readonly number[];
  readonly prefix: number;
}

export class CsvLookupTable implements LookupTable {
  readonly fields: string[];
  private readonly columns: Array<Array<string | null>>;
  private readonly rowCount: number;
  private readonly indexes = new Map<string, (values: readonly Value[]) => number[]>();
  private readonly cidrCache = new Map<number, Array<CidrEntry | null>>();
  private readonly wildcardCache = new Map<number, Array<RegExp | null>>();

  constructor(
    readonly definition: LookupDefinition,
    header: readonly string[],
    rows: ReadonlyArray<readonly string[]>,
  ) {
    this.fields = [...header];
    this.rowCount = rows.length;
    this.columns = header.map((_, c) => rows.map((r) => r[c] ?? null));
  }

  get name(): string {
    return this.definition.name;
  }

  table(): Table {
    return new Table(
      this.rowCount,
      this.fields.map((f, c) => [f, new ArrayColumn(this.columns[c]!.map((v) => (v === "" ? null : v)))] as [string, Column]),
    );
  }

  match(inputs: ReadonlyMap<string, Value>, outputs: readonly string[]): Map<string, Value> | undefined {
    const inputFields = [...inputs.keys()];
    const outputFields = outputs.length > 0 ? outputs : this.fields.filter((f) => !inputs.has(f));
    const values = this.matcher(inputFields, outputFields)([...inputs.values()]);
    if (!values) return undefined;
    return new Map(outputFields.map((f, i) => [f, values[i] ?? null]));
  }

  matcher(inputFields: readonly string[], outputFields: readonly string[]): LookupMatcher {
    if (inputFields.length === 0) throw new LookupError(`lookup ${this.name}: no field to match on`);
    const inCols = inputFields.map((f) => this.columnIndex(f));
    const outCols = outputFields.map((f) => this.columnIndex(f));
    const candidates = this.index(inCols);
    const { maxMatches, minMatches, defaultMatch } = this.definition;
    const combo: Value[] = new Array<Value>(inCols.length).fill(null);
    // Scratch space reused across calls: only the returned values are allocated per event.
    const matched: number[] = [];
    const lists: Array<readonly Scalar[]> = [];
    const positions: number[] = [];
    const take = (rows: readonly number[]) => {
      for (let k = 0; k < rows.length && k < maxMatches; k++) if (!matched.includes(rows[k]!)) matched.push(rows[k]!);
    };
    return (inputs) => {
      matched.length = 0;
      let multi = false;
      for (const v of inputs) {
        if (v === null || (Array.isArray(v) && v.length === 0)) return undefined;
        if (Array.isArray(v)) multi = true;
      }
      if (!multi) {
        take(candidates(inputs));
      } else {
        // Every combination of the input values (one per field), bounded.
        lists.length = 0;
        positions.length = 0;
        for (const v of inputs) (lists.push(valuesOf(v)), positions.push(0));
        for (let n = 0; n < MAX_COMBINATIONS; n++) {
          for (let i = 0; i < lists.length; i++) combo[i] = lists[i]![positions[i]!]!;
          take(candidates(combo));
          let i = lists.length - 1;
          while (i >= 0 && ++positions[i]! >= lists[i]!.length) positions[i--] = 0;
          if (i < 0) break;
        }
      }
      if (matched.length === 0 && minMatches === 0) return undefined;
      return outCols.map((c) => {
        const col = this.columns[c]!;
        if (matched.length === 1 && minMatches <= 1) {
          const v = col[matched[0]!];
          return v === null || v === undefined || v === "" ? null : v;
        }
        const out: Scalar[] = [];
        for (const r of matched) {
          const v = col[r];
          if (v !== null && v !== undefined && v !== "") out.push(v);
        }
        for (let k = matched.length; k < minMatches && defaultMatch !== ""; k++) out.push(defaultMatch);
        return fromValues(out);
      });
    };
  }

  private columnIndex(field: string): number {
    const c = this.fields.indexOf(field);
    if (c < 0) throw new LookupError(`lookup ${this.name} has no field '${field}' (its fields: ${this.fields.join(", ")})`);
    return c;
  }

  private matchType(c: number): LookupMatchType {
    return this.definition.matchTypes.get(this.fields[c]!) ?? "EXACT";
  }

  /** Candidate rows for one combination of input values, matching order applied. */
  private index(inCols: readonly number[]): (values: readonly Value[]) => number[] {
    const key = inCols.join(",");
    let found = this.indexes.get(key);
    if (found) return found;
    const exact = inCols.map((c, i) => [c, i] as const).filter(([c]) => this.matchType(c) === "EXACT");
    const cidr = inCols.map((c, i) => [c, i] as const).filter(([c]) => this.matchType(c) === "CIDR");
    const wild = inCols.map((c, i) => [c, i] as const).filter(([c]) => this.matchType(c) === "WILDCARD");
    const norm = this.definition.caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();

    let base: (values: readonly Value[]) => readonly number[];
    let cidrDone = false;
    if (exact.length > 0) {
      const hash = new Map<string, number[]>();
      for (let r = 0; r < this.rowCount; r++) {
        const k = exact.map(([c]) => norm(this.columns[c]![r] ?? "")).join("\u0000");
        const list = hash.get(k);
        if (list) list.push(r);
        else hash.set(k, [r]);
      }
      const none: number[] = [];
      const only = exact.length === 1 ? exact[0]![1] : -1;
      base =
        only >= 0
          ? (values) => hash.get(norm(scalarText(values[only] as Scalar))) ?? none
          : (values) => hash.get(exact.map(([, i]) => norm(scalarText(values[i] as Scalar))).join("\u0000")) ?? none;
    } else if (cidr.length > 0) {
      base = this.cidrIndex(cidr[0]![0], cidr[0]![1]);
      cidrDone = cidr.length === 1;
    } else {
      const all = Array.from({ length: this.rowCount }, (_, r) => r);
      base = () => all;
    }
    const filters: Array<(row: number, values: readonly Value[]) => boolean> = [];
    for (const [c, i] of cidrDone ? [] : cidr) {
      const entries = this.cidrEntries(c);
      filters.push((row, values) => {
        const e = entries[row];
        const ip = parseIp(scalarText(values[i] as Scalar));
        return !!e && !!ip && ip.kind() === e.kind && sameNetwork(ip.toByteArray(), e.bytes, e.prefix);
      });
    }
    for (const [c, i] of wild) {
      const patterns = this.wildcardPatterns(c);
      filters.push((row, values) => patterns[row]?.test(scalarText(values[i] as Scalar)) ?? false);
    }
    const sortCol = !cidrDone && cidr.length > 0 ? this.cidrEntries(cidr[0]![0]) : undefined;
    found = (values) => {
      const rows = base(values);
      if (filters.length === 0 && !sortCol) return rows as number[];
      const out = filters.length === 0 ? [...rows] : rows.filter((r) => filters.every((f) => f(r, values)));
      // Most specific range first; Array.prototype.sort is stable, so file order breaks ties.
      if (sortCol) out.sort((a, b) => (sortCol[b]?.prefix ?? -1) - (sortCol[a]?.prefix ?? -1));
      return out;
    };
    this.indexes.set(key, found);
    return found;
  }

  /** Rows by network, one hash per prefix length, probed longest prefix first. */
  private cidrIndex(c: number, i: number): (values: readonly Value[]) => number[] {
    const entries = this.cidrEntries(c);
    const byPrefix = new Map<string, Map<string, number[]>>(); // "kind/prefix" → network → rows
    for (let r = 0; r < entries.length; r++) {
      const e = entries[r];
      if (!e) continue;
      const k = `${e.kind}/${e.prefix}`;
      let nets = byPrefix.get(k);
      if (!nets) byPrefix.set(k, (nets = new Map()));
      const net = networkKey(e.bytes, e.prefix);
      const list = nets.get(net);
      if (list) list.push(r);
      else nets.set(net, [r]);
    }
    const probes = [...byPrefix.keys()]
      .map((k) => ({ kind: k.split("/")[0]!, prefix: Number(k.split("/")[1]), nets: byPrefix.get(k)! }))
      .sort((a, b) => b.prefix - a.prefix);
    return (values) => {
      const ip = parseIp(scalarText(values[i] as Scalar));
      if (!ip) return [];
      const bytes = ip.toByteArray();
      const out: number[] = [];
      for (const p of probes) {
        if (p.kind !== ip.kind()) continue;
        const rows = p.nets.get(networkKey(bytes, p.prefix));
        if (rows) out.push(...rows);
      }
      return out;
    };
  }

  private cidrEntries(c: number): Array<CidrEntry | null> {
    let entries = this.cidrCache.get(c);
    if (!entries) {
      entries = this.columns[c]!.map((v) => {
        if (v === null || v === "") return null;
        const range = parseCidr(v.trim()) ?? singleAddress(v.trim());
        return range ? { kind: range[0].kind(), bytes: range[0].toByteArray(), prefix: range[1] } : null;
      });
      this.cidrCache.set(c, entries);
    }
    return entries;
  }

  private wildcardPatterns(c: number): Array<RegExp | null> {
    let patterns = this.wildcardCache.get(c);
    if (!patterns) {
      const flags = this.definition.caseSensitive ? "" : "i";
      patterns = this.columns[c]!.map((v) =>
        v === null ? null : new RegExp(`^${v.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("[\\s\\S]*")}$`, flags),
      );
      this.wildcardCache.set(c, patterns);
    }
    return patterns;
  }
}

/** A plain address in a CIDR column stands for itself (/32 or /128). */
function singleAddress(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  const ip = parseIp(text);
  return ip ? [ip, ip.kind() === "ipv4" ? 32 : 128] : undefined;
}

function networkKey(bytes: readonly number[], prefix: number): string {
  let key = "";
  for (let b = 0; b < bytes.length; b++) {
    const bits = Math.max(0, Math.min(8, prefix - b * 8));
    const masked = bits === 0 ? 0 : bytes[b]! & ((0xff << (8 - bits)) & 0xff);
    key += masked.toString(16).padStart(2, "0");
  }
  return key;
}

function sameNetwork(a: readonly number[], b: readonly number[], prefix: number): boolean {
  return a.length === b.length && networkKey(a, prefix) === networkKey(b, prefix);
}

/**
 * RFC 4180 CSV: a header line, then rows; fields may be double-quoted, with "" for a quote and line
 * breaks inside quotes. A leading byte-order mark is dropped. Bounded by the text length.
 */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let any = false;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
      any = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (any || field !== "") record.push(field);
      if (record.length > 0) records.push(record);
      record = [];
      field = "";
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || field !== "") record.push(field);
  if (record.length > 0) records.push(record);
  const [header = [], ...rows] = records;
  return { header: header.map((h) => h.trim()), rows };
}

/**
 * `match_type = WILDCARD(url), CIDR(ip)` → field → type. Unknown forms are returned as problems.
 */
export function parseMatchType(text: string): { types: Map<string, LookupMatchType>; problems: string[] } {
  const types = new Map<string, LookupMatchType>();
  const problems: string[] = [];
  const re = /\s*(\w+)\s*\(([^)]*)\)\s*,?/y;
  let pos = 0;
  const source = text.trim();
  while (pos < source.length) {
    re.lastIndex = pos;
    const m = re.exec(source);
    if (!m) {
      problems.push(`match_type: expected WILDCARD(field), CIDR(field) or EXACT(field), found "${source.slice(pos)}"`);
      break;
    }
    pos = re.lastIndex;
    const kind = m[1]!.toUpperCase();
    if (kind !== "WILDCARD" && kind !== "CIDR" && kind !== "EXACT") {
      problems.push(`match_type: unknown match type ${m[1]} (expected WILDCARD, CIDR or EXACT)`);
      continue;
    }
    for (const f of m[2]!.split(",")) {
      const name = f.trim();
      if (name !== "") types.set(name, kind);
    }
  }
  return { types, problems };
}
