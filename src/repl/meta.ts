/**
 * The REPL's meta commands (a line starting with `.`): what they do over the session and the text
 * they print. Paths given to `.load` and `.export` are used as the user typed them (relative to the
 * working folder); a path with spaces is written in double quotes.
 */
import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { SplError } from "../diag/diagnostic.js";
import { renderDiagnostics } from "../diag/render.js";
import { CliError } from "../cli/errors.js";
import { formatCsv, formatJson } from "../cli/output.js";
import { BASE_EVENT_FIELDS, datasetFields } from "../knowledge/datamodel.js";
import { expandMacros } from "../macros/expand.js";
import { ModelStore } from "../mltk/store.js";
import { strftime } from "../time/strftime.js";
import { printable, printableLines, truncate } from "./text.js";
import type { LoadProgress, ReplSession } from "./session.js";

export interface MetaResult {
  readonly lines: readonly string[];
  /** The lines say why the command failed. */
  readonly error?: boolean;
  /** `.quit`: leave the REPL. */
  readonly exit?: boolean;
}

export interface MetaHooks {
  readonly onProgress?: (p: LoadProgress) => void;
  /** Width to cut long lines to (macro definitions); default 120. */
  readonly width?: number;
}

export const META_COMMANDS = [".help", ".load", ".datasets", ".macros", ".expand", ".fields", ".tz", ".now", ".export", ".models", ".quit"] as const;

export const HELP_LINES: readonly string[] = [
  "Type a search and press Enter to run it.",
  "",
  "Meta commands:",
  "  .help                    this text",
  "  .load PATH [SOURCETYPE]  load another dataset (a manifest needs no sourcetype)",
  "  .datasets                the loaded datasets and their event counts",
  "  .macros [PATTERN]        macros whose name matches (* wildcards, else a substring)",
  "  .expand [SEARCH]         the last search (or SEARCH) with its macros expanded",
  "  .fields [DATAMODEL]      fields of the loaded events, or of a data model",
  "  .tz [ZONE]               show or set the time zone (reloads the data)",
  "  .now [TIME|reset]        show, pin or unpin now() (reloads the data)",
  "  .export FILE             the last results to FILE.csv, or FILE.json (JSON lines)",
  "  .models                  MLTK models in the model folder (--models DIR)",
  "  .quit                    leave",
  "",
  "Keys:",
  "  Enter              run; a search with an open quote or bracket, or ending in |,",
  "                     goes on on the next line",
  "  Alt-Enter, Ctrl-J  new line",
  "  Tab, Shift-Tab     complete; again: next / previous choice",
  "  ←/→ Home/End       move (also Ctrl-A/E); Alt-B/F or Ctrl-←/→ by word",
  "  ↑/↓                lines of the search, then history; Ctrl-R searches history",
  "  Ctrl-K/U           delete to the end / start of the line; Ctrl-W the word before;",
  "                     Alt-D the word after; Ctrl-Y puts back what was deleted",
  "  PgUp/PgDn          page the results; Shift-↑/↓ one row",
  "  Ctrl-Home/End      first / last page; Alt-←/→ (or Shift-←/→) scroll the columns",
  "  Ctrl-C             cancel the running search, or clear the prompt",
  "  Ctrl-D             leave (on an empty prompt)",
];

/** Splits arguments on blanks; "double quotes" keep blanks in one argument. */
export function metaArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!);
  return out;
}

export async function runMeta(session: ReplSession, line: string, hooks: MetaHooks = {}): Promise<MetaResult> {
  const m = /^\s*\.(\w*)\s*([\s\S]*)$/.exec(line);
  const name = (m?.[1] ?? "").toLowerCase();
  const rest = (m?.[2] ?? "").trim();
  try {
    switch (name) {
      case "help":
        return { lines: HELP_LINES };
      case "load":
        return await load(session, metaArgs(rest), hooks);
      case "datasets":
        return datasets(session);
      case "macros":
        return macros(session, rest, hooks.width ?? 120);
      case "expand":
        return expand(session, rest);
      case "fields":
        return fields(session, rest);
      case "tz":
        return await tz(session, rest, hooks);
      case "now":
        return await now(session, rest, hooks);
      case "export":
        return exportResults(session, metaArgs(rest));
      case "models":
        return await models(session);
      case "quit":
      case "exit":
        return { lines: [], exit: true };
      default:
        return fail(`unknown command .${name}: .help lists the commands`);
    }
  } catch (error) {
    if (error instanceof CliError) return fail(error.message);
    throw error;
  }
}

const fail = (message: string): MetaResult => ({ lines: [`error: ${message}`], error: true });
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

async function load(session: ReplSession, args: string[], hooks: MetaHooks): Promise<MetaResult> {
  if (args.length === 0 || args.length > 2) return fail("usage: .load PATH [SOURCETYPE]");
  const [path, sourcetype] = args as [string, string | undefined];
  const result = await session.add({ path, ...(sourcetype !== undefined ? { sourcetype } : {}) }, hooks.onProgress);
  return { lines: [...result.messages, `loaded ${path}: ${plural(result.events, "event")} in all`] };
}

function datasets(session: ReplSession): MetaResult {
  if (session.datasets.length === 0) return { lines: ["no datasets loaded (.load PATH SOURCETYPE)"] };
  const counts = new Map<string, number>();
  const events = session.data.events();
  const source = events.column("source");
  for (let row = 0; source && row < events.length; row++) {
    const v = String(source.get(row) ?? "");
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const lines = session.datasets.map((d) => {
    const src = d.source ?? d.path;
    const parts = [`sourcetype=${d.sourcetype}`, `index=${d.index ?? "main"}`, ...(src !== d.path ? [`source=${src}`] : []), ...(d.host ? [`host=${d.host}`] : [])];
    return printable(`${d.path}  ${parts.join(" ")}  ${plural(counts.get(src) ?? 0, "event")}`);
  });
  lines.push(`${plural(events.length, "event")} in all`);
  return { lines };
}

/** `*` is a wildcard; without one, a case-insensitive substring. */
function nameMatcher(pattern: string): (name: string) => boolean {
  const p = pattern.toLowerCase();
  if (p === "") return () => true;
  if (!p.includes("*")) return (n) => n.toLowerCase().includes(p);
  return (n) => globMatch(p, n.toLowerCase());
}

/** `*` matches any run of characters; linear backtracking over the last star (no regular expression). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== "*" && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

function macros(session: ReplSession, pattern: string, width: number): MetaResult {
  const match = nameMatcher(pattern);
  const lines: string[] = [];
  for (const key of session.macros.keys()) {
    const def = session.macros.get(key)!;
    if (!match(def.name) && !match(key)) continue;
    const head = def.args.length > 0 ? `${def.name}(${def.args.join(", ")})` : def.name;
    const body = printable(def.definition.replace(/\s*\n\s*/g, " ").trim());
    lines.push(truncate(`\`${head}\`  ${body}`, Math.max(20, width)));
  }
  lines.push(lines.length === 0 ? `no macros match ${pattern}` : plural(lines.length, "macro"));
  return { lines };
}

function expand(session: ReplSession, given: string): MetaResult {
  const search = given !== "" ? given : session.lastSearch;
  if (search === undefined) return fail("no search yet: .expand SEARCH, or run a search first");
  try {
    const expansion = expandMacros(search, session.macros, { sourceName: "<search>" });
    return { lines: printableLines(expansion.text.replace(/\s+$/, "")) };
  } catch (error) {
    if (error instanceof SplError) return { lines: renderDiagnostics(error).split("\n"), error: true };
    throw error;
  }
}

/** Rows looked at to count how often each field is set (the count says when it is a sample). */
const FIELD_COUNT_ROWS = 100_000;

function fields(session: ReplSession, arg: string): MetaResult {
  if (arg === "") {
    const events = session.data.events();
    const names = session.fieldNames();
    if (names.length === 0) return { lines: ["no fields: no events loaded"] };
    const rows = Math.min(events.length, FIELD_COUNT_ROWS);
    const width = Math.max(...names.map((n) => n.length));
    const lines = names.map((name) => {
      const column = events.column(name);
      let set = 0;
      for (let r = 0; column && r < rows; r++) if (column.get(r) !== null) set++;
      return printable(`${name.padEnd(width)}  ${set.toLocaleString("en-US")}`);
    });
    lines.push(rows < events.length ? `${plural(names.length, "field")}; counts of events with the field in the first ${rows.toLocaleString("en-US")} events` : `${plural(names.length, "field")}; counts of events with the field`);
    return { lines };
  }
  const [modelName, datasetName] = arg.split(".", 2) as [string, string | undefined];
  const model = [...session.knowledge.dataModels.values()].find((dm) => dm.name.toLowerCase() === modelName.toLowerCase());
  if (!model) {
    const known = [...session.knowledge.dataModels.keys()].sort();
    return fail(`no data model ${modelName}${known.length > 0 ? ` (known: ${known.join(", ")})` : " (none loaded)"}`);
  }
  const lines: string[] = [`${model.name} (${model.displayName})`, `  ${BASE_EVENT_FIELDS.join(" ")}`];
  for (const ds of model.datasets) {
    if (datasetName !== undefined && ds.name.toLowerCase() !== datasetName.toLowerCase()) continue;
    lines.push(`${ds.lineage}${ds.constraint ? `  [${printable(ds.constraint)}]` : ""}`);
    for (const f of datasetFields(ds)) lines.push(`  ${ds.name}.${f.name}  ${f.type}${f.multivalue ? " multivalue" : ""}`);
  }
  return { lines };
}

async function reload(session: ReplSession, hooks: MetaHooks): Promise<string[]> {
  if (session.datasets.length === 0) return [];
  const result = await session.load(hooks.onProgress);
  return [...result.messages, `reloaded ${plural(result.events, "event")}`];
}

async function tz(session: ReplSession, arg: string, hooks: MetaHooks): Promise<MetaResult> {
  if (arg === "") return { lines: [`time zone ${session.tz}`] };
  session.setClock({ tz: arg });
  return { lines: [`time zone ${session.tz}`, ...(await reload(session, hooks))] };
}

async function now(session: ReplSession, arg: string, hooks: MetaHooks): Promise<MetaResult> {
  if (arg === "") {
    const pinned = session.pinnedNow;
    const t = session.searchClock().now;
    const shown = `${t} (${strftime(t, "%Y-%m-%dT%H:%M:%S%:z", session.tz)})`;
    return { lines: [pinned !== undefined ? `now() = ${shown}, pinned (.now reset to unpin)` : `now() is each search's start time, now ${shown}; .now TIME pins it`] };
  }
  session.setClock({ now: arg.toLowerCase() === "reset" ? undefined : arg });
  const t = session.searchClock().now;
  const shown = `${t} (${strftime(t, "%Y-%m-%dT%H:%M:%S%:z", session.tz)})`;
  return { lines: [session.pinnedNow !== undefined ? `now() = ${shown}, pinned` : `now() unpinned: each search's start time`, ...(await reload(session, hooks))] };
}

function exportResults(session: ReplSession, args: string[]): MetaResult {
  if (args.length !== 1) return fail("usage: .export FILE.csv or .export FILE.json");
  const table = session.lastTable;
  if (!table) return fail("no results to export yet: run a search first");
  const file = args[0]!;
  const ext = extname(file).toLowerCase();
  const tz = session.tz;
  let text: string;
  if (ext === ".csv") text = formatCsv(table, tz);
  else if (ext === ".json" || ext === ".jsonl" || ext === ".ndjson") text = formatJson(table, tz);
  else return fail(`${file}: give a .csv or .json file name (the format follows the extension)`);
  try {
    writeFileSync(file, text, "utf8");
  } catch (error) {
    return fail(`cannot write ${file}: ${(error as Error).message}`);
  }
  return { lines: [`wrote ${plural(table.length, "row")} to ${file}`] };
}

async function models(session: ReplSession): Promise<MetaResult> {
  const dir = session.modelsDir;
  let names: string[];
  try {
    names = await new ModelStore(dir).list();
  } catch (error) {
    return fail((error as Error).message);
  }
  return { lines: names.length === 0 ? [`no models in ${dir}`] : [...names, `${plural(names.length, "model")} in ${dir}`] };
}
