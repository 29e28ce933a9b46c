/**
 * What the REPL works on, apart from the screen: the macros and knowledge, the loaded datasets, the
 * search clock, and the last search and its results. The ink application and the piped mode both
 * drive this; neither touches the engine directly.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { runSearch } from "../exec/run.js";
import type { DataSource } from "../exec/datasource.js";
import type { DataStore } from "../exec/store.js";
import { DataStore as Store } from "../exec/store.js";
import type { DatasetSpec } from "../ingest/format.js";
import type { Knowledge } from "../knowledge/knowledge.js";
import { BASE_EVENT_FIELDS, datasetFields } from "../knowledge/datamodel.js";
import type { MacroLibrary } from "../macros/library.js";
import type { Table } from "../table/table.js";
import { commandNames } from "../commands/index.js";
import { runnableFunctions } from "../commands/aggregations.js";
import { evalFunctions } from "../eval/functions.js";
import type { DataArg } from "../cli/data-options.js";
import { loadKnowledge, loadLibrary } from "../cli/library.js";
import { datasetSpecs, loadData, resolveTimeZone, searchClock, type ClockOptions } from "../cli/session.js";
import type { CompletionSources, MacroInfo } from "./completion.js";

export interface ReplConfig extends ClockOptions {
  readonly data: readonly DataArg[];
  readonly apps: readonly string[];
  readonly macros: readonly string[];
  readonly geoipDb?: string;
  /** MLTK's model directory (`--models DIR`, default ./models, as `run`): fit saves there, apply and `.models` read it. */
  readonly modelsDir?: string;
}

export type SearchOutcome =
  | { readonly kind: "ok"; readonly table: Table; readonly ms: number; readonly scanned: number; readonly warnings: readonly string[] }
  | { readonly kind: "error"; readonly error: unknown; readonly ms: number }
  | { readonly kind: "cancelled"; readonly ms: number };

export interface LoadProgress {
  /** 1-based file number and the count of files. */
  readonly file: number;
  readonly files: number;
  readonly path: string;
  /** 0..1 of the current file read. */
  readonly fraction: number;
  readonly events: number;
  /** The current file's bytes read and size, as readDataset reports them. */
  readonly bytes: number;
  readonly totalBytes: number;
}

export interface LoadResult {
  readonly events: number;
  /** Skipped-line messages. */
  readonly messages: readonly string[];
}

/** Reading the events scanned by a search: every event or data model summary row handed to it. */
class CountingSource implements DataSource {
  scanned = 0;

  constructor(private readonly inner: DataStore) {}

  events(): Table {
    const t = this.inner.events();
    this.scanned += t.length;
    return t;
  }

  summary(model: string) {
    const s = this.inner.summary(model);
    if (s) this.scanned += s.table.length;
    return s;
  }

  lookup(name: string) {
    return this.inner.lookup(name);
  }
}

export class ReplSession {
  /** The last search run (for `.expand` and `.export`), and its results when it succeeded. */
  lastSearch: string | undefined;
  lastTable: Table | undefined;
  private specs: DatasetSpec[];
  private store: DataStore;
  private clock: ClockOptions;
  private fieldCache: readonly string[] | undefined;
  private loading: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly config: ReplConfig,
    readonly macros: MacroLibrary,
    readonly knowledge: Knowledge,
    specs: DatasetSpec[],
  ) {
    this.specs = specs;
    this.clock = { ...(config.tz !== undefined ? { tz: config.tz } : {}), ...(config.now !== undefined ? { now: config.now } : {}), ...(config.earliest !== undefined ? { earliest: config.earliest } : {}), ...(config.latest !== undefined ? { latest: config.latest } : {}) };
    const { tz, now } = searchClock(this.clock);
    this.store = Store.empty(knowledge, { now, tz });
  }

  /**
   * Reads the macros and apps and checks the options (a bad --tz, --now, a --data without its
   * sourcetype are CliErrors); the data is loaded by `load`. `warn` gets messages about skipped
   * macro and app files.
   */
  static create(config: ReplConfig, warn: (text: string) => void): ReplSession {
    searchClock(config);
    const macros = loadLibrary(config.macros, warn);
    const knowledge = loadKnowledge(config.apps, warn);
    return new ReplSession(config, macros, knowledge, datasetSpecs(config.data));
  }

  /** For tests: a session over given macros, knowledge and specs. */
  static of(config: ReplConfig, macros: MacroLibrary, knowledge: Knowledge, specs: DatasetSpec[] = []): ReplSession {
    return new ReplSession(config, macros, knowledge, specs);
  }

  get datasets(): readonly DatasetSpec[] {
    return this.specs;
  }

  get data(): DataStore {
    return this.store;
  }

  get modelsDir(): string {
    return this.config.modelsDir ?? "models";
  }

  get tz(): string {
    return resolveTimeZone(this.clock.tz);
  }

  /** The pinned now() (--now or `.now TIME`) as given, or undefined when each search uses its start time. */
  get pinnedNow(): string | undefined {
    return this.clock.now;
  }

  /** Sets the time zone or now() (undefined: unpinned); a bad value is a CliError and changes nothing. */
  setClock(change: { tz?: string; now?: string | undefined }): void {
    const next: ClockOptions = { ...this.clock };
    if (change.tz !== undefined) next.tz = change.tz;
    if ("now" in change) {
      if (change.now === undefined) delete next.now;
      else next.now = change.now;
    }
    searchClock(next);
    this.clock = next;
  }

  /** now() for a search starting at `wallClock`. */
  searchClock(wallClock = Date.now() / 1000) {
    return searchClock(this.clock, wallClock);
  }

  /** (Re)loads every dataset (and `extra` ones). Loads run one after another. */
  load(onProgress?: (p: LoadProgress) => void, extra: readonly DatasetSpec[] = []): Promise<LoadResult> {
    const next = this.loading.then(() => this.loadNow(onProgress, extra));
    this.loading = next.catch(() => undefined);
    return next;
  }

  private async loadNow(onProgress: ((p: LoadProgress) => void) | undefined, extra: readonly DatasetSpec[]): Promise<LoadResult> {
    const specs = [...this.specs, ...extra];
    const messages: string[] = [];
    const { tz, now } = this.searchClock();
    let file = 0;
    let lastTotal = -1;
    let lastBytes = 0;
    const progress = onProgress
      ? (bytes: number, total: number, events?: number) => {
          if (file === 0 || total !== lastTotal || bytes < lastBytes) file++;
          lastTotal = total;
          lastBytes = bytes;
          const spec = specs[Math.min(file, specs.length) - 1];
          onProgress({ file: Math.min(file, specs.length), files: specs.length, path: spec?.path ?? "", fraction: total > 0 ? Math.min(1, bytes / total) : 1, events: events ?? 0, bytes, totalBytes: total });
        }
      : undefined;
    if (specs.length === 0) {
      this.store = Store.empty(this.knowledge, { now, tz });
      this.fieldCache = undefined;
      return { events: 0, messages };
    }
    const loaded = await loadData(specs, this.knowledge, { now, tz, ...(progress ? { onProgress: progress } : {}), warn: (t) => messages.push(t.replace(/\n$/, "")) });
    this.store = loaded.store;
    this.specs = specs;
    this.fieldCache = undefined;
    return { events: loaded.report.events, messages };
  }

  /** Adds a dataset (`.load`) and reloads. */
  async add(arg: DataArg, onProgress?: (p: LoadProgress) => void): Promise<LoadResult> {
    return this.load(onProgress, datasetSpecs([arg]));
  }

  /** Runs one search over the loaded data; never throws for a user error. */
  async run(search: string, signal?: AbortSignal): Promise<SearchOutcome> {
    const started = performance.now();
    this.lastSearch = search;
    const source = new CountingSource(this.store);
    const ms = () => performance.now() - started;
    try {
      const clock = this.searchClock();
      const warnings: string[] = [];
      const { table } = await runSearch(search, {
        sourceName: "<search>",
        macros: this.macros,
        data: source,
        now: clock.now,
        tz: clock.tz,
        ...(clock.earliest !== undefined ? { earliest: clock.earliest } : {}),
        ...(clock.latest !== undefined ? { latest: clock.latest } : {}),
        ...(this.config.geoipDb !== undefined ? { geoipDb: this.config.geoipDb } : {}),
        modelsDir: this.modelsDir,
        ...(signal ? { signal } : {}),
        warn: (message) => warnings.push(message),
      });
      if (signal?.aborted) return { kind: "cancelled", ms: ms() };
      this.lastTable = table;
      return { kind: "ok", table, ms: ms(), scanned: source.scanned, warnings };
    } catch (error) {
      if (signal?.aborted) return { kind: "cancelled", ms: ms() };
      return { kind: "error", error, ms: ms() };
    }
  }

  /** Field names of the loaded events, sorted. */
  fieldNames(): readonly string[] {
    this.fieldCache ??= this.store.events().fields().sort();
    return this.fieldCache;
  }

  completionSources(metaCommands: readonly string[]): CompletionSources {
    const macroInfo = (): MacroInfo[] => this.macros.keys().map((k) => {
      const def = this.macros.get(k)!;
      return { name: def.name, arity: def.args.length };
    });
    let macroCache: MacroInfo[] | undefined;
    return {
      commands: () => commandNames(),
      macros: () => (macroCache ??= macroInfo()),
      dataModels: () => [...this.knowledge.dataModels.keys()].sort(),
      datasets: (model) => this.knowledge.dataModels.get(model)?.datasets.map((d) => d.name) ?? [],
      dataModelFields: (model) => dataModelFieldNames(this.knowledge, model),
      fields: () => this.fieldNames(),
      evalFunctions: () => [...evalFunctions.keys()].sort(),
      statsFunctions: () => [...runnableFunctions].sort(),
      metaCommands: () => metaCommands,
      paths: (prefix) => listPaths(prefix),
    };
  }
}

/** A data model's fields as tstats names them: `Dataset.field`, and the base fields. */
export function dataModelFieldNames(knowledge: Knowledge, model: string): string[] {
  const dm = knowledge.dataModels.get(model);
  if (!dm) return [];
  const out = new Set<string>(BASE_EVENT_FIELDS);
  for (const ds of dm.datasets) for (const f of datasetFields(ds)) out.add(`${ds.name}.${f.name}`);
  return [...out];
}

/** Folder entries for path completion: at most 500, folders with a trailing `/`, hidden ones only when asked for. */
function listPaths(prefix: string): string[] {
  const dir = prefix.endsWith("/") ? prefix : dirname(prefix);
  const base = prefix.endsWith("/") ? "" : basename(prefix);
  const shownDir = prefix.endsWith("/") ? prefix : dir === "." && !prefix.startsWith("./") ? "" : `${dir}/`.replace(/^\/\//, "/");
  try {
    if (!existsSync(dir || ".")) return [];
    const out: string[] = [];
    for (const name of readdirSync(dir || ".").slice(0, 5000)) {
      if (name.startsWith(".") && !base.startsWith(".")) continue;
      let folder = false;
      try {
        folder = statSync(join(dir || ".", name)).isDirectory();
      } catch {
        // Unreadable entries are still listed.
      }
      out.push(`${shownDir}${name}${folder ? "/" : ""}`);
      if (out.length >= 500) break;
    }
    return out;
  } catch {
    return [];
  }
}
