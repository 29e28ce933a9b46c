/**
 * `spelunk repl`: the interactive REPL on a terminal, or, when stdin or stdout is not a terminal,
 * searches read line by line with results printed as `spelunk run` prints them. Takes `run`'s data
 * and time options; data may also be added later with `.load`.
 *
 * On a terminal the prompt comes first: the options are checked (a bad one is an error before the
 * screen opens), ink draws the prompt, and only then are the engine, the macros, the apps and the
 * data loaded, with progress shown; a search typed meanwhile runs once the data is in. This module
 * imports no part of the engine itself.
 */
import type { OutputFormat } from "./output.js";
import type { DataArg } from "./data-options.js";
import { datasetSpecs, searchClock } from "./session.js";
import { FileHistory, MemoryHistory, historyPath, type HistoryStore } from "../repl/history.js";
import type { ReplConfig, ReplSession } from "../repl/session.js";

export interface ReplCliOptions {
  apps: string[];
  /** Piped mode only (the screen draws its own table): table, json or csv; default as `run`. */
  format?: OutputFormat;
  tz?: string;
  now?: string;
  earliest?: string;
  latest?: string;
  geoipDb?: string;
  /** MLTK's model directory (`--models DIR`, default ./models as for `run`). */
  models?: string;
}

export interface ReplIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Default process.stdin / process.stdout / process.env. */
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

const BRACKETED_PASTE_ON = "\x1b[?2004h";
const BRACKETED_PASTE_OFF = "\x1b[?2004l";

/** no-color.org: NO_COLOR set to a non-empty value turns colour off. */
export function wantsColor(env: NodeJS.ProcessEnv): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== "");
}

export async function replCommand(
  options: ReplCliOptions & { data: readonly DataArg[]; macros: readonly string[] },
  io: ReplIo,
): Promise<number> {
  const stdin = io.stdin ?? process.stdin;
  const stdout = io.stdout ?? process.stdout;
  const env = io.env ?? process.env;
  const config: ReplConfig = {
    data: options.data,
    apps: options.apps,
    macros: options.macros,
    ...(options.tz !== undefined ? { tz: options.tz } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.earliest !== undefined ? { earliest: options.earliest } : {}),
    ...(options.latest !== undefined ? { latest: options.latest } : {}),
    ...(options.geoipDb !== undefined ? { geoipDb: options.geoipDb } : {}),
    ...(options.models !== undefined ? { modelsDir: options.models } : {}),
  };
  // Bad options are CliErrors here, before anything is drawn.
  searchClock(config);
  datasetSpecs(config.data);
  const openSession = async (warn: (text: string) => void): Promise<ReplSession> => {
    const { ReplSession } = await import("../repl/session.js");
    return ReplSession.create(config, warn);
  };

  if (!stdin.isTTY || !stdout.isTTY) {
    const format: OutputFormat = options.format ?? (stdout.isTTY ? "table" : "json");
    const session = await openSession(io.err);
    const { linesOf, runPiped } = await import("../repl/piped.js");
    return runPiped(session, linesOf(stdin), io, format);
  }

  const path = historyPath(env);
  const historyWarnings: string[] = [];
  const history: HistoryStore = path !== undefined ? FileHistory.open(path, (m) => historyWarnings.push(`spelunk: warning: ${m}`)) : new MemoryHistory();
  // React is CommonJS: its functions are on the default export (a bundle gives no named exports for it).
  const [{ render }, { default: React }, { ReplApp }, { lazyBackend }] = await Promise.all([
    import("ink"),
    import("react"),
    import("../repl/app.js"),
    import("../repl/backend.js"),
  ]);
  const backend = lazyBackend(async () => {
    const warnings: string[] = [...historyWarnings];
    const session = await openSession((text) => warnings.push(text));
    return { session, warnings };
  });
  stdout.write(BRACKETED_PASTE_ON);
  try {
    const instance = render(React.createElement(ReplApp, { backend, history, color: wantsColor(env) }), {
      stdin,
      stdout,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    await instance.waitUntilExit();
  } finally {
    stdout.write(BRACKETED_PASTE_OFF);
  }
  return 0;
}
