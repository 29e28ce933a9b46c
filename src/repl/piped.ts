/**
 * The REPL without a terminal (input piped in, or output redirected): searches are read line by line,
 * a line ending in `|` continuing on the next, and each one's results are printed as `spelunk run`
 * prints them (--format, default table on a terminal and JSON lines otherwise). Errors go to stderr
 * as `spelunk check` shows them; meta commands print their text. The exit code is 1 when a search or
 * command failed, else 0.
 */
import { createInterface } from "node:readline";
import { renderDiagnostics } from "../diag/render.js";
import { SplError } from "../diag/diagnostic.js";
import { formatResults, type OutputFormat } from "../cli/output.js";
import { progressReporter } from "../ingest/progress.js";
import { continuesOnNextLine } from "./completeness.js";
import { runMeta } from "./meta.js";
import type { ReplSession } from "./session.js";

export interface PipedIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** A search spread over more lines than this many characters is refused (input is bounded). */
export const MAX_SEARCH_CHARS = 1_000_000;

const withNewline = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);

/** Loads the data (a progress bar on a terminal's stderr for table and csv output), then reads `lines`. */
export async function runPiped(session: ReplSession, lines: AsyncIterable<string>, io: PipedIo, format: OutputFormat): Promise<number> {
  const progress = format === "json" ? undefined : progressReporter();
  try {
    const loaded = await session.load(progress ? (p) => progress.update(p.bytes, p.totalBytes, p.events) : undefined);
    for (const m of loaded.messages) io.err(withNewline(m));
  } finally {
    progress?.done();
  }
  let failed = false;
  let pending = "";
  const runOne = async (text: string): Promise<"quit" | undefined> => {
    if (text.trim() === "") return undefined;
    if (/^\s*\./.test(text)) {
      const result = await runMeta(session, text.trim());
      if (result.exit) return "quit";
      if (result.lines.length > 0) (result.error ? io.err : io.out)(`${result.lines.join("\n")}\n`);
      if (result.error) failed = true;
      return undefined;
    }
    const outcome = await session.run(text);
    if (outcome.kind === "ok") {
      for (const w of outcome.warnings) io.err(`spelunk: warning: ${w}\n`);
      io.out(formatResults(outcome.table, format, session.tz));
    } else if (outcome.kind === "error") {
      failed = true;
      const e = outcome.error;
      if (e instanceof SplError) io.err(withNewline(renderDiagnostics(e)));
      else throw e;
    }
    return undefined;
  };
  for await (const line of lines) {
    pending = pending === "" ? line : `${pending}\n${line}`;
    if (pending.length > MAX_SEARCH_CHARS) {
      io.err(`spelunk: a search of more than ${MAX_SEARCH_CHARS} characters was skipped\n`);
      failed = true;
      pending = "";
      continue;
    }
    if (!/^\s*\./.test(pending) && continuesOnNextLine(line)) continue;
    const text = pending;
    pending = "";
    if ((await runOne(text)) === "quit") return failed ? 1 : 0;
  }
  if (pending !== "") await runOne(pending);
  return failed ? 1 : 0;
}

/**
 * The lines of a stream (stdin). The iterator is made at once: readline's iterator buffers lines read
 * before the loop asks for them (while the data loads), where its events alone would be lost.
 */
export function linesOf(stream: NodeJS.ReadableStream): AsyncIterable<string> {
  const iterator = createInterface({ input: stream, crlfDelay: Infinity, terminal: false })[Symbol.asyncIterator]();
  return { [Symbol.asyncIterator]: () => iterator };
}
