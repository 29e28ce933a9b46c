/**
 * What the interactive screen asks of the engine, as one small interface (tests give a fake), and
 * its implementation over a ReplSession. The session (and with it the search engine) is opened
 * lazily, after the prompt is on the screen: importing the engine takes longer than drawing the
 * prompt, and a search typed meanwhile waits for the data (state.ts queues it).
 */
import { basename } from "node:path";
import { CliError } from "../cli/errors.js";
import { complete, type Completion, type CompletionSources } from "./completion.js";
import type { MetaResult } from "./meta.js";
import type { LoadProgress, ReplSession } from "./session.js";
import { timingText, type SearchDone } from "./state.js";

export interface ReplBackend {
  /** Loads the data given on the command line; the lines say what was loaded (or why not). */
  load(progress: (text: string) => void): Promise<{ readonly lines: readonly string[]; readonly error?: boolean }>;
  run(search: string, signal: AbortSignal): Promise<SearchDone>;
  meta(line: string, progress: (text: string) => void, width: number): Promise<MetaResult>;
  /** No candidates until the session is open. */
  complete(text: string, cursor: number): Completion;
}

/** "loading 1/2 conn.json  45%  1,234 events", then "summarising data models…" once the last file is read. */
export function progressText(p: LoadProgress): string {
  if (p.file >= p.files && p.fraction >= 1) return `summarising data models… (${p.events.toLocaleString("en-US")} events read)`;
  const files = p.files > 1 ? ` ${p.file}/${p.files}` : "";
  return `loading${files} ${basename(p.path)}  ${Math.floor(p.fraction * 100)}%  ${p.events.toLocaleString("en-US")} events`;
}

export interface OpenedSession {
  readonly session: ReplSession;
  /** Messages from opening it (macro or app files skipped). */
  readonly warnings: readonly string[];
}

interface Engine {
  readonly session: ReplSession;
  readonly sources: CompletionSources;
  readonly gridOf: typeof import("./grid.js").gridOf;
  readonly runMeta: typeof import("./meta.js").runMeta;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A backend whose session is opened by `open` on first use (the initial load), or at once when `eager`. */
export function lazyBackend(open: () => Promise<OpenedSession>, options: { eager?: boolean } = {}): ReplBackend {
  let opening: Promise<Engine> | undefined;
  let engine: Engine | undefined;
  let warnings: readonly string[] = [];
  const start = (): Promise<Engine> =>
    (opening ??= (async () => {
      const [opened, grid, meta] = await Promise.all([open(), import("./grid.js"), import("./meta.js")]);
      warnings = opened.warnings;
      engine = { session: opened.session, sources: opened.session.completionSources(meta.META_COMMANDS), gridOf: grid.gridOf, runMeta: meta.runMeta };
      return engine;
    })());
  if (options.eager) start().catch(() => undefined);
  return {
    async load(progress) {
      let e: Engine;
      try {
        e = await start();
      } catch (error) {
        if (error instanceof CliError) return { lines: [`error: ${error.message}`], error: true };
        throw error;
      }
      const shown = warnings.map((w) => w.replace(/\n$/, ""));
      if (e.session.datasets.length === 0) return { lines: [...shown, "no data loaded: .load PATH SOURCETYPE adds a dataset (.help for more)"] };
      try {
        const result = await e.session.load((p) => progress(progressText(p)));
        const files = e.session.datasets.length;
        return { lines: [...shown, ...result.messages, `${result.events.toLocaleString("en-US")} events from ${files} dataset${files === 1 ? "" : "s"} · .help for help`] };
      } catch (error) {
        if (error instanceof CliError) return { lines: [...shown, `error: ${error.message}`], error: true };
        throw error;
      }
    },
    async run(search, signal) {
      let e: Engine;
      try {
        e = await start();
      } catch (error) {
        return { kind: "error", error: new Error(message(error)) };
      }
      const outcome = await e.session.run(search, signal);
      switch (outcome.kind) {
        case "ok":
          return { kind: "ok", grid: e.gridOf(outcome.table, e.session.tz), timing: timingText(outcome.ms, outcome.scanned), warnings: outcome.warnings };
        case "error":
          return { kind: "error", error: outcome.error };
        case "cancelled":
          return { kind: "cancelled" };
      }
    },
    async meta(line, progress, width) {
      let e: Engine;
      try {
        e = await start();
      } catch (error) {
        return { lines: [`error: ${message(error)}`], error: true };
      }
      return e.runMeta(e.session, line, { onProgress: (p) => progress(progressText(p)), width });
    },
    complete(text, cursor) {
      return engine ? complete(text, cursor, engine.sources) : { start: cursor, end: cursor, candidates: [] };
    },
  };
}

/** A backend over an open session (its completion works as soon as the meta and grid modules are in). */
export function sessionBackend(session: ReplSession): ReplBackend {
  return lazyBackend(async () => ({ session, warnings: [] }), { eager: true });
}
