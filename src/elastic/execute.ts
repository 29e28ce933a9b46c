/**
 * Running a rule as Kibana's detection engine does, over a timeline of scheduled runs
 * (../shared/reference/peers.md §2b):
 *
 * - A run at `now` searches its indices for documents matching the query with a time in
 *   [from, now), `from` being the rule's date math (now-9m) evaluated at `now`.
 * - The time of a document is its `timestamp_override` field (event.ingested for the SMB rule),
 *   falling back to @timestamp when a document lacks it (Kibana's default; replayed documents carry
 *   no ingest time).
 * - query rules: one alert per matching document, oldest first.
 * - new_terms rules: a value of the new-terms field (a combination of values when there are 2 or 3
 *   fields; array fields give one term per value) is new when it occurs in [from, now) and not in
 *   [history_window_start, from). One alert per new term, from the term's earliest document in the
 *   run's window, carrying the term in `kibana.alert.new_terms`. Terms are taken in order of their
 *   values (Kibana pages through a composite aggregation).
 * - At most max_signals new alerts per run. Alerts have deterministic ids (rule, index, document
 *   _id and, for new terms, the terms: Kibana's wrapNewTermsAlerts hash); a later run that finds the
 *   same alert again (the 9-minute window overlaps the next run by 4 minutes) does not create it twice.
 *
 * The schedule: runs every `interval` (5m by default) at multiples of it since the epoch, from the
 * first run that has a full history (the earliest event + the history window for new_terms rules;
 * the earliest event for query rules) to the first run after the latest event. A rule enabled on a
 * cluster that already holds the history behaves this way; `now` instead asks for one run.
 */
import { createHash } from "node:crypto";
import { isoTime } from "../ingest/time.js";
import { parseDateMath } from "../kql/datemath.js";
import { valuesAt } from "../kql/document.js";
import { compileKql, ipKey, kindOf, type DocPredicate, type FieldTypes } from "../kql/evaluate.js";
import type { KqlNode, KqlValue } from "../kql/ast.js";
import { parseIp } from "../search/match.js";
import type { EcsDocument } from "./documents.js";
import type { ElasticRule } from "./rule.js";

export interface Alert {
  /** The id Kibana would give the alert (deduplicates across runs). */
  readonly id: string;
  /** The run that created it: the alert's @timestamp. */
  readonly runTime: number;
  /** The source document's time. */
  readonly originalTime: number;
  readonly document: EcsDocument;
  readonly newTerms?: readonly string[];
}

export interface ScheduleOptions {
  /** Epoch seconds of the first run (rounded up to the interval); default: see the file comment. */
  readonly start?: number;
  /** Epoch seconds after which no run starts; default the first run after the latest event. */
  readonly end?: number;
}

export interface ExecuteOptions {
  readonly fieldTypes?: FieldTypes;
  /** One run at this time instead of a schedule. */
  readonly now?: number;
  readonly schedule?: ScheduleOptions;
}

export interface ExecuteResult {
  readonly alerts: Alert[];
  /** How many runs were made, and when the first and last were. */
  readonly runs: number;
  readonly firstRun?: number;
  readonly lastRun?: number;
  /** Documents in the rule's indices, and how many of them match the query (at the first run). */
  readonly searched: number;
  readonly matched: number;
  readonly warnings: string[];
}

/** Runs never outnumber this; a schedule that would is an error (give a time range or --now). */
export const MAX_RUNS = 1_000_000;
/** Combinations of new-terms values one document can make. */
const MAX_COMBINATIONS = 1000;

export class ScheduleError extends Error {}

interface Hit {
  readonly time: number;
  readonly doc: EcsDocument;
}

export function executeRule(rule: ElasticRule, documents: readonly EcsDocument[], options: ExecuteOptions = {}): ExecuteResult {
  const warnings: string[] = [];
  const inIndex = indexMatcher(rule.index);
  const searched: Hit[] = [];
  let untimed = 0;
  for (const doc of documents) {
    if (!inIndex(doc._index)) continue;
    const time = documentTime(doc, rule.timestampOverride);
    if (time === undefined) {
      untimed++;
      continue;
    }
    searched.push({ time, doc });
  }
  if (untimed > 0) warnings.push(`${untimed} document(s) have no ${rule.timestampOverride ?? "@timestamp"}${rule.timestampOverride ? " or @timestamp" : ""}; the rule cannot place them in time`);
  searched.sort((a, b) => a.time - b.time || (a.doc._id < b.doc._id ? -1 : a.doc._id > b.doc._id ? 1 : 0));

  const runTimes = scheduleRuns(rule, searched, options, warnings);
  const timeDependent = usesNow(rule.query.ast);
  const compile = (now: number): DocPredicate => compileKql(rule.query, { ...(options.fieldTypes ? { fieldTypes: options.fieldTypes } : {}), now });
  // The query is compiled (and checked) even when nothing is searched, so that its type errors show.
  let predicate = compile(runTimes[0] ?? options.now ?? Date.now() / 1000);
  let matched = searched.filter((h) => predicate(h.doc.source));
  const matchedAtFirstRun = matched.length;

  const alerts: Alert[] = [];
  const created = new Set<string>();
  const history = rule.type === "new_terms" ? termIndex(rule, matched, options.fieldTypes) : undefined;
  for (const now of runTimes) {
    if (timeDependent) {
      predicate = compile(now);
      matched = searched.filter((h) => predicate(h.doc.source));
    }
    const from = parseDateMath(rule.from, now)!;
    const lo = lowerBound(matched, from);
    const hi = lowerBound(matched, now);
    let made = 0;
    const emit = (hit: Hit, newTerms?: readonly string[]) => {
      const id = alertId(rule, hit.doc, newTerms);
      if (created.has(id) || made >= rule.maxSignals) return;
      created.add(id);
      made++;
      alerts.push({ id, runTime: now, originalTime: hit.time, document: hit.doc, ...(newTerms ? { newTerms } : {}) });
    };
    if (rule.type === "query" || !rule.newTerms) {
      for (let i = lo; i < hi && made < rule.maxSignals; i++) emit(matched[i]!);
      continue;
    }
    const hws = parseDateMath(rule.newTerms.historyWindowStart, now)!;
    const index = timeDependent ? termIndex(rule, matched, options.fieldTypes) : history!;
    // The earliest document of each term in the window.
    const firstInWindow = new Map<string, { hit: Hit; terms: string[] }>();
    for (let i = lo; i < hi; i++) {
      const hit = matched[i]!;
      for (const terms of termsOf(hit.doc, rule.newTerms.fields, options.fieldTypes)) {
        const key = JSON.stringify(terms);
        if (!firstInWindow.has(key)) firstInWindow.set(key, { hit, terms });
      }
    }
    const keys = [...firstInWindow.keys()].sort();
    for (const key of keys) {
      if (made >= rule.maxSignals) break;
      const times = index.get(key)!;
      const k = lowerBoundTimes(times, hws);
      const seenBefore = k < times.length && times[k]! < from;
      if (seenBefore) continue;
      const { hit, terms } = firstInWindow.get(key)!;
      emit(hit, terms);
    }
  }
  return {
    alerts,
    runs: runTimes.length,
    ...(runTimes.length > 0 ? { firstRun: runTimes[0]!, lastRun: runTimes[runTimes.length - 1]! } : {}),
    searched: searched.length,
    matched: matchedAtFirstRun,
    warnings,
  };
}

/** The run times: one at `now`, or the schedule. */
function scheduleRuns(rule: ElasticRule, searched: readonly Hit[], options: ExecuteOptions, warnings: string[]): number[] {
  if (options.now !== undefined && options.schedule === undefined) return [options.now];
  const interval = rule.interval;
  const first = searched[0]?.time;
  const last = searched[searched.length - 1]?.time;
  if (first === undefined || last === undefined) {
    if (options.schedule?.start === undefined || options.schedule.end === undefined) return options.now !== undefined ? [options.now] : [];
  }
  const ref = last ?? options.schedule!.end!;
  const lead = rule.newTerms ? ref - parseDateMath(rule.newTerms.historyWindowStart, ref)! : 0;
  // An explicit start is rounded up to the interval; by default, the first run after the earliest event (+ history).
  const start =
    options.schedule?.start !== undefined ? Math.ceil(options.schedule.start / interval) * interval : Math.floor((first! + lead) / interval) * interval + interval;
  const end = options.schedule?.end ?? Math.floor(last! / interval) * interval + interval;
  if (start > end) {
    warnings.push(
      rule.newTerms
        ? `no scheduled run has a full history: the data spans less than the rule's history window (${rule.newTerms.historyWindowStart}); give --now to run once`
        : "no scheduled run falls in the data's time range",
    );
    return [];
  }
  const count = Math.floor((end - start) / interval) + 1;
  if (count > MAX_RUNS) throw new ScheduleError(`the schedule would make ${count} runs (every ${interval}s); at most ${MAX_RUNS}: give --now or a shorter range`);
  const runs: number[] = [];
  for (let i = 0; i < count; i++) runs.push(start + i * interval);
  return runs;
}

/** For each term key, the sorted times of the matching documents that have it. */
function termIndex(rule: ElasticRule, matched: readonly Hit[], types: FieldTypes | undefined): Map<string, number[]> {
  const index = new Map<string, number[]>();
  for (const hit of matched) {
    for (const terms of termsOf(hit.doc, rule.newTerms!.fields, types)) {
      const key = JSON.stringify(terms);
      let list = index.get(key);
      if (!list) index.set(key, (list = []));
      if (list[list.length - 1] !== hit.time) list.push(hit.time);
    }
  }
  return index;
}

/** The terms a document has: one value per field (every combination when fields have several); none when a field is missing. */
function termsOf(doc: EcsDocument, fields: readonly string[], types: FieldTypes | undefined): string[][] {
  let combos: string[][] = [[]];
  for (const field of fields) {
    const kind = kindOf(types?.(field));
    const values = [...new Set(valuesAt(doc.source, field.split(".")).flatMap((v) => termText(v, kind)))];
    if (values.length === 0) return [];
    const next: string[][] = [];
    for (const combo of combos) for (const v of values) if (next.length < MAX_COMBINATIONS) next.push([...combo, v]);
    combos = next;
  }
  return combos;
}

/** A value as the terms aggregation returns it: ip fields in one spelling per address. */
function termText(v: unknown, kind: string): string[] {
  if (typeof v === "string") {
    if (kind === "ip") {
      const ip = parseIp(v);
      return ip ? [ipKey(ip)] : [];
    }
    return [v];
  }
  if (typeof v === "number" || typeof v === "boolean") return [String(v)];
  return [];
}

function alertId(rule: ElasticRule, doc: EcsDocument, newTerms?: readonly string[]): string {
  return createHash("sha256")
    .update(JSON.stringify([doc._index, doc._id, newTerms ?? null, rule.ruleId]))
    .digest("hex");
}

/** The document's time in seconds: the override field, else @timestamp. */
export function documentTime(doc: EcsDocument, override: string | undefined): number | undefined {
  for (const field of override ? [override, "@timestamp"] : ["@timestamp"]) {
    const v = valuesAt(doc.source, field.split("."))[0];
    const t = typeof v === "string" ? isoTime(v) : typeof v === "number" ? v / 1000 : undefined;
    if (t !== undefined) return t;
  }
  return undefined;
}

/**
 * Elasticsearch index patterns: comma-separated or listed, `*` wildcards, `-pattern` excludes what
 * the patterns before it included. A `cluster:index` pattern names a remote cluster and matches nothing here.
 */
export function indexMatcher(patterns: readonly string[]): (index: string) => boolean {
  const parts = patterns.flatMap((p) => p.split(",")).map((p) => p.trim()).filter((p) => p !== "");
  const compiled = parts.map((p) => {
    const exclude = p.startsWith("-");
    const body = exclude ? p.slice(1) : p;
    const re = new RegExp(`^${body.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
    return { exclude, re, remote: body.includes(":") };
  });
  return (index) => {
    let included = false;
    for (const c of compiled) {
      if (c.remote) continue;
      if (c.exclude) {
        if (included && c.re.test(index)) included = false;
      } else if (c.re.test(index)) included = true;
    }
    return included;
  };
}

/** Does the query use date math relative to now (a range such as `@timestamp > now-1h`)? Then it is recompiled per run. */
function usesNow(node: KqlNode): boolean {
  switch (node.kind) {
    case "and":
    case "or":
      return node.items.some(usesNow);
    case "not":
      return usesNow(node.expr);
    case "nested":
      return usesNow(node.query);
    case "range":
      return /^\s*now/.test(node.value.text);
    case "match":
      return valueUsesNow(node.value);
    default:
      return false;
  }
}

function valueUsesNow(v: KqlValue): boolean {
  if (v.kind === "literal") return /^\s*now/.test(v.literal.text);
  if (v.kind === "not") return valueUsesNow(v.expr);
  return v.items.some(valueUsesNow);
}

function lowerBound(hits: readonly Hit[], time: number): number {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (hits[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBoundTimes(times: readonly number[], time: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
