/**
 * Tab completion from the cursor position. What is completed depends on where the cursor is:
 *
 * - after a backtick: macro names (a macro taking arguments is inserted as `name(`);
 * - after `datamodel=` (or `datamodel:`): data model names, and `Model.Dataset` after a dot;
 * - first word after `|` or `[`: command names;
 * - inside `eval`/`where` expressions: eval function names (inserted as `name(`) and field names;
 * - inside `stats`/`tstats`/`eventstats` ...: aggregation function names and field names;
 * - anywhere else: field names seen in the loaded data, and the fields of the data models the search
 *   names (`All_Traffic.src_ip`; every model's when a dotted name is typed and none is named);
 * - a line starting with `.`: meta commands, then their arguments (`.fields` takes a data model name,
 *   `.load` a path, `.expand` a search).
 *
 * Nothing is completed inside a quoted string. Matching is by case-insensitive prefix; candidates keep
 * their own spelling.
 */

export interface MacroInfo {
  readonly name: string;
  readonly arity: number;
}

export interface CompletionSources {
  readonly commands: () => readonly string[];
  readonly macros: () => readonly MacroInfo[];
  readonly dataModels: () => readonly string[];
  /** Dataset names of a model (`All_Traffic`, `Traffic_By_Action` ...). */
  readonly datasets: (model: string) => readonly string[];
  /** A model's fields as tstats names them (`All_Traffic.src_ip`). */
  readonly dataModelFields: (model: string) => readonly string[];
  /** Field names of the loaded events. */
  readonly fields: () => readonly string[];
  readonly evalFunctions: () => readonly string[];
  readonly statsFunctions: () => readonly string[];
  readonly metaCommands: () => readonly string[];
  /** Entries for a path prefix (for `.load`): names ending in `/` are folders. */
  readonly paths?: (prefix: string) => readonly string[];
}

export interface Candidate {
  /** What replaces the word being completed. */
  readonly insert: string;
  /** What the list shows. */
  readonly display: string;
}

export interface Completion {
  /** The word being completed is text[start, end) (end is the cursor). */
  readonly start: number;
  readonly end: number;
  readonly candidates: readonly Candidate[];
}

export type CompletionKind = "none" | "macro" | "datamodel" | "command" | "eval" | "stats" | "field" | "meta" | "path";

export interface CompletionContext {
  readonly kind: CompletionKind;
  readonly start: number;
  readonly prefix: string;
}

/** Bound on the candidates kept (a folder or a model can be large). */
export const MAX_CANDIDATES = 500;

const evalCommands = new Set(["eval", "where", "fieldformat"]);
const statsCommands = new Set(["stats", "tstats", "eventstats", "streamstats", "chart", "timechart"]);
const wordChars = /[A-Za-z0-9_.:*$@-]/;
const operatorBefore = /[=(,+\-*/<>!%]$|(?:^|\s)(?:AND|OR|NOT|XOR)\s*$/i;

/** What kind of word the cursor is in, and where that word starts. */
export function completionContext(text: string, cursor: number): CompletionContext {
  const before = text.slice(0, cursor);
  const meta = /^(\s*)(\.[A-Za-z]*)$/.exec(before);
  if (meta) return { kind: "meta", start: meta[1]!.length, prefix: meta[2]! };
  const metaArg = /^\s*\.(\w+)\s+/.exec(before);
  if (metaArg) {
    const name = metaArg[1]!.toLowerCase();
    const rest = before.slice(metaArg[0].length);
    if (name === "expand") {
      const inner = completionContext(rest, rest.length);
      return { ...inner, start: inner.start + metaArg[0].length };
    }
    if (name === "fields" && /^\S*$/.test(rest)) return { kind: "datamodel", start: metaArg[0].length, prefix: rest };
    if (name === "load" && /^\S*$/.test(rest)) return { kind: "path", start: metaArg[0].length, prefix: rest };
    return { kind: "none", start: cursor, prefix: "" };
  }

  const scan = scanBefore(before);
  if (scan.inQuote) return { kind: "none", start: cursor, prefix: "" };
  if (scan.backtick >= 0) {
    const prefix = before.slice(scan.backtick + 1);
    return /^[A-Za-z0-9_]*$/.test(prefix) ? { kind: "macro", start: scan.backtick + 1, prefix } : { kind: "none", start: cursor, prefix: "" };
  }

  let start = cursor;
  while (start > 0 && wordChars.test(before[start - 1]!)) start--;
  const word = before.slice(start);
  const dm = /^datamodel[=:](.*)$/i.exec(word);
  if (dm) {
    const offset = word.length - dm[1]!.length;
    return { kind: "datamodel", start: start + offset, prefix: dm[1]! };
  }
  const lead = before.slice(0, start);
  if (/datamodel\s*[=:]\s*$/i.test(lead)) return { kind: "datamodel", start, prefix: word };

  const stage = before.slice(scan.stageStart);
  if (scan.stageStart > 0 && /^\s*$/.test(before.slice(scan.stageStart, start))) return { kind: "command", start, prefix: word };
  const command = /^\s*([A-Za-z_]\w*)/.exec(stage)?.[1]?.toLowerCase();
  const inCommandArgs = command !== undefined && scan.stageStart + (/^\s*/.exec(stage)![0].length) + command.length < start;
  if (inCommandArgs && evalCommands.has(command) && /^[A-Za-z_]*$/.test(word)) {
    const leadInStage = before.slice(scan.stageStart, start).replace(/\s+$/, "");
    if (command === "where" || operatorBefore.test(leadInStage)) return { kind: "eval", start, prefix: word };
  }
  if (inCommandArgs && statsCommands.has(command) && /^[A-Za-z_]*$/.test(word)) return { kind: "stats", start, prefix: word };
  return { kind: "field", start, prefix: word };
}

interface Scan {
  readonly inQuote: boolean;
  /** Offset of an unclosed backtick, or -1. */
  readonly backtick: number;
  /** Where the current command's text starts: after the last `|` or `[` (0 for the first command). */
  readonly stageStart: number;
}

/** Quotes, backticks and command boundaries in the text before the cursor. */
function scanBefore(text: string): Scan {
  let inQuote = false;
  let backtick = -1;
  const stages: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuote) {
      if (ch === "\\") i++;
      else if (ch === '"') inQuote = false;
      continue;
    }
    if (backtick >= 0) {
      if (ch === "`") backtick = -1;
      continue;
    }
    if (ch === '"') inQuote = true;
    else if (ch === "`") backtick = i;
    else if (ch === "|") stages[stages.length - 1] = i + 1;
    else if (ch === "[") stages.push(i + 1);
    else if (ch === "]" && stages.length > 1) stages.pop();
  }
  return { inQuote, backtick, stageStart: stages[stages.length - 1]! };
}

/** Data model names written in the search (`datamodel=Network_Traffic`, `datamodel:Network_Traffic.All_Traffic`). */
export function dataModelsNamed(text: string): string[] {
  const out: string[] = [];
  const re = /datamodel\s*[=:]\s*"?([A-Za-z0-9_]+)/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

export function complete(text: string, cursor: number, sources: CompletionSources): Completion {
  const ctx = completionContext(text, cursor);
  const candidates = candidatesFor(ctx, text, cursor, sources);
  return { start: ctx.start, end: cursor, candidates };
}

function candidatesFor(ctx: CompletionContext, text: string, cursor: number, src: CompletionSources): Candidate[] {
  const after = text.slice(cursor);
  switch (ctx.kind) {
    case "none":
      return [];
    case "meta":
      return matching(src.metaCommands(), ctx.prefix).map((m) => ({ insert: `${m} `, display: m }));
    case "macro": {
      const closed = after.startsWith("`");
      const out: Candidate[] = [];
      const seen = new Set<string>();
      for (const m of src.macros()) {
        if (!startsWithCI(m.name, ctx.prefix)) continue;
        const display = m.arity === 0 ? m.name : `${m.name}(${m.arity})`;
        const insert = m.arity === 0 ? (closed ? m.name : `${m.name}\``) : `${m.name}(`;
        if (seen.has(insert)) continue;
        seen.add(insert);
        out.push({ insert, display });
      }
      return sortCandidates(out);
    }
    case "datamodel": {
      const dot = ctx.prefix.indexOf(".");
      if (dot < 0) return matching(src.dataModels(), ctx.prefix).map((m) => ({ insert: m, display: m }));
      const model = src.dataModels().find((m) => m.toLowerCase() === ctx.prefix.slice(0, dot).toLowerCase());
      if (!model) return [];
      return matching(src.datasets(model).map((d) => `${model}.${d}`), ctx.prefix).map((m) => ({ insert: m, display: m }));
    }
    case "command":
      return matching(src.commands(), ctx.prefix).map((c) => ({ insert: `${c} `, display: c }));
    case "path": {
      const paths = src.paths?.(ctx.prefix) ?? [];
      return matching(paths, ctx.prefix).map((p) => ({ insert: p, display: p }));
    }
    case "eval":
      return [
        ...matching(src.evalFunctions(), ctx.prefix).map((f) => ({ insert: `${f}(`, display: `${f}()` })),
        ...fieldCandidates(ctx.prefix, text, src),
      ];
    case "stats":
      return [
        ...matching(src.statsFunctions(), ctx.prefix).map((f) => ({ insert: f === "count" ? f : `${f}(`, display: f === "count" ? f : `${f}()` })),
        ...fieldCandidates(ctx.prefix, text, src),
      ];
    case "field":
      return fieldCandidates(ctx.prefix, text, src);
  }
}

function fieldCandidates(prefix: string, text: string, src: CompletionSources): Candidate[] {
  const named = dataModelsNamed(text).filter((m) => src.dataModels().includes(m));
  const models = named.length > 0 ? named : prefix.includes(".") ? src.dataModels() : [];
  const names = new Set<string>(src.fields());
  for (const m of models) for (const f of src.dataModelFields(m)) names.add(f);
  return matching([...names], prefix).map((f) => ({ insert: f, display: f }));
}

function startsWithCI(s: string, prefix: string): boolean {
  return s.length >= prefix.length && s.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();
}

function matching(names: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const n of names) {
    if (!startsWithCI(n, prefix) || seen.has(n)) continue;
    seen.add(n);
    out.push(n);
  }
  return out.sort(compareNames).slice(0, MAX_CANDIDATES);
}

function sortCandidates(c: Candidate[]): Candidate[] {
  return c.sort((a, b) => compareNames(a.display, b.display)).slice(0, MAX_CANDIDATES);
}

function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** The longest prefix all candidates' insert texts share (case-sensitively). */
export function commonPrefix(candidates: readonly Candidate[]): string {
  if (candidates.length === 0) return "";
  let p = candidates[0]!.insert;
  for (const c of candidates) {
    let i = 0;
    while (i < p.length && i < c.insert.length && p[i] === c.insert[i]) i++;
    p = p.slice(0, i);
    if (p === "") break;
  }
  return p;
}
