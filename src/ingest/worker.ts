/**
 * A worker thread reading one part of a file (see parallel.ts): it reads its byte range as
 * readDataset reads a whole file, then posts the columns back, moving their buffers.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Column } from "../table/table.js";
import { IngestError } from "./format.js";
import { parseFile } from "./parse.js";
import { encodeColumn, EVENT_COLUMNS, type PartRequest, type PartResult, type WorkerMessage } from "./part.js";

/** Progress is posted at most every this many bytes: a message per 256 KB chunk read would be thousands. */
const PROGRESS_BYTES = 4 * 1024 * 1024;

const request = workerData as PartRequest;
const port = parentPort!;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

try {
  let posted = 0;
  const parsed = await parseFile(request.file, request.format, {
    maxProblems: request.maxProblems,
    range: request.range,
    ...(request.preamble === undefined ? {} : { preamble: request.preamble }),
    onProgress: (bytes, _total, events) => {
      if (bytes - posted < PROGRESS_BYTES) return;
      posted = bytes;
      post({ type: "progress", bytes, events });
    },
  });
  const { builder } = parsed;
  const rows = builder.length;
  const table = builder.finish({ host: "", source: "", sourcetype: "", index: "" });
  const transfer = new Set<ArrayBuffer>();
  const fields: Array<[string, ReturnType<typeof encodeColumn>]> = [];
  for (const name of table.fields()) {
    if (EVENT_COLUMNS.has(name)) continue;
    fields.push([name, encodeColumn(table.column(name)!, transfer)]);
  }
  const time = encodeColumn(table.column("_time") as Column, transfer);
  const part: PartResult = {
    rows,
    lines: parsed.lines,
    problems: parsed.problems,
    skipped: parsed.skipped,
    untimed: parsed.untimed,
    leadingUntimed: parsed.leadingUntimed,
    reservedSeen: [...builder.reservedSeen],
    droppedNames: parsed.droppedNames,
    ...(parsed.layout === undefined ? {} : { layout: parsed.layout }),
    time: time.kind === "number" ? time.values : new Float64Array(rows),
    raw: encodeColumn(table.column("_raw") as Column, transfer),
    fields,
  };
  post({ type: "done", part }, [...transfer]);
} catch (e) {
  // A user's problem (a file that cannot be read) is told as the sequential read tells it; anything else is a bug, with its stack.
  post(e instanceof IngestError ? { type: "error", message: e.message, ingest: true } : { type: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e), ingest: false });
}
