/**
 * Loading replayed datasets into the DataStore that searches run over: read each file (ingest),
 * add its search-time fields (knowledge: props/transforms/eventtypes/tags), then build every data
 * model's summary once, as Splunk's acceleration would. All the work is done here, at load.
 */
import { IngestError, type DatasetSpec, type IngestProblem } from "../ingest/format.js";
import { readDataset } from "../ingest/read.js";
import type { Knowledge } from "../knowledge/knowledge.js";
import type { LookupTable } from "../knowledge/lookup.js";
import { buildSummary, type DataModelSummary } from "../knowledge/summary.js";
import { NumberColumn, Table } from "../table/table.js";
import type { DataSource } from "./datasource.js";

export interface LoadOptions {
  readonly now: number;
  readonly tz: string;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface LoadReport {
  readonly problems: readonly IngestProblem[];
  /** Lines skipped in all, including those beyond the problems kept. */
  readonly skipped: number;
  readonly events: number;
}

export class DataStore implements DataSource {
  private readonly summaries = new Map<string, DataModelSummary>();

  private constructor(
    private readonly all: Table,
    readonly knowledge: Knowledge,
    ctx: { now: number; tz: string },
  ) {
    for (const [name, model] of knowledge.dataModels) this.summaries.set(name, buildSummary(model, all, ctx));
  }

  /** Read every dataset; a dataset that cannot be read at all (missing, empty, unknown sourcetype) is an IngestError. */
  static async load(specs: readonly DatasetSpec[], knowledge: Knowledge, options: LoadOptions): Promise<{ store: DataStore; report: LoadReport }> {
    const tables: Table[] = [];
    const problems: IngestProblem[] = [];
    let skipped = 0;
    for (const spec of specs) {
      const format = knowledge.formatFor(spec.sourcetype, spec.source ?? spec.path);
      if (!format) throw new IngestError(`${spec.path}: ${knowledge.formatProblem(spec.sourcetype, spec.source ?? spec.path) ?? `cannot read sourcetype ${spec.sourcetype}`}`);
      const read = await readDataset(spec, format, options.onProgress ? { onProgress: options.onProgress } : {});
      problems.push(...read.problems);
      skipped += read.skipped;
      const meta = { sourcetype: spec.sourcetype, source: String(read.events.get(0, "source") ?? spec.path), host: String(read.events.get(0, "host") ?? "") };
      tables.push(knowledge.applySearchTime(read.events, meta, options));
    }
    const all = newestFirst(Table.concat(tables));
    return { store: new DataStore(all, knowledge, options), report: { problems, skipped, events: all.length } };
  }

  /** An empty store (searches that only generate: makeresults, inputlookup). */
  static empty(knowledge: Knowledge, ctx: { now: number; tz: string }): DataStore {
    return new DataStore(Table.empty(), knowledge, ctx);
  }

  events(): Table {
    return this.all;
  }

  summary(model: string): DataModelSummary | undefined {
    return this.summaries.get(model);
  }

  lookup(name: string): LookupTable | undefined {
    return this.knowledge.lookup(name);
  }
}

/**
 * Splunk returns events newest first; ties keep their load order. Logs are usually written oldest
 * first, or newest first already: both are put in order without a sort. The table is copied in
 * the new order (not viewed through it), since every search and summary reads it.
 */
function newestFirst(table: Table): Table {
  const time = table.column("_time");
  const n = table.length;
  if (!time || n === 0) return table;
  const times = new Float64Array(n);
  for (let row = 0; row < n; row++) {
    const t = time instanceof NumberColumn ? time.values[row]! : Number(time.get(row) ?? NaN);
    times[row] = Number.isNaN(t) ? -Infinity : t;
  }
  let descending = true;
  let ascending = true;
  for (let row = 1; row < n && (descending || ascending); row++) {
    if (times[row]! > times[row - 1]!) descending = false;
    else if (times[row]! < times[row - 1]!) ascending = false;
  }
  if (descending) return table;
  if (ascending && !hasTies(times)) return table.reversed();
  const order = new Uint32Array(n);
  if (ascending) {
    // Reversed, each run of equal times kept in load order.
    let k = 0;
    for (let end = n; end > 0; ) {
      let start = end - 1;
      while (start > 0 && times[start - 1] === times[end - 1]) start--;
      for (let row = start; row < end; row++) order[k++] = row;
      end = start;
    }
  } else {
    for (let row = 0; row < n; row++) order[row] = row;
    order.sort((a, b) => times[b]! - times[a]! || a - b);
  }
  return table.gather(order);
}

function hasTies(sorted: Float64Array): boolean {
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return true;
  return false;
}
