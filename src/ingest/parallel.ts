/**
 * Reading a large file in parts at once: the file is cut into byte ranges at line ends; this thread
 * reads the first (it would otherwise only wait) and a worker thread each other one, as readDataset
 * reads a whole file (parse.ts); the workers' columns come back with their buffers moved, not
 * copied, and the parts' columns are joined in file order (table/concat.ts). The result is the table, problems and warnings the
 * file read line by line gives:
 * - a part's line numbers count from its start; the lines of the parts before it are added;
 * - events at the start of a part without a time of their own take the time of the event before
 *   the part, as they would have reading on (a part cannot know it);
 * - fields keep their first-seen order: a part's new fields come after all of the parts before;
 * - problems are capped again after the parts' lists are joined in order.
 *
 * Only uncompressed JSON and Zeek TSV: where a gzip stream would be cut is no place in the text, a
 * UTF-16 file's line ends are two bytes, and a CSV record or an XML event may span lines, so a line
 * end is no safe place to cut either. A Zeek TSV part after the first starts with the header lines
 * at the top of the file; if a header in the middle changed the layout (logs concatenated), the
 * parts do not fit and the file is read again on one thread.
 */
import { promises as fsp } from "node:fs";
import { availableParallelism } from "node:os";
import { getHeapStatistics } from "node:v8";
import { Worker } from "node:worker_threads";
import { concatColumns } from "../table/concat.js";
import { type Column, ConstantColumn, NumberColumn, Table } from "../table/table.js";
import type { EventMetadata } from "./columns.js";
import type { FormatSettings, IngestProblem } from "./format.js";
import { IngestError } from "./format.js";
import type { ByteRange } from "./lines.js";
import { type ParsedFile, parseFile } from "./parse.js";
import { decodeColumn, EVENT_COLUMNS, type PartRequest, type PartResult, type WorkerMessage } from "./part.js";
import type { ReadOptions, ReadTally } from "./read.js";

/**
 * Files smaller than this are read on the calling thread alone. Reading runs at about 70 MB/s a
 * thread once compiled, but a worker starts cold: 50-60 ms to start and load its modules (several
 * times that from the TypeScript sources), then its reading code is slow until V8 has optimised
 * it, and joining the parts takes some more. Measured on 2 cores, a 20 MB Zeek conn file read no
 * faster in two parts and a 37 MB one at best a little faster; 370 MB in about 0.6 of the time.
 */
export const PARALLEL_THRESHOLD = 64 * 1024 * 1024;
export const MAX_WORKERS = 8;

/** How much of the file's start is read to decide, and to find a TSV file's header lines. */
const HEAD_BYTES = 64 * 1024;
/** Bytes read at a time looking for the line end after a cut. */
const SEEK_BYTES = 64 * 1024;

export interface ParallelPlan {
  ranges: ByteRange[];
  totalBytes: number;
  /** TSV: the header lines at the top of the file, for the parts after the first. */
  preamble?: string[];
}

/** The parts to read a file in, or undefined to read it on this thread. */
export async function planParallel(file: string, format: FormatSettings, options: ReadOptions): Promise<ParallelPlan | undefined> {
  if (format.kind !== "json" && format.kind !== "tsv") return undefined;
  const threshold = options.parallelThreshold ?? PARALLEL_THRESHOLD;
  const workers = Math.floor(options.workers ?? Math.min(availableParallelism(), MAX_WORKERS));
  if (!(workers >= 1) || (options.workers === undefined && workers < 2)) return undefined;
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(file, "r");
    const stat = await fh.stat();
    // Not a plain file, or too small: read here, which also reports a file that cannot be read.
    if (!stat.isFile() || stat.size === 0 || stat.size < threshold) return undefined;
    const size = stat.size;
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await readFully(fh, head, 0);
    if (head.length >= 2 && ((head[0] === 0x1f && head[1] === 0x8b) || (head[0] === 0xff && head[1] === 0xfe))) return undefined; // gzip, UTF-16
    let preamble: string[] | undefined;
    if (format.kind === "tsv") {
      preamble = headerLines(head, head.length === size);
      if (preamble === undefined) return undefined;
    }
    const cuts = [0];
    for (let k = 1; k < workers; k++) {
      const cut = await lineStartAfter(fh, Math.max(cuts[cuts.length - 1]!, Math.floor((size * k) / workers) - 1), size);
      if (cut >= size) break;
      if (cut > cuts[cuts.length - 1]!) cuts.push(cut);
    }
    cuts.push(size);
    const ranges: ByteRange[] = [];
    for (let k = 0; k + 1 < cuts.length; k++) ranges.push({ start: cuts[k]!, end: cuts[k + 1]! });
    return { ranges, totalBytes: size, ...(preamble === undefined ? {} : { preamble }) };
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

async function readFully(fh: fsp.FileHandle, into: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < into.length) {
    const { bytesRead } = await fh.read(into, got, into.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** The start of the first line that starts after byte `from` (the byte after the first \n at or after it), or `size`. */
async function lineStartAfter(fh: fsp.FileHandle, from: number, size: number): Promise<number> {
  const buffer = Buffer.alloc(SEEK_BYTES);
  for (let at = from; at < size; ) {
    const got = await readFully(fh, buffer.subarray(0, Math.min(SEEK_BYTES, size - at)), at);
    if (got === 0) break;
    const nl = buffer.subarray(0, got).indexOf(0x0a);
    if (nl >= 0) return at + nl + 1;
    at += got;
  }
  return size;
}

/**
 * The # lines a TSV file starts with, as readLines gives them (no byte order mark, no \r), or
 * undefined when they do not end within the bytes read (`whole`: the bytes are the whole file).
 */
function headerLines(head: Buffer, whole: boolean): string[] | undefined {
  let start = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const lines: string[] = [];
  for (;;) {
    if (start >= head.length) return whole ? lines : undefined;
    if (head[start] !== 0x23) return lines; // '#'
    const nl = head.indexOf(0x0a, start);
    if (nl < 0) return whole ? [...lines, head.toString("utf8", start)] : undefined;
    lines.push(head.toString("utf8", start, nl > start && head[nl - 1] === 0x0d ? nl - 1 : nl));
    start = nl + 1;
  }
}

export interface ParallelRead {
  events: Table;
  tally: ReadTally;
}

interface RunOptions {
  maxProblems: number;
  meta: EventMetadata;
  onProgress?: (bytesRead: number, totalBytes: number, events: number) => void;
}

/** Reads the plan's parts on workers and joins them; undefined when the parts do not fit together (see above). */
export async function readInParallel(file: string, format: FormatSettings, plan: ParallelPlan, options: RunOptions): Promise<ParallelRead | undefined> {
  const parts = await readParts(file, format, plan, options);
  for (let k = 1; k < parts.length; k++) if (parts[k]!.layout?.start !== parts[k - 1]!.layout?.end) return undefined;
  return joinParts(file, parts, options);
}

const here = import.meta.url;
/** Running from the TypeScript sources (vitest, tsx): the worker is started through a loader (see worker-tsx.mjs). */
const fromSources = here.endsWith(".ts");

function startWorker(request: PartRequest): Worker {
  // A worker's heap limit is not the process's: it is given the one this thread has, so a part fits wherever the whole file would.
  // No execArgv of this process: `--import tsx` (the benchmark's) would load the TypeScript loader into every worker.
  const resourceLimits = { maxOldGenerationSizeMb: Math.ceil(getHeapStatistics().heap_size_limit / (1024 * 1024)) };
  if (fromSources) {
    return new Worker(new URL("./worker-tsx.mjs", here), { workerData: { ...request, entry: new URL("./worker.ts", here).href }, execArgv: [], resourceLimits });
  }
  return new Worker(new URL("./worker.js", here), { workerData: request, execArgv: [], resourceLimits });
}

/** A part read, its columns ready to join. */
interface ReadPart {
  rows: number;
  lines: number;
  problems: readonly IngestProblem[];
  skipped: number;
  untimed: number;
  leadingUntimed: number;
  reservedSeen: Iterable<[string, number]>;
  droppedNames: readonly string[];
  layout?: { start: string; end: string };
  time: Float64Array;
  raw: Column;
  fields: Map<string, Column>;
}

function partOfWorker(part: PartResult): ReadPart {
  return { ...part, raw: decodeColumn(part.raw), fields: new Map(part.fields.map(([name, column]) => [name, decodeColumn(column)])) };
}

function partReadHere(parsed: ParsedFile): ReadPart {
  const { builder } = parsed;
  const table = builder.finish({ host: "", source: "", sourcetype: "", index: "" });
  const fields = new Map<string, Column>();
  for (const name of table.fields()) if (!EVENT_COLUMNS.has(name)) fields.set(name, table.column(name)!);
  return {
    ...parsed,
    rows: builder.length,
    reservedSeen: builder.reservedSeen,
    time: (table.column("_time") as NumberColumn).values,
    raw: table.column("_raw")!,
    fields,
  };
}

/**
 * The first part is read on this thread, which would otherwise only wait; the others each on a
 * worker. On a failure the workers are stopped, and the failure of the earliest part is thrown.
 */
async function readParts(file: string, format: FormatSettings, plan: ParallelPlan, options: RunOptions): Promise<ReadPart[]> {
  const { ranges, totalBytes } = plan;
  const bytes = new Float64Array(ranges.length);
  const events = new Float64Array(ranges.length);
  const progress = (): void => {
    if (options.onProgress === undefined) return;
    let b = 0;
    let e = 0;
    for (let k = 0; k < ranges.length; k++) ((b += bytes[k]!), (e += events[k]!));
    options.onProgress(b, totalBytes, e);
  };
  const workers: Worker[] = [];
  let failed = false;
  const stop = (): void => {
    if (failed) return;
    failed = true;
    for (const w of workers) void w.terminate();
  };
  const fromWorker = (range: ByteRange, k: number): Promise<ReadPart> => {
    const request: PartRequest = { file, format, range, maxProblems: options.maxProblems, ...(plan.preamble === undefined ? {} : { preamble: plan.preamble }) };
    const worker = startWorker(request);
    workers.push(worker);
    return new Promise<ReadPart>((resolve, reject) => {
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "progress") {
          bytes[k] = message.bytes;
          events[k] = message.events;
          progress();
        } else if (message.type === "done") {
          bytes[k] = range.end - range.start;
          events[k] = message.part.rows;
          progress();
          resolve(partOfWorker(message.part));
        } else reject(message.ingest ? new IngestError(message.message) : new Error(`reading ${file} on a worker thread failed: ${message.message}`));
      });
      worker.on("error", (e) => reject(e instanceof Error ? e : new Error(String(e))));
      worker.on("exit", (code) => reject(new Error(`reading ${file}: a worker thread stopped before it was done (exit code ${code})`)));
    });
  };
  try {
    const pending = ranges.map((range, k) => {
      const part =
        k === 0
          ? parseFile(file, format, {
              maxProblems: options.maxProblems,
              range,
              onProgress: (b, _total, e) => {
                bytes[0] = b;
                events[0] = e;
                progress();
              },
            }).then(partReadHere)
          : fromWorker(range, k);
      part.catch(stop);
      return part;
    });
    const settled = await Promise.allSettled(pending);
    const parts: ReadPart[] = [];
    for (const s of settled) {
      if (s.status === "rejected") throw s.reason;
      parts.push(s.value);
    }
    return parts;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function joinParts(file: string, parts: ReadPart[], options: RunOptions): ParallelRead {
  const { maxProblems, meta } = options;
  const lengths = parts.map((p) => p.rows);
  let rows = 0;
  for (const n of lengths) rows += n;

  const problems: IngestProblem[] = [];
  let skipped = 0;
  let untimed = 0;
  let lineOffset = 0;
  const reservedSeen = new Map<string, number>();
  const droppedNames = new Set<string>();
  const times = new Float64Array(rows);
  let offset = 0;
  for (const part of parts) {
    for (const p of part.problems) {
      if (problems.length >= maxProblems) break;
      problems.push({ file, line: p.line + lineOffset, message: p.message });
    }
    skipped += part.skipped;
    untimed += part.untimed;
    for (const [name, count] of part.reservedSeen) reservedSeen.set(name, (reservedSeen.get(name) ?? 0) + count);
    for (const name of part.droppedNames) droppedNames.add(name);
    times.set(part.time.subarray(0, part.rows), offset);
    // Read on, these would have taken the time of the event before them.
    if (offset > 0 && part.leadingUntimed > 0) times.fill(times[offset - 1]!, offset, offset + part.leadingUntimed);
    lineOffset += part.lines;
    offset += part.rows;
  }

  const columns = new Map<string, Column>();
  columns.set("_time", new NumberColumn(times));
  columns.set(
    "_raw",
    concatColumns(
      parts.map((p) => p.raw),
      lengths,
    ),
  );
  columns.set("host", new ConstantColumn(rows, meta.host));
  columns.set("source", new ConstantColumn(rows, meta.source));
  columns.set("sourcetype", new ConstantColumn(rows, meta.sourcetype));
  columns.set("index", new ConstantColumn(rows, meta.index));
  for (const part of parts) {
    for (const name of part.fields.keys()) {
      if (columns.has(name)) continue;
      columns.set(
        name,
        concatColumns(
          parts.map((p) => p.fields.get(name)),
          lengths,
        ),
      );
    }
  }
  return {
    events: new Table(rows, columns),
    tally: { rows, problems, skipped, untimed, reservedSeen, droppedNames: droppedNames.size, unnamedColumns: 0 },
  };
}
