/**
 * Running detection tests: for each test, its datasets (each distinct set loaded once, kept while
 * a later test still needs it), the baselines it needs (run once per distinct baseline/data/time
 * combination, into a model folder of their own under the run's temporary folder), the search
 * with the test's macros, then the expectations (expect.ts) and the risk events (risk.ts). An
 * Elastic rule's test runs the rule (src/cli/elastic.ts, as `spelunk run RULE.toml` does) and checks
 * its alert rows the same way.
 *
 * Tests run one after another in this process. Each is CPU-bound and takes milliseconds; on the
 * shipped set, starting worker threads (each re-loading the engine, the apps and the datasets)
 * costs more than the whole run (see searches/README.md for the figures).
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { alertsTable, testElasticRule, type ElasticTestResult } from "../cli/elastic.js";
import { CliError } from "../cli/errors.js";
import { checkSearch } from "../compile.js";
import { SplError } from "../diag/diagnostic.js";
import { renderDiagnostics } from "../diag/render.js";
import { DataStore } from "../exec/store.js";
import { runSearch, type RunOptions } from "../exec/run.js";
import type { ElasticDatasetSpec } from "../elastic/documents.js";
import type { Alert } from "../elastic/execute.js";
import { IngestError, type DatasetSpec } from "../ingest/format.js";
import { readManifest } from "../ingest/manifest.js";
import type { Knowledge } from "../knowledge/knowledge.js";
import { parseDateMath } from "../kql/datemath.js";
import { macroKey, type MacroDefinition, type MacroLibrary } from "../macros/library.js";
import { NumberColumn, Table } from "../table/table.js";
import { parseTimeArg } from "../time/relative.js";
import { checkResults } from "./expect.js";
import type { BaselineRef, DataRef, Detection, TestCase } from "./model.js";
import { isInside, requireFile, resolveAttackData, resolveInTree, TestPathError } from "./paths.js";
import { riskEvents, type RiskEvent } from "./risk.js";
import { MAX_SCHEDULED_RUNS, ScheduleError, scheduledRuns } from "./schedule.js";

export interface RunnerOptions {
  /** The macro library (shipped macros and --macros folders). */
  readonly macros: MacroLibrary;
  readonly knowledge: Knowledge;
  /** `--macro NAME=DEFINITION` overrides, for every test. */
  readonly cliMacros?: readonly MacroDefinition[];
  /** `--attack-data DIR` folders. */
  readonly attackData?: readonly string[];
  /** Time zone when a test sets none (default UTC). */
  readonly tz?: string;
  /** now() when a test sets none: the run's start time. */
  readonly now: number;
  /** Run each test as Splunk's scheduler would (schedule.ts). */
  readonly schedule?: boolean;
  readonly maxScheduledRuns?: number;
  readonly geoipDb?: string;
  /** `--apps DIR` folders (Elastic rules load the knowledge themselves, to read each sourcetype). */
  readonly apps?: readonly string[];
  /** More ECS mapping files or folders for every Elastic rule (beside mappings/ and the test files' own). */
  readonly mappings?: readonly string[];
  /** A folder the runner may write model folders in (a fresh temporary folder per run). */
  readonly workDir: string;
  /** Called when a test has finished (for streaming output). */
  readonly onTest?: (detection: Detection, result: TestResult) => void;
  /** Called before a detection's first test. */
  readonly onDetection?: (detection: Detection) => void;
}

export type TestStatus = "pass" | "fail" | "skip";

export interface FiredRun {
  readonly time: number;
  readonly earliest: number;
  readonly latest: number;
  readonly rows: number;
}

export interface TestResult {
  readonly name: string;
  readonly status: TestStatus;
  /** Why it failed (or was skipped); empty when it passed. */
  readonly reasons: readonly string[];
  readonly warnings: readonly string[];
  readonly timeMs: number;
  readonly rows?: number;
  /** The search as run, every macro expanded (shown when the test fails). */
  readonly expandedSearch?: string;
  /** An Elastic rule's query as written in the rule file (shown when the test fails). */
  readonly ruleQuery?: string;
  /** With --schedule (and for an Elastic rule on its schedule): how many runs there were, and those that returned rows. */
  readonly runs?: { readonly total: number; readonly fired: readonly FiredRun[] };
  readonly riskEvents: readonly RiskEvent[];
}

export interface DetectionResult {
  readonly file: string;
  readonly sidecar?: string;
  readonly name: string;
  readonly tests: readonly TestResult[];
}

export interface TestReport {
  readonly detections: readonly DetectionResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly timeMs: number;
  /** Warnings about the run as a whole (a --macro no search used). */
  readonly warnings: readonly string[];
}

interface DataPlan {
  readonly key?: string;
  readonly specs?: readonly DatasetSpec[];
  readonly error?: TestPathError;
}

interface LoadedStore {
  readonly store?: DataStore;
  readonly error?: string;
  readonly first: number;
  readonly last: number;
}

/** The detections worth reporting: those with tests, and those without that no other detection needs. */
export function reportable(detections: readonly Detection[]): Detection[] {
  const needed = new Set(detections.flatMap((d) => d.needs.map((n) => resolve(n.file))));
  return detections.filter((d) => d.tests.length > 0 || d.problems.length > 0 || (d.kind !== "baseline" && !needed.has(resolve(d.file))));
}

export async function runTests(all: readonly Detection[], options: RunnerOptions): Promise<TestReport> {
  const started = performance.now();
  const runner = new Runner(options);
  const detections = reportable(all);
  runner.plan(detections);
  const results: DetectionResult[] = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const d of detections) {
    options.onDetection?.(d);
    const tests: TestResult[] = [];
    const cases = d.tests.length > 0 ? d.tests : [undefined];
    for (const test of cases) {
      const result = await runner.runTest(d, test);
      tests.push(result);
      if (result.status === "pass") passed++;
      else if (result.status === "fail") failed++;
      else skipped++;
      options.onTest?.(d, result);
    }
    results.push({ file: d.file, ...(d.sidecar ? { sidecar: d.sidecar } : {}), name: d.name, tests });
  }
  const warnings: string[] = [];
  for (const m of options.cliMacros ?? []) {
    const key = macroKey(m.name, m.args.length);
    if (!runner.cliMacrosUsed.has(key) && runner.searchesCompiled > 0) warnings.push(`--macro ${key}: no search uses this macro`);
  }
  return { detections: results, passed, failed, skipped, timeMs: performance.now() - started, warnings };
}

class Runner {
  readonly cliMacrosUsed = new Set<string>();
  searchesCompiled = 0;
  private readonly dataPlans = new Map<string, DataPlan>();
  private readonly stores = new Map<string, Promise<LoadedStore>>();
  private readonly storeUses = new Map<string, number>();
  private readonly baselineDirs = new Map<string, Promise<BaselineOutcome>>();
  private modelDirs = 0;
  private readonly emptyModels: string;

  constructor(private readonly options: RunnerOptions) {
    this.emptyModels = join(options.workDir, "models-none");
    mkdirSync(this.emptyModels, { recursive: true });
  }

  /** Resolve every test's datasets up front, to count how many tests use each distinct set. */
  plan(detections: readonly Detection[]): void {
    for (const d of detections) {
      // Elastic rules read their datasets as ECS documents, not into a data store.
      if (d.problems.length > 0 || d.elastic) continue;
      for (const t of d.tests) {
        if (t.skip !== undefined) continue;
        const plan = this.dataPlan(d, t);
        if (!plan.key) continue;
        const tz = this.tzOf(t);
        this.use(storeKey(plan.key, tz));
        for (const b of d.needs) {
          if (b.data.length === 0) continue;
          const bp = this.resolveData(b.data, b.dir, `${d.sidecar ?? d.file}: baseline ${b.name}`);
          if (bp.key) this.use(storeKey(bp.key, tz));
        }
      }
    }
  }

  private tzOf(t: TestCase): string {
    return t.tz ?? this.options.tz ?? "UTC";
  }

  private use(key: string): void {
    this.storeUses.set(key, (this.storeUses.get(key) ?? 0) + 1);
  }

  private dataPlan(d: Detection, t: TestCase): DataPlan {
    return this.resolveData(t.data, d.dir, `${d.sidecar ?? d.file}: test "${t.name}"`);
  }

  private resolveData(refs: readonly DataRef[], dir: string, where: string): DataPlan {
    const memo = `${dir}\u0000${JSON.stringify(refs)}`;
    const known = this.dataPlans.get(memo);
    if (known) return known;
    let plan: DataPlan;
    try {
      const specs = refs.flatMap((r) => this.datasetSpecs(r, dir, where));
      plan = { key: JSON.stringify(specs), specs };
    } catch (e) {
      if (e instanceof TestPathError) plan = { error: e };
      else if (e instanceof IngestError) plan = { error: new TestPathError(`${where}: ${e.message}`) };
      else throw e;
    }
    this.dataPlans.set(memo, plan);
    return plan;
  }

  /**
   * A test's dataset as files to read. For an Elastic rule the index is the dataset's `index:` or
   * else the one its ECS mapping names (a data stream the rule's index patterns match), as
   * `spelunk run RULE.toml` does, not `main`.
   */
  private datasetSpecs(ref: DataRef, dir: string, where: string, engine: "splunk" | "elastic" = "splunk"): DatasetSpec[] {
    const attackDirs = this.options.attackData ?? [];
    const path = ref.kind === "local" ? resolveInTree(dir, ref.ref, "dataset", where) : resolveAttackData(attackDirs, ref.ref, ref.written, where);
    if (ref.kind === "local") requireFile(path, ref.written, where);
    const common = { host: ref.host ?? "CONTENTCTL_HOST", index: ref.index ?? "main" };
    if (/\.ya?ml$/i.test(path) && !ref.sourcetype) {
      // An attack_data manifest: its files must be under the same roots as the manifest.
      const roots = [dir, ...attackDirs];
      return readManifest(path).map((spec) => {
        if (!roots.some((root) => isInside(root, spec.path))) {
          throw new TestPathError(`${where}: manifest ${ref.written} names ${spec.path}, outside the test file's folder and --attack-data`);
        }
        const host = ref.host ?? spec.host ?? common.host;
        if (engine === "elastic") {
          const { index: _splunkIndex, ...rest } = spec;
          return { ...rest, host, ...(ref.index !== undefined ? { index: ref.index } : {}) };
        }
        return { ...spec, host, index: ref.index ?? spec.index ?? common.index };
      });
    }
    if (engine === "elastic") return [{ path, sourcetype: ref.sourcetype!, source: ref.source ?? ref.written, host: common.host, ...(ref.index !== undefined ? { index: ref.index } : {}) }];
    return [{ path, sourcetype: ref.sourcetype!, source: ref.source ?? ref.written, ...common }];
  }

  /** The datasets loaded (search-time fields and data model summaries depend on the time zone too). */
  private loadStore(plan: DataPlan, tz: string): Promise<LoadedStore> {
    const key = storeKey(plan.key!, tz);
    const specs = plan.specs!;
    let loaded = this.stores.get(key);
    if (!loaded) {
      loaded = (async (): Promise<LoadedStore> => {
        try {
          const { store } = await DataStore.load(specs, this.options.knowledge, { now: this.options.now, tz });
          const { first, last } = timeRange(store.events());
          return { store, first, last };
        } catch (e) {
          if (e instanceof IngestError) return { error: e.message, first: NaN, last: NaN };
          throw e;
        }
      })();
      this.stores.set(key, loaded);
    }
    return loaded;
  }

  /** A test is done with a dataset set: forget it when no later test needs it. */
  private release(key: string): void {
    const n = (this.storeUses.get(key) ?? 1) - 1;
    this.storeUses.set(key, n);
    if (n <= 0) this.stores.delete(key);
  }

  async runTest(d: Detection, test: TestCase | undefined): Promise<TestResult> {
    const started = performance.now();
    const warnings: string[] = [];
    const done = (status: TestStatus, reasons: string[], extra: Partial<TestResult> = {}): TestResult => ({
      name: test?.name ?? "(no tests)",
      status,
      reasons,
      warnings,
      timeMs: performance.now() - started,
      riskEvents: [],
      ...extra,
    });
    if (d.problems.length > 0) return done("fail", [...d.problems]);
    if (!test) {
      const why = d.kind === "correlation" ? "a correlation search (it runs over the risk index; contentctl does not test these either)" : "no tests";
      return done("skip", [`${why}${/\.(spl|toml)$/i.test(d.file) ? ` (add ${d.stem}.test.yml beside it)` : ""}`]);
    }
    if (test.skip !== undefined) return done("skip", [test.skip]);
    if (d.elastic) return this.runElastic(d, test, warnings, done);
    if (d.kind === "correlation") return done("skip", ["a correlation search (it runs over the risk index; contentctl does not test these either)"]);

    const plan = this.dataPlan(d, test);
    if (plan.error) return done(plan.error.severity === "skip" ? "skip" : "fail", [plan.error.message]);
    const tz = this.tzOf(test);
    try {
      return await this.runPlanned(d, test, plan, tz, warnings, done);
    } finally {
      this.release(storeKey(plan.key!, tz));
      for (const b of d.needs) {
        if (b.data.length === 0) continue;
        const bp = this.resolveData(b.data, b.dir, `${d.sidecar ?? d.file}: baseline ${b.name}`);
        if (bp.key) this.release(storeKey(bp.key, tz));
      }
    }
  }

  private async runPlanned(
    d: Detection,
    test: TestCase,
    plan: DataPlan,
    tz: string,
    warnings: string[],
    done: (status: TestStatus, reasons: string[], extra?: Partial<TestResult>) => TestResult,
  ): Promise<TestResult> {
    const now = test.now !== undefined ? parseTimeArg(test.now, this.options.now, tz)! : this.options.now;
    const earliest = test.earliest !== undefined ? parseTimeArg(test.earliest, now, tz) : undefined;
    const latest = test.latest !== undefined ? parseTimeArg(test.latest, now, tz) : undefined;

    const cli = this.options.cliMacros ?? [];
    // --macro is what the user asks of this run: it wins over the test file's own definitions.
    const library = this.options.macros.withOverrides([...test.macroFiles, ...test.macros, ...cli]);
    const compileOptions = { sourceName: d.file, macros: library, detectionStem: d.stem };
    let expanded: string;
    try {
      const { expansion } = checkSearch(d.search, compileOptions);
      expanded = expansion.text;
      this.searchesCompiled++;
      const used = new Set(expansion.macrosUsed);
      for (const m of cli) if (used.has(macroKey(m.name, m.args.length))) this.cliMacrosUsed.add(macroKey(m.name, m.args.length));
      for (const m of test.macros) {
        const k = macroKey(m.name, m.args.length);
        if (!used.has(k)) warnings.push(`the test sets macro \`${k}\`, which the search does not use`);
      }
    } catch (e) {
      if (e instanceof SplError) return done("fail", [`the search does not parse (nothing was run):\n${renderDiagnostics(e)}`]);
      throw e;
    }
    const failWithSearch = (reasons: string[], extra: Partial<TestResult> = {}) => done("fail", reasons, { expandedSearch: expanded, ...extra });

    const loaded = await this.loadStore(plan, tz);
    if (loaded.error !== undefined || !loaded.store) return failWithSearch([`cannot load the test's data: ${loaded.error}`]);
    const store = loaded.store;

    const models = await this.baselines(d, plan, now, tz);
    if (models.error !== undefined) return failWithSearch([models.error]);
    if (models.warnings && !models.reported) {
      // Reported with the first test that ran the baselines.
      models.reported = true;
      warnings.push(...models.warnings);
    }
    const base: RunOptions = {
      ...compileOptions,
      data: store,
      now,
      tz,
      modelsDir: models.dir ?? this.emptyModels,
      ...(this.options.geoipDb !== undefined ? { geoipDb: this.options.geoipDb } : {}),
    };

    try {
      if (!this.options.schedule) {
        const { table, warnings: w } = await runSearch(d.search, { ...base, ...(earliest !== undefined ? { earliest } : {}), ...(latest !== undefined ? { latest } : {}) });
        warnings.push(...w);
        const reasons = checkResults(table, test.expect, d.risk, tz);
        const risk = d.risk ? riskEvents(table, d.risk, d.name, now) : { events: [], dropped: 0 };
        if (risk.dropped > 0) warnings.push(`${risk.dropped} risk events beyond the first ${risk.events.length} left out`);
        const extra = { rows: table.length, riskEvents: risk.events };
        return reasons.length > 0 ? failWithSearch(reasons, extra) : done("pass", [], extra);
      }
      return await this.runScheduled(d, test, base, loaded, earliest, latest, tz, warnings, done, failWithSearch);
    } catch (e) {
      if (e instanceof SplError) return failWithSearch([`the search failed:\n${renderDiagnostics(e)}`]);
      if (e instanceof ScheduleError) return failWithSearch([e.message]);
      return failWithSearch([`internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`]);
    }
  }

  private async runScheduled(
    d: Detection,
    test: TestCase,
    base: RunOptions,
    loaded: LoadedStore,
    earliest: number | undefined,
    latest: number | undefined,
    tz: string,
    warnings: string[],
    done: (status: TestStatus, reasons: string[], extra?: Partial<TestResult>) => TestResult,
    failWithSearch: (reasons: string[], extra?: Partial<TestResult>) => TestResult,
  ): Promise<TestResult> {
    const first = Math.max(loaded.first, earliest ?? -Infinity);
    const last = Math.min(loaded.last, latest !== undefined ? latest - 1e-6 : Infinity);
    const runs = scheduledRuns(d.schedule, first, last, tz, this.options.maxScheduledRuns ?? MAX_SCHEDULED_RUNS);
    const fired: FiredRun[] = [];
    const tables: Table[] = [];
    const events: RiskEvent[] = [];
    let dropped = 0;
    for (const run of runs) {
      const { table, warnings: w } = await runSearch(d.search, { ...base, now: run.time, earliest: run.earliest, latest: run.latest });
      for (const x of w) if (!warnings.includes(x)) warnings.push(x);
      if (table.length === 0) continue;
      fired.push({ time: run.time, earliest: run.earliest, latest: run.latest, rows: table.length });
      tables.push(table);
      if (d.risk) {
        const r = riskEvents(table, d.risk, d.name, run.time);
        events.push(...r.events);
        dropped += r.dropped;
      }
    }
    if (dropped > 0) warnings.push(`${dropped} risk events left out (at most the first of each run are kept)`);
    const all = tables.length === 0 ? Table.empty() : Table.concat(tables);
    const reasons = checkResults(all, test.expect, d.risk, tz);
    if (runs.length === 0) reasons.unshift(`no scheduled run covers the data (cron ${d.schedule.cron}, window ${d.schedule.earliest} to ${d.schedule.latest})`);
    const extra = { rows: all.length, runs: { total: runs.length, fired }, riskEvents: events };
    return reasons.length > 0 ? failWithSearch(reasons, extra) : done("pass", [], extra);
  }

  /**
   * An Elastic rule's test: the rule on its schedule over the data's timeline (the runs bounded by
   * the test's earliest and latest), or once at the test's `now` when it sets that and neither bound
   * (and --schedule is not given). Passes when the rule alerts at least once, or as `expect:` says,
   * over the alert rows `spelunk run RULE.toml` prints.
   */
  private async runElastic(
    d: Detection,
    test: TestCase,
    warnings: string[],
    done: (status: TestStatus, reasons: string[], extra?: Partial<TestResult>) => TestResult,
  ): Promise<TestResult> {
    const where = `${d.sidecar ?? d.file}: test "${test.name}"`;
    let data: ElasticDatasetSpec[];
    try {
      data = test.data.flatMap((r) => this.datasetSpecs(r, d.dir, where, "elastic"));
    } catch (e) {
      if (e instanceof TestPathError) return done(e.severity === "skip" ? "skip" : "fail", [e.message]);
      if (e instanceof IngestError) return done("fail", [`${where}: ${e.message}`]);
      throw e;
    }
    const tz = this.tzOf(test);
    const base = test.now !== undefined ? parseTimeArg(test.now, this.options.now, tz)! : this.options.now;
    const earliest = test.earliest !== undefined ? parseTimeArg(test.earliest, base, tz) : undefined;
    const latest = test.latest !== undefined ? parseTimeArg(test.latest, base, tz) : undefined;
    const scheduled = this.options.schedule === true || test.now === undefined || earliest !== undefined || latest !== undefined;
    let outcome: ElasticTestResult;
    try {
      outcome = await testElasticRule({
        rulePath: d.elastic!.rule,
        data,
        apps: this.options.apps ?? [],
        mappings: [...(this.options.mappings ?? []), ...d.elastic!.mappings],
        ...(scheduled
          ? { schedule: { ...(earliest !== undefined ? { start: earliest } : {}), ...(latest !== undefined ? { end: latest } : {}) } }
          : { now: base }),
        warn: (message) => {
          const w = inTestTerms(message);
          if (!warnings.includes(w)) warnings.push(w);
        },
      });
    } catch (e) {
      if (e instanceof SplError) return done("fail", [`the rule cannot run:\n${renderDiagnostics(e)}`]);
      if (e instanceof CliError) return done("fail", [inTestTerms(e.message)]);
      return done("fail", [`internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`]);
    }
    const { result } = outcome;
    const table = alertsTable(result);
    // Without an exact count, testElasticRule's rule: at least one alert.
    const noAlert = `the rule raised no alert (the default: at least one): ${outcome.message}`;
    const reasons = checkResults(table, test.expect, undefined, tz, noAlert);
    if (reasons.length > 0 && table.length === 0 && !reasons.includes(noAlert)) reasons.push(outcome.message);
    const extra: Partial<TestResult> = {
      rows: table.length,
      ...(scheduled ? { runs: { total: result.runs, fired: firedRuns(result.alerts, result.rule.from) } } : {}),
    };
    return reasons.length > 0 ? done("fail", reasons, { ...extra, ruleQuery: result.rule.query.text }) : done("pass", [], extra);
  }

  /**
   * The model folder holding what the detection's baselines fitted, each run once per distinct
   * (baselines, their data, their time range); undefined when the detection needs none.
   */
  private baselines(d: Detection, testPlan: DataPlan, now: number, tz: string): Promise<BaselineOutcome> {
    if (d.needs.length === 0) return Promise.resolve({});
    const where = d.sidecar ?? d.file;
    const steps: Array<{ b: BaselineRef; plan: DataPlan; earliest?: number; latest?: number }> = [];
    for (const b of d.needs) {
      const plan = b.data.length > 0 ? this.resolveData(b.data, b.dir, `${where}: baseline ${b.name}`) : testPlan;
      if (plan.error) return Promise.resolve({ error: `baseline ${b.name}: ${plan.error.message}` });
      const earliest = b.earliest !== undefined ? parseTimeArg(b.earliest, now, tz) : undefined;
      const latest = b.latest !== undefined ? parseTimeArg(b.latest, now, tz) : undefined;
      steps.push({ b, plan, ...(earliest !== undefined ? { earliest } : {}), ...(latest !== undefined ? { latest } : {}) });
    }
    const key = JSON.stringify(steps.map((s) => [resolve(s.b.file), s.plan.key, s.earliest, s.latest, tz, now]));
    let result = this.baselineDirs.get(key);
    if (!result) {
      result = this.runBaselines(steps, now, tz);
      this.baselineDirs.set(key, result);
    }
    return result;
  }

  private async runBaselines(steps: Array<{ b: BaselineRef; plan: DataPlan; earliest?: number; latest?: number }>, now: number, tz: string): Promise<BaselineOutcome> {
    const dir = join(this.options.workDir, `models-${++this.modelDirs}`);
    mkdirSync(dir, { recursive: true });
    const warnings: string[] = [];
    for (const { b, plan, earliest, latest } of steps) {
      const loaded = await this.loadStore(plan, tz);
      if (loaded.error !== undefined || !loaded.store) return { error: `baseline ${b.name}: cannot load its data: ${loaded.error}` };
      try {
        await runSearch(b.search, {
          sourceName: b.file,
          macros: this.options.macros.withOverrides(this.options.cliMacros ?? []),
          detectionStem: b.stem,
          data: loaded.store,
          now,
          tz,
          modelsDir: dir,
          warn: (message) => {
            const w = `baseline ${b.name}: ${message}`;
            if (!warnings.includes(w)) warnings.push(w);
          },
          ...(earliest !== undefined ? { earliest } : {}),
          ...(latest !== undefined ? { latest } : {}),
          ...(this.options.geoipDb !== undefined ? { geoipDb: this.options.geoipDb } : {}),
        });
      } catch (e) {
        if (e instanceof SplError) return { error: `baseline ${b.name} (${b.file}) failed:\n${renderDiagnostics(e)}` };
        throw e;
      }
    }
    return { dir, warnings };
  }
}

interface BaselineOutcome {
  dir?: string;
  error?: string;
  warnings?: string[];
  /** The warnings were shown with a test already. */
  reported?: boolean;
}

/** The runs that raised alerts: each run searches [from, its time). */
function firedRuns(alerts: readonly Alert[], from: string): FiredRun[] {
  const counts = new Map<number, number>();
  for (const a of alerts) counts.set(a.runTime, (counts.get(a.runTime) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => a[0] - b[0])
    .map(([time, rows]) => ({ time, earliest: parseDateMath(from, time) ?? time, latest: time, rows }));
}

/** Messages of `spelunk run RULE.toml` name its options; a test file's keys say the same here. */
function inTestTerms(message: string): string {
  return message.replace(/--(now|index|mappings)\b/g, "$1:");
}

function storeKey(specsKey: string, tz: string): string {
  return `${tz}\u0000${specsKey}`;
}


/** First and last event time of the loaded events. */
function timeRange(events: Table): { first: number; last: number } {
  const column = events.column("_time");
  let first = Infinity;
  let last = -Infinity;
  if (column) {
    for (let row = 0; row < events.length; row++) {
      const t = column instanceof NumberColumn ? column.values[row]! : Number(column.get(row));
      if (!Number.isFinite(t)) continue;
      if (t < first) first = t;
      if (t > last) last = t;
    }
  }
  return { first, last };
}
