/**
 * spelunk against DuckDB on the same Zeek conn logs, in one process (`npm run bench`).
 *
 *   npm run bench [-- --sizes 100k,1m,5m] [--runs N] [--load-runs N] [--cold-runs N] [--no-cold] [--no-build]
 *                    [--spelunk DIR] [--out FILE]
 *
 * For each size, a generated bro:conn:json file (bench/generate.ts, cached in bench/data/) is
 *   1. loaded: spelunk's DataStore.load (ingest, search-time knowledge, every data model summary)
 *      against DuckDB's read_json into a table;
 *   2. queried: seed 1's tstats stage, through `drop_dm_object_name`, from
 *      searches/detect_outbound_smb_traffic.spl (verbatim; the later stages format times, look up
 *      places and filter per result row, which DuckDB has no counterpart for), run with runSearch,
 *      against the same filters and groups in SQL (bench/duckdb.ts), both giving rows in JavaScript;
 *      the two are checked to give the same rows; the median of several runs counts (the first
 *      run, which builds the inverted indexes of the fields the search filters on, is shown apart);
 *   3. measured: the bytes per event spelunk holds after the load (V8 heap + array buffers, after a
 *      forced GC), the share of them the Network_Traffic summary holds (with every inverted index
 *      built), against the file's bytes per
 *      event (and DuckDB's own figure, from duckdb_memory());
 * and on the smallest file, 4. a cold run: `node bin/spelunk.js run` against a fresh Node.js process
 * running DuckDB (bench/duckdb-cold.mjs): start, load, query, print. spelunk is measured as it ships:
 * the JavaScript `npm run build` compiles (run first, unless --no-build).
 *
 * Prints one table of the ratios spelunk/DuckDB, with spelunk's time per event loaded and per
 * event matched (flat across the sizes when the cost is linear), and writes
 * bench/results/<date>.json. The machines are shared and noisy: a ratio, measured in the same
 * run, is the figure to quote.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem, type } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { DuckDBInstance, version as duckdbVersion } from "@duckdb/node-api";
import type { DataStore } from "../src/exec/store.js";
import type { Value } from "../src/table/value.js";
import { loadSql, querySql, setupSql } from "./duckdb.js";
import { zeekConnDataset } from "./generate.js";

const root = resolve(import.meta.dirname, "..");
const NODE_FLAGS = ["--expose-gc", "--max-old-space-size=16384"];

// Re-run under the flags the measurements need (a forced GC; room for 5M events).
if (typeof globalThis.gc !== "function") {
  const child = spawnSync(process.execPath, [...NODE_FLAGS, "--import", "tsx", import.meta.filename, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(child.status ?? 1);
}
const gc = globalThis.gc as () => void;

// ---- options ---------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const count = (text: string): number => {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text} (e.g. 100k, 1m, 5m)`);
  return Math.round(Number(m[1]) * (m[2]!.toLowerCase() === "k" ? 1e3 : m[2]!.toLowerCase() === "m" ? 1e6 : 1));
};
const SIZES = (option("--sizes") ?? "100k,1m,5m").split(",").map(count);
const QUERY_RUNS = Number(option("--runs") ?? 10);
const LOAD_RUNS = option("--load-runs");
const COLD_RUNS = Number(option("--cold-runs") ?? 5);
const COLD = !argv.includes("--no-cold");
const BUILD = !argv.includes("--no-build");

const DATA_DIR = join(root, "bench/data");
const RESULTS_DIR = join(root, "bench/results");
const SOURCETYPE = "bro:conn:json";
const NOW = Date.UTC(2024, 2, 2) / 1000;
const TZ = "UTC";

/** Seed 1 up to and including `drop_dm_object_name`, as the file has it. */
function seedSearch(): string {
  const lines = readFileSync(join(root, "searches/detect_outbound_smb_traffic.spl"), "utf8").split("\n");
  const end = lines.findIndex((l) => l.includes("drop_dm_object_name"));
  return lines.slice(0, end + 1).join("\n");
}
const SEARCH = seedSearch();

// spelunk as it ships: the JavaScript `npm run build` compiles into dist/ (built below), not the
// TypeScript sources through tsx's on-the-fly compiler, whose output is not the same code.
// --spelunk DIR measures another checkout of spelunk (built there) against the same DuckDB runs: an
// earlier version, for a before/after comparison on the same machine.
const SPELUNK = resolve(option("--spelunk") ?? root);
const dist = (path: string): string => pathToFileURL(join(SPELUNK, "dist", path)).href;

// ---- measuring -------------------------------------------------------------------------------------

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Bytes held: the V8 heap and array buffers, after collecting what can be collected. */
function held(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function spelunkLoad(path: string): Promise<{ ms: number; store: DataStore; events: number }> {
  const started = performance.now();
  const knowledge = Knowledge.load();
  const { store, report } = await Store.load([{ path, sourcetype: SOURCETYPE, source: path, host: "bench", index: "main" }], knowledge, { now: NOW, tz: TZ });
  return { ms: performance.now() - started, store, events: report.events };
}

async function spelunkQuery(store: DataStore): Promise<Array<Record<string, Value>>> {
  const { table } = await runSearch(SEARCH, { sourceName: "detect_outbound_smb_traffic.spl", macros, data: store, now: NOW, tz: TZ });
  return table.rows();
}

/** A result row as comparable text: group, times, sorted values, count. */
function rowKey(r: Record<string, unknown>): string {
  const list = (v: unknown): string[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v.map(String).sort() : [String(v)]);
  return JSON.stringify([String(r.src_ip), String(r.dest_ip), Number(r.dest_port), Number(r.start_time), Number(r.end_time), list(r.action), list(r.app), list(r.sourcetype), Number(r.count)]);
}

function sameRows(a: ReadonlyArray<Record<string, unknown>>, b: ReadonlyArray<Record<string, unknown>>): { same: boolean; detail: string } {
  const x = a.map(rowKey).sort();
  const y = b.map(rowKey).sort();
  if (x.length === y.length && x.every((k, i) => k === y[i])) return { same: true, detail: "" };
  const setY = new Set(y);
  const setX = new Set(x);
  const missing = x.filter((k) => !setY.has(k)).slice(0, 3);
  const extra = y.filter((k) => !setX.has(k)).slice(0, 3);
  return { same: false, detail: `spelunk ${x.length} rows, DuckDB ${y.length}; only spelunk: ${missing.join(" ")}; only DuckDB: ${extra.join(" ")}` };
}

interface SizeResult {
  events: number;
  fileBytes: number;
  load: { spelunkMs: number[]; duckdbMs: number[]; ratio: number };
  query: { spelunkFirstMs: number; duckdbFirstMs: number; spelunkMs: number[]; duckdbMs: number[]; ratio: number; rows: number; matchedEvents: number; sameRows: boolean; detail?: string };
  memory: { spelunkBytesPerEvent: number; summaryBytesPerEvent: number; fileBytesPerEvent: number; ratioToFile: number; duckdbBytesPerEvent: number };
}

async function measureSize(events: number): Promise<SizeResult> {
  const file = zeekConnDataset(DATA_DIR, events);
  if (file.generated) log(`  generated ${file.path} (${mb(file.bytes)})`);
  const loadRuns = LOAD_RUNS !== undefined ? Number(LOAD_RUNS) : events <= 100_000 ? 3 : events <= 1_000_000 ? 2 : 1;

  const duck = await DuckDBInstance.create(":memory:");
  const spelunkMs: number[] = [];
  const duckdbMs: number[] = [];
  let store: DataStore | undefined;
  let memory = { total: 0, summary: 0 };
  let loaded = 0;
  let connection = await duck.connect();
  // Held memory is measured after the first load, from a heap that holds no store yet.
  const base = held();
  for (let run = 0; run < loadRuns; run++) {
    // spelunk: the previous store is dropped first.
    store = undefined;
    if (run > 0) gc();
    const s = await spelunkLoad(file.path);
    spelunkMs.push(s.ms);
    store = s.store;
    loaded = s.events;
    if (run === 0) {
      const total = held() - base;
      // The summary's share: a second one built over the same events, held beside the first.
      const model = store.knowledge.dataModels.get("Network_Traffic")!;
      const before = held();
      const again = buildSummary(model, store.events(), { now: NOW, tz: TZ });
      // With every inverted index built (a search builds those it filters on when it first does): the most it holds.
      for (const name of again.table.fields()) void (again.table.column(name) as { index?: unknown }).index;
      const after = held();
      if (again.table.length !== store.summary("Network_Traffic")!.table.length) throw new Error("the summaries differ");
      memory = { total, summary: after - before };
    }
    log(`  load ${run + 1}/${loadRuns}: spelunk ${sec(s.ms)}`);

    // DuckDB: a fresh table each run.
    await connection.run("DROP TABLE IF EXISTS conn");
    const started = performance.now();
    await connection.run(loadSql(file.path));
    duckdbMs.push(performance.now() - started);
    log(`  load ${run + 1}/${loadRuns}: DuckDB ${sec(duckdbMs[duckdbMs.length - 1]!)}`);
  }
  if (!store) throw new Error("no load runs");
  const duckMemory = Number((await connection.runAndReadAll("SELECT sum(memory_usage_bytes) AS b FROM duckdb_memory()")).getRowObjectsJS()[0]!.b);
  for (const sql of setupSql()) await connection.run(sql);

  // Queries: one warm-up each, then timed runs in blocks (spelunk's, then DuckDB's, twice):
  // DuckDB's worker threads are still busy for a moment after a query returns, which on two
  // cores slows whatever runs next, so the two are not interleaved run by run.
  const sql = querySql();
  // The first query builds what searches build on first use (the inverted indexes of the fields it
  // filters on, dictionary orders): timed on its own, and not in the median.
  let started = performance.now();
  let spelunkRows = await spelunkQuery(store);
  const spelunkFirstMs = performance.now() - started;
  started = performance.now();
  let duckRows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
  const duckdbFirstMs = performance.now() - started;
  const qs: number[] = [];
  const qd: number[] = [];
  for (let block = 0; block < 2; block++) {
    const runs = block === 0 ? Math.ceil(QUERY_RUNS / 2) : Math.floor(QUERY_RUNS / 2);
    for (let run = 0; run < runs; run++) {
      const t = performance.now();
      spelunkRows = await spelunkQuery(store);
      qs.push(performance.now() - t);
    }
    for (let run = 0; run < runs; run++) {
      const t = performance.now();
      duckRows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
      qd.push(performance.now() - t);
    }
  }
  const check = sameRows(spelunkRows, duckRows);
  const matched = spelunkRows.reduce((n, r) => n + Number(r.count ?? 0), 0);
  connection.closeSync();
  duck.closeSync();
  connection = undefined as never;

  return {
    events: loaded,
    fileBytes: file.bytes,
    load: { spelunkMs, duckdbMs, ratio: median(spelunkMs) / median(duckdbMs) },
    query: { spelunkFirstMs, duckdbFirstMs, spelunkMs: qs, duckdbMs: qd, ratio: median(qs) / median(qd), rows: spelunkRows.length, matchedEvents: matched, sameRows: check.same, ...(check.same ? {} : { detail: check.detail }) },
    memory: {
      spelunkBytesPerEvent: memory.total / loaded,
      summaryBytesPerEvent: memory.summary / loaded,
      fileBytesPerEvent: file.bytes / loaded,
      ratioToFile: memory.total / file.bytes,
      duckdbBytesPerEvent: duckMemory / loaded,
    },
  };
}

interface ColdResult {
  events: number;
  spelunkMs: number[];
  duckdbMs: number[];
  ratio: number;
  spelunkRows: number;
  duckdbRows: number;
}

function coldRuns(events: number): ColdResult {
  const file = zeekConnDataset(DATA_DIR, events);
  const spelunkArgs = [join(SPELUNK, "bin/spelunk.js"), "run", "-e", SEARCH, "--data", file.path, "--sourcetype", SOURCETYPE, "--tz", TZ, "--now", String(NOW), "--format", "json"];
  const duckArgs = ["bench/duckdb-cold.mjs", JSON.stringify([loadSql(file.path), ...setupSql(), querySql()])];
  const timed = (args: string[]): { ms: number; rows: number } => {
    const started = performance.now();
    const child = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const ms = performance.now() - started;
    if (child.status !== 0) throw new Error(`${args[0]} failed (${child.status}): ${child.stderr}`);
    return { ms, rows: child.stdout.split("\n").filter((l) => l.trim() !== "").length };
  };
  const s: number[] = [];
  const d: number[] = [];
  let rows = { spelunk: 0, duckdb: 0 };
  for (let run = 0; run < COLD_RUNS; run++) {
    const a = timed(spelunkArgs);
    const b = timed(duckArgs);
    s.push(a.ms);
    d.push(b.ms);
    rows = { spelunk: a.rows, duckdb: b.rows };
    log(`  cold ${run + 1}/${COLD_RUNS}: spelunk ${sec(a.ms)}, DuckDB ${sec(b.ms)}`);
  }
  return { events, spelunkMs: s, duckdbMs: d, ratio: median(s) / median(d), spelunkRows: rows.spelunk, duckdbRows: rows.duckdb };
}

// ---- output ----------------------------------------------------------------------------------------

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
const human = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function report(sizes: SizeResult[], cold: ColdResult | undefined): string {
  const rows = sizes.map((r) => [
    human(r.events),
    sec(median(r.load.spelunkMs)),
    sec(median(r.load.duckdbMs)),
    `${r.load.ratio.toFixed(2)}x`,
    `${((median(r.load.spelunkMs) * 1000) / r.events).toFixed(2)}`,
    `${median(r.query.spelunkMs).toFixed(1)} ms`,
    `${median(r.query.duckdbMs).toFixed(1)} ms`,
    `${r.query.ratio.toFixed(2)}x`,
    `${r.query.spelunkFirstMs.toFixed(0)}/${r.query.duckdbFirstMs.toFixed(0)} ms`,
    `${r.query.matchedEvents}/${r.query.rows}${r.query.sameRows ? "" : " DIFFER"}`,
    `${((median(r.query.spelunkMs) * 1000) / Math.max(1, r.query.matchedEvents)).toFixed(1)}`,
    r.memory.spelunkBytesPerEvent.toFixed(0),
    r.memory.summaryBytesPerEvent.toFixed(0),
    r.memory.fileBytesPerEvent.toFixed(0),
    `${r.memory.ratioToFile.toFixed(2)}x`,
    r.memory.duckdbBytesPerEvent.toFixed(0),
  ]);
  let out = table(
    ["events", "load spelunk", "load DuckDB", "ratio", "us/event", "query spelunk", "query DuckDB", "ratio", "first query", "matched/rows", "us/match", "mem B/ev", "summary B/ev", "file B/ev", "mem/file", "DuckDB B/ev"],
    rows,
  );
  if (cold) {
    out += `\n\ncold run on ${human(cold.events)} events (start, load, query, print; median of ${cold.spelunkMs.length}): spelunk ${sec(median(cold.spelunkMs))}, DuckDB ${sec(median(cold.duckdbMs))}, ratio ${cold.ratio.toFixed(2)}x (${cold.spelunkRows}/${cold.duckdbRows} rows)`;
  }
  const differ = sizes.filter((r) => !r.query.sameRows);
  for (const r of differ) out += `\nrows differ at ${human(r.events)}: ${r.query.detail}`;
  return out;
}

// ---- main ------------------------------------------------------------------------------------------

const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? "unknown",
  memoryGB: Math.round(totalmem() / 2 ** 30),
  os: `${type()} ${release()}`,
  node: process.version,
  duckdb: duckdbVersion(),
  loadavgAtStart: loadavg().map((x) => Number(x.toFixed(2))),
};
log(`machine: ${machine.cpus} x ${machine.model}, ${machine.memoryGB} GB, ${machine.os}, Node.js ${machine.node}, DuckDB ${machine.duckdb}; load average ${machine.loadavgAtStart.join(" ")}`);
log(`search:\n${SEARCH}\n`);

if (BUILD) {
  log("npm run build ...");
  try {
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(SPELUNK, "tsconfig.build.json")], { cwd: SPELUNK, stdio: "pipe" });
  } catch (e) {
    // Type errors elsewhere in the tree do not stop tsc from emitting; a missing entry point does.
    if (!existsSync(join(SPELUNK, "dist/cli/main.js"))) throw e;
    log("  (tsc reported errors; dist/ was emitted)");
  }
  // The command line's bundle (bin/spelunk.js runs it), in checkouts that have one.
  if (existsSync(join(SPELUNK, "scripts/bundle.mjs"))) execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: SPELUNK, stdio: "pipe" });
}

const { DataStore: Store } = (await import(dist("exec/store.js"))) as typeof import("../src/exec/store.js");
const { runSearch } = (await import(dist("exec/run.js"))) as typeof import("../src/exec/run.js");
const { Knowledge } = (await import(dist("knowledge/knowledge.js"))) as typeof import("../src/knowledge/knowledge.js");
const { buildSummary } = (await import(dist("knowledge/summary.js"))) as typeof import("../src/knowledge/summary.js");
const { loadShippedMacros } = (await import(dist("macros/load.js"))) as typeof import("../src/macros/load.js");
const macros = loadShippedMacros();

const results: SizeResult[] = [];
for (const events of SIZES) {
  log(`${human(events)} events:`);
  results.push(await measureSize(events));
  gc();
}
const cold = COLD ? coldRuns(Math.min(...SIZES)) : undefined;

const text = report(results, cold);
process.stdout.write(`\n${text}\n`);

const date = new Date().toISOString().slice(0, 10);
mkdirSync(RESULTS_DIR, { recursive: true });
const out = option("--out") ?? join(RESULTS_DIR, `${date}.json`);
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), machine: { ...machine, loadavgAtEnd: loadavg().map((x) => Number(x.toFixed(2))) }, spelunk: SPELUNK === root ? "." : SPELUNK, search: SEARCH, sizes: results, cold }, null, 2)}\n`,
);
log(`\nwritten ${out}`);
