/**
 * Loading macro definitions from security_content `macros/*.yml` files and Splunk `macros.conf`.
 * A bad file or stanza is reported as a LoadProblem and skipped; the rest loads.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, isMap, parseDocument } from "yaml";
import { type MergedStanza, mergeStanzas, parseConf, parseConfBool } from "../knowledge/conf.js";
import { type MacroDefinition, MacroLibrary } from "./library.js";

export interface LoadProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface LoadResult {
  readonly definitions: MacroDefinition[];
  readonly problems: LoadProblem[];
}

/** Names the expander can call: no whitespace, backticks, parentheses or double quotes (see expand.ts). */
const MACRO_NAME = /^[^\s`()"]+$/;
/** "Argument names can only contain alphanumeric characters, underscores ( _ ), and hyphens ( - )" (macros.conf.spec). */
const ARG_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * One security_content macro file: keys `name`, `definition`, optional `arguments` (a list of
 * names) and `description`; other metadata (id, version, author, dates) is ignored
 * (reference/security_content.md §3.2).
 */
export function parseMacroYaml(text: string, path: string): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const fail = (message: string, pos?: number): LoadResult => ({
    definitions: [],
    problems: [pos === undefined ? { file: path, message } : { file: path, line: lines.linePos(pos).line, message }],
  });
  const first = doc.errors[0];
  if (first) return fail(`not valid YAML: ${first.message}`, first.pos[0]);
  if (!isMap(doc.contents)) return fail("a macro file must be a YAML mapping with `name` and `definition`");
  const posOf = (key: string): number | undefined => {
    const node = doc.get(key, true) as { range?: [number, number, number] } | undefined;
    return node?.range?.[0] ?? doc.contents?.range?.[0];
  };
  const { name, definition, arguments: args } = doc.toJS() as Record<string, unknown>;
  if (typeof name !== "string" || !MACRO_NAME.test(name)) {
    return fail("`name` must be a macro name (no spaces, backticks, parentheses or quotes)", posOf("name"));
  }
  if (typeof definition !== "string") {
    // YAML reads false/true/null/numbers as non-strings; security_content quotes them ("false").
    return fail("`definition` must be a string (quote values such as \"false\" or \"null\")", posOf("definition"));
  }
  const argList = args ?? [];
  if (!Array.isArray(argList) || !argList.every((a): a is string => typeof a === "string")) {
    return fail("`arguments` must be a list of argument names", posOf("arguments"));
  }
  const argProblem = checkArgs(argList);
  if (argProblem) return fail(argProblem, posOf("arguments"));
  return { definitions: [{ name, args: argList, definition, iseval: false, definedAt: path }], problems: [] };
}

function checkArgs(args: readonly string[]): string | undefined {
  const bad = args.find((a) => !ARG_NAME.test(a));
  if (bad !== undefined) return `argument name "${bad}" may only contain letters, digits, "_" and "-"`;
  const repeated = args.find((a, i) => args.indexOf(a) !== i);
  if (repeated !== undefined) return `argument "${repeated}" is listed twice`;
  return undefined;
}

/**
 * Splunk's macros.conf: `[name]` and `[name(N)]` stanzas with `args`, `definition`, `iseval`,
 * `validation`, `errormsg`, `description`. The generic .conf reader (knowledge/conf.ts) handles
 * `#` comment lines and trailing-backslash continuations (the line break is kept). A repeated
 * stanza merges into the first, later settings winning, as Splunk layers .conf files. `[default]`
 * settings are ignored; settings before any stanza are reported.
 */
export function parseMacrosConf(text: string, path: string): LoadResult {
  const conf = parseConf(text, path);
  // Reading problems and stray settings first, in line order; then the stanzas' own problems.
  const problems: LoadProblem[] = [...conf.problems];
  for (const stanza of conf.stanzas) {
    if (stanza.name === "default" && stanza.line === 0) {
      for (const e of stanza.entries) problems.push({ file: path, line: e.line, message: "setting outside any [stanza] is ignored" });
    }
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const stanzas = mergeStanzas(conf.stanzas.filter((s) => s.name !== "default"));
  const definitions: MacroDefinition[] = [];
  for (const stanza of stanzas.values()) {
    const def = stanzaToMacro(stanza, path);
    if (typeof def === "string") problems.push({ file: path, line: stanza.line, message: `[${stanza.name}]: ${def}` });
    else definitions.push(def);
  }
  return { definitions, problems };
}

/** The macro of one stanza, or what is wrong with it. */
function stanzaToMacro(stanza: MergedStanza, path: string): MacroDefinition | string {
  const m = /^(.*)\((\d+)\)$/.exec(stanza.name);
  const name = m ? m[1]!.trim() : stanza.name;
  const arity = m ? Number(m[2]) : 0;
  if (!MACRO_NAME.test(name)) return "a macro name cannot contain spaces, backticks, parentheses or quotes";
  const s = new Map([...stanza.settings].map(([k, e]) => [k, e.value]));
  // "If the stanza name indicates that this macro takes no arguments, this setting is ignored" (macros.conf.spec).
  const args = arity === 0 ? [] : (s.get("args") ?? "").split(",").map((a) => a.trim()).filter((a) => a !== "");
  if (args.length !== arity) {
    return `the stanza name says ${arity} argument${arity === 1 ? "" : "s"}, but args lists ${args.length}${args.length ? ` (${args.join(", ")})` : ""}`;
  }
  const argProblem = checkArgs(args);
  if (argProblem) return argProblem;
  const definition = s.get("definition");
  if (definition === undefined) return "no definition";
  const iseval = parseConfBool(s.get("iseval") ?? "false");
  if (iseval === undefined) return `iseval must be true or false, not "${s.get("iseval")}"`;
  const validation = s.get("validation");
  const errormsg = s.get("errormsg");
  return {
    name,
    args,
    definition,
    iseval,
    ...(validation !== undefined && validation !== "" ? { validation } : {}),
    ...(errormsg !== undefined ? { errormsg } : {}),
    definedAt: `${path}:${stanza.line}`,
  };
}

/**
 * Every *.yml / *.yaml in `dir`, then `default/macros.conf`, `macros.conf` and `local/macros.conf`
 * (Splunk app layout: local overrides default). Later definitions of a key win in a MacroLibrary.
 * `label` replaces `dir` in definedAt and problems (e.g. "macros" for the shipped folder).
 * Throws when `dir` is not a directory.
 */
export function loadMacroDir(dir: string, label = dir): LoadResult {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new Error(`macro directory not found: ${dir}`);
  }
  if (!isDir) throw new Error(`not a directory: ${dir} (expected a folder of macro .yml files or a Splunk app with default/macros.conf)`);
  const yamlFiles = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => e.name)
    .sort();
  const confFiles = ["default/macros.conf", "macros.conf", "local/macros.conf"].filter((f) => isFile(join(dir, f)));
  const definitions: MacroDefinition[] = [];
  const problems: LoadProblem[] = [];
  for (const file of [...yamlFiles, ...confFiles]) {
    const shown = join(label, file);
    let text: string;
    try {
      text = readFileSync(join(dir, file), "utf8");
    } catch (e) {
      problems.push({ file: shown, message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const result = file.endsWith(".conf") ? parseMacrosConf(text, shown) : parseMacroYaml(text, shown);
    definitions.push(...result.definitions);
    problems.push(...result.problems);
  }
  return { definitions, problems };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The macros shipped in the package's top-level macros/ folder. This module is src/macros/load.ts
 * when run from source and dist/macros/load.js when built, so the package root is two levels up.
 */
export function loadShippedMacros(): MacroLibrary {
  const dir = fileURLToPath(new URL("../../macros/", import.meta.url));
  const { definitions, problems } = loadMacroDir(dir, "macros");
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`).join("; ");
    throw new Error(`the macros shipped with spelunk are broken: ${list}`);
  }
  return new MacroLibrary(definitions);
}
