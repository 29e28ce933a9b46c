import type { ArgReader, ArgValue } from "../parse/args.js";
import type { Span } from "../parse/ast.js";
import * as T from "../parse/lexer.js";
import { ArrayColumn, type Table } from "../table/table.js";
import { fromValues, scalarText, valuesOf, type Scalar, type Value } from "../table/value.js";
import { defineCommand } from "./command.js";
import { intOption, readField, readOption, type FieldArg, type OptionHandlers } from "./options.js";

/** A PCRE regular expression translated to a JavaScript RegExp. */
export interface RexPattern {
  /** As written in the search (SPL string escapes `\"` and `\\` resolved). */
  readonly pcre: string;
  /** JavaScript source: named groups renamed g0, g1, ... in order of their opening parenthesis. */
  readonly source: string;
  /** JavaScript flags from a leading `(?i)`, `(?s)`, `(?m)`. */
  readonly flags: string;
  /** `groups[i]` is the field that JS group `g<i>` extracts. */
  readonly groups: readonly string[];
}

/** `s/<regex>/<replacement>/[g|<N>]` or `y/<chars>/<chars>/`. */
export type SedExpression =
  | { readonly kind: "s"; readonly pattern: RexPattern; readonly replacement: string; readonly global: boolean; readonly occurrence?: number }
  | { readonly kind: "y"; readonly from: string; readonly to: string };

/**
 * `rex [field=<field>] [max_match=<int>] [offset_field=<field>] [mode=sed] "<regex>"` (searchbnf `[rex-command]`):
 * extracts the named groups of the regex as fields, or with mode=sed edits the field in place.
 */
export type RexArgs = {
  /** Default `_raw` (its span is then the command name's). */
  readonly field: FieldArg;
  /** Matches extracted per result: default 1, 0 = unlimited (values become multivalue). */
  readonly maxMatch: number;
  readonly offsetField?: FieldArg;
  /** The quoted regex (or sed expression) in the search. */
  readonly regexSpan: Span;
} & ({ readonly mode: "extract"; readonly pattern: RexPattern } | { readonly mode: "sed"; readonly sed: SedExpression });

export const rex = defineCommand<RexArgs>({
  name: "rex",
  run: (args, input) => (args.mode === "sed" ? runSed(args.field.name, args.sed, input) : runExtract(args, input)),
  parse(r: ArgReader) {
    let field: FieldArg = { name: "_raw", span: r.commandSpan };
    let maxMatch = 1;
    let offsetField: FieldArg | undefined;
    let sedMode = false;
    let regex: ArgValue | undefined;
    const options: OptionHandlers = {
      field: (o) => (field = { name: o.value.text, span: o.value.span }),
      max_match: (o) => (maxMatch = intOption(o, r)),
      offset_field: (o) => (offsetField = { name: o.value.text, span: o.value.span }),
      mode: (o) => {
        if (o.value.text.toLowerCase() !== "sed") r.fail("bad-argument", `rex: mode= accepts only sed but found '${o.value.text}'`, o.value.span);
        sedMode = true;
      },
    };
    // ESCU also writes options after the regex (`rex field=x "(?<y>.{8})" max_match=0`).
    while (!r.atEnd()) {
      if (readOption(r, options)) continue;
      if (regex) r.failHere("expected only one regular expression");
      if (!r.atValue() || r.peek()!.tokenType !== T.DQString) r.failHere('expected the regular expression in double quotes, as in rex field=x "(?<name>\\d+)"');
      regex = r.value("the regular expression");
    }
    if (!regex) return r.failHere('expected the regular expression in double quotes, as in rex "(?<name>\\d+)"');
    const common = { field, maxMatch, regexSpan: regex.span, ...(offsetField && { offsetField }) };
    if (sedMode) return { ...common, mode: "sed", sed: readSed(r, regex) };
    const pattern = compile(r, regex, regex.text, 0);
    // Splunk: "The regex ... does not extract anything. It should specify at least one named group."
    if (pattern.groups.length === 0) {
      r.fail("bad-argument", "rex: the regular expression does not extract anything: name at least one group, as in (?<field>...)", regex.span);
    }
    return { ...common, mode: "extract", pattern };
  },
});

// ---- sed expressions ------------------------------------------------------------------------------

/** Split `s/a/b/g` at unescaped delimiters (the character after `s` or `y`). */
function readSed(r: ArgReader, v: ArgValue): SedExpression {
  const text = v.text;
  const bad = (why: string): never =>
    r.fail("bad-argument", `rex: ${why}; mode=sed expects "s/<regex>/<replacement>/[g|N]" or "y/<chars>/<chars>/"`, v.span);
  const kind = text[0];
  const delimiter = text[1];
  if ((kind !== "s" && kind !== "y") || delimiter === undefined || /[\w\s\\]/.test(delimiter)) return bad(`'${text}' is not a sed expression`);
  const parts: string[] = [];
  let part = "";
  for (let i = 2; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && text[i + 1] === delimiter) part += text[++i];
    else if (c === "\\") part += c + (text[++i] ?? "");
    else if (c === delimiter) (parts.push(part), (part = ""));
    else part += c;
  }
  parts.push(part);
  if (parts.length !== 3) return bad(`the sed expression needs three '${delimiter}'`);
  const [first, second, flags] = parts as [string, string, string];
  if (kind === "y") {
    if (flags !== "") return bad("y/// takes no flags");
    if ([...first].length !== [...second].length) return bad("y/// needs two lists of the same length");
    return { kind: "y", from: first, to: second };
  }
  if (!/^(g|\d*)$/.test(flags)) return bad(`unknown sed flag '${flags}'`);
  const pattern = compile(r, v, first, 2); // the regex starts after `s/`
  const occurrence = flags === "" || flags === "g" ? undefined : Number(flags);
  return { kind: "s", pattern, replacement: second, global: flags === "g", ...(occurrence !== undefined && { occurrence }) };
}

// ---- PCRE → JavaScript ------------------------------------------------------------------------------

/** Translate and compile; errors point into the search at the offending character when they can. */
function compile(r: ArgReader, v: ArgValue, pcre: string, offsetInValue: number): RexPattern {
  const result = pcreToJs(pcre);
  if ("pattern" in result) return result.pattern;
  const at = result.index === undefined ? undefined : searchOffset(r, v, offsetInValue + result.index);
  r.fail("bad-argument", `rex: invalid regular expression: ${result.error}`, at === undefined ? v.span : { start: at, end: at + 1 });
}

/** Offset in the search of character `index` of an unquoted single "string"; undefined if it cannot be mapped. */
function searchOffset(r: ArgReader, v: ArgValue, index: number): number | undefined {
  const raw = r.text.slice(v.span.start, v.span.end);
  if (!raw.startsWith('"') || !raw.endsWith('"')) return undefined;
  let i = 1;
  for (let n = 0; n < index && i < raw.length - 1; n++) i += raw[i] === "\\" && (raw[i + 1] === '"' || raw[i + 1] === "\\") ? 2 : 1;
  return i < raw.length - 1 ? v.span.start + i : undefined;
}

type Translation = { readonly pattern: RexPattern } | { readonly error: string; readonly index?: number };

/** PCRE2 group names: a letter or underscore, then letters, digits, underscores. */
const GROUP_NAME = /^(?:\(\?P?<([\p{L}_][\p{L}\p{N}_]*)>|\(\?'([\p{L}_][\p{L}\p{N}_]*)')/u;
const POSIX_CLASSES: Record<string, string> = {
  alpha: "a-zA-Z", digit: "0-9", alnum: "a-zA-Z0-9", upper: "A-Z", lower: "a-z", space: "\\s", blank: " \\t",
  xdigit: "0-9A-Fa-f", word: "\\w", punct: "!-\\/:-@\\[-`{-~", cntrl: "\\x00-\\x1f\\x7f", print: " -~", graph: "!-~",
};
/** Escapes whose meaning is the same in JavaScript (without the u flag) and PCRE. */
const SAME_ESCAPES = new Set([..."dDwWsSbBnrtfv0123456789"]);
/** PCRE escapes rewritten for JavaScript, outside and inside character classes. */
const REWRITTEN_ESCAPES: Record<string, string> = { A: "(?<![\\s\\S])", z: "(?![\\s\\S])", Z: "(?=\\n?(?![\\s\\S]))", h: "[ \\t]", e: "\\x1b", a: "\\x07" };
const REWRITTEN_IN_CLASS: Record<string, string> = { h: " \\t", e: "\\x1b", a: "\\x07" };

/**
 * Translate a PCRE pattern to a JavaScript one. Named groups (`(?<n>`, `(?P<n>`, `(?'n'`) become
 * g0, g1, ...: PCRE allows duplicate names (with `(?J)`) and names JavaScript does not, and the
 * fields they name are kept in `groups`. A leading `(?i)`/`(?s)`/`(?m)` becomes a flag. PCRE-only
 * syntax that JavaScript would silently read differently (`\A`, `\p{..}`, `(?>..)`) is rewritten or refused.
 */
export function pcreToJs(pcre: string): Translation {
  let flags = "";
  let i = 0;
  for (let m = /^\(\?([a-zA-Z]+)\)/.exec(pcre); m; m = /^\(\?([a-zA-Z]+)\)/.exec(pcre.slice(i))) {
    for (const f of m[1]!) {
      if (!"ims".includes(f)) return { error: `the inline flag (?${f}) is not supported (only i, m and s are)`, index: i };
      if (!flags.includes(f)) flags += f;
    }
    i += m[0].length;
  }
  const groups: string[] = [];
  let out = "";
  let inClass = false;
  while (i < pcre.length) {
    const c = pcre[i]!;
    const rest = pcre.slice(i);
    if (c === "\\") {
      const escaped = translateEscape(pcre, i, inClass, groups);
      if ("error" in escaped) return escaped;
      out += escaped.js;
      i = escaped.end;
    } else if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest);
      if (posix && posix[1] === "" && POSIX_CLASSES[posix[2]!]) {
        out += POSIX_CLASSES[posix[2]!];
        i += posix[0].length;
        continue;
      }
      if (posix) return { error: `the POSIX class ${posix[0]} is not supported`, index: i };
      if (c === "]") inClass = false;
      out += c === "[" ? "\\[" : c;
      i++;
    } else if (c === "[") {
      // PCRE: a `]` right after `[` or `[^` is a literal; in JavaScript `[]` is an empty class.
      const open = /^\[\^?/.exec(rest)![0];
      out += open;
      i += open.length;
      if (pcre[i] === "]") (out += "\\]"), i++;
      inClass = true;
    } else if (c === "(" && pcre[i + 1] === "?") {
      const named = GROUP_NAME.exec(rest);
      if (named) {
        out += `(?<g${groups.length}>`;
        groups.push((named[1] ?? named[2])!);
        i += named[0].length;
        continue;
      }
      const comment = /^\(\?#[^)]*\)/.exec(rest);
      if (comment) {
        i += comment[0].length;
        continue;
      }
      const backref = /^\(\?P=(\w+)\)/.exec(rest);
      if (backref) {
        const ref = namedGroup(groups, backref[1]!, i);
        if (typeof ref !== "string") return ref;
        out += ref;
        i += backref[0].length;
        continue;
      }
      if (/^\(\?(?::|=|!|<=|<!)/.test(rest)) {
        out += "(?";
        i += 2;
        continue;
      }
      return { error: unsupportedGroup(rest), index: i };
    } else {
      out += c;
      i++;
    }
  }
  try {
    new RegExp(out, flags);
  } catch (e) {
    return { error: String((e as Error).message).replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") };
  }
  return { pattern: { pcre, source: out, flags, groups } };
}

function unsupportedGroup(rest: string): string {
  if (rest.startsWith("(?>")) return "atomic groups (?>...) are not supported";
  if (rest.startsWith("(?|")) return "branch reset groups (?|...) are not supported";
  if (/^\(\?[a-zA-Z-]+[:)]/.test(rest)) return "inline flags are supported only at the very start of the pattern, as in (?i)...";
  return `the group syntax '${rest.slice(0, 3)}' is not supported`;
}

function namedGroup(groups: readonly string[], name: string, index: number): string | { error: string; index: number } {
  const n = groups.lastIndexOf(name);
  return n < 0 ? { error: `reference to a group named '${name}' that is not defined before it`, index } : `\\k<g${n}>`;
}

/** One escape sequence starting at `pcre[i] === "\\"`. */
function translateEscape(pcre: string, i: number, inClass: boolean, groups: readonly string[]): { js: string; end: number } | { error: string; index: number } {
  const next = pcre[i + 1];
  if (next === undefined) return { error: "the pattern ends with a backslash", index: i };
  const rest = pcre.slice(i);
  const hex = /^\\x\{([0-9a-fA-F]{1,6})\}/.exec(rest);
  if (hex) {
    const code = parseInt(hex[1]!, 16);
    if (code > 0xffff) return { error: `code points above U+FFFF (${hex[0]}) are not supported`, index: i };
    return { js: `\\u${code.toString(16).padStart(4, "0")}`, end: i + hex[0].length };
  }
  const named = /^\\(?:k<(\w+)>|k'(\w+)'|k\{(\w+)\}|g\{([A-Za-z_]\w*)\})/.exec(rest);
  if (named && !inClass) {
    const ref = namedGroup(groups, (named[1] ?? named[2] ?? named[3] ?? named[4])!, i);
    return typeof ref === "string" ? { js: ref, end: i + named[0].length } : ref;
  }
  const numbered = /^\\g\{?(\d+)\}?/.exec(rest);
  if (numbered && !inClass) return { js: `\\${numbered[1]}`, end: i + numbered[0].length };
  const quoted = /^\\Q([\s\S]*?)(?:\\E|$)/.exec(rest);
  if (quoted) return { js: quoted[1]!.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"), end: i + quoted[0].length };
  if (/^\\x[0-9a-fA-F]{2}/.test(rest)) return { js: rest.slice(0, 4), end: i + 4 };
  if (/^\\c[A-Za-z]/.test(rest)) return { js: rest.slice(0, 3), end: i + 3 };
  if (SAME_ESCAPES.has(next) || !/[A-Za-z]/.test(next)) return { js: `\\${next}`, end: i + 2 };
  const rewritten = (inClass ? REWRITTEN_IN_CLASS : REWRITTEN_ESCAPES)[next];
  if (rewritten) return { js: rewritten, end: i + 2 };
  return { error: `the escape \\${next} is not supported`, index: i };
}

// ---- running -------------------------------------------------------------------------------------

/**
 * Extraction (Search Reference, rex): "matches the value of the specified field against the
 * unanchored regular expression and extracts the named groups into fields of the corresponding
 * names". `max_match` "Controls the number of times the regex is matched. If greater than 1, the
 * resulting fields are multivalued fields. Use 0 to specify unlimited matches. Multiple matches apply
 * to the repeated application of the whole pattern."
 *
 * - A result the regex does not match keeps its fields as they were; so does a field whose group
 *   takes no part in any match, or captures only the empty string (transforms.conf KEEP_EMPTY_VALS
 *   defaults to false: "an empty value makes no field", as in knowledge.ts). UNCONFIRMED for rex.
 * - A multivalue field is matched value by value, in order, up to max_match matches in all.
 * - Several groups with one name (PCRE `(?J)`): the first that took part in a match gives the value.
 * - offset_field: `name=start-end` (0-based, end inclusive: "(?<tenchars>.{10})" gives tenchars=0-9),
 *   one per extracted value, joined with `&` (UNCONFIRMED separator).
 */
function runExtract(args: Extract<RexArgs, { mode: "extract" }>, input: Table): Table {
  const source = input.column(args.field.name);
  if (!source) return input;
  const { pattern } = args;
  const withOffsets = args.offsetField !== undefined;
  const re = new RegExp(pattern.source, `${pattern.flags}g${withOffsets ? "d" : ""}`);
  const limit = args.maxMatch === 0 ? Infinity : args.maxMatch;
  // Distinct field names, and for each the JS groups g<i> that extract it.
  const fields = [...new Set(pattern.groups)];
  const groupsOf = fields.map((f) => pattern.groups.flatMap((g, i) => (g === f ? [`g${i}`] : [])));
  const outputs: Array<Value[] | undefined> = fields.map(() => undefined);
  const offsets: Value[] | undefined = withOffsets ? new Array<Value>(input.length).fill(null) : undefined;
  const found: Scalar[][] = fields.map(() => []);
  const offsetParts: string[] = [];
  for (let row = 0; row < input.length; row++) {
    for (const list of found) list.length = 0;
    offsetParts.length = 0;
    let matches = 0;
    for (const value of valuesOf(source.get(row))) {
      if (matches >= limit) break;
      const text = scalarText(value);
      re.lastIndex = 0;
      // Each turn either ends the loop or moves lastIndex forward: bounded by the text length.
      while (matches < limit) {
        const m = re.exec(text);
        if (!m) break;
        matches++;
        if (m[0] === "") re.lastIndex++;
        for (let f = 0; f < fields.length; f++) {
          for (const g of groupsOf[f]!) {
            const captured = m.groups?.[g];
            if (captured === undefined || captured === "") continue;
            found[f]!.push(captured);
            const at = m.indices?.groups?.[g];
            if (at) offsetParts.push(`${fields[f]}=${at[0]}-${at[1] - 1}`);
            break;
          }
        }
        if (re.lastIndex > text.length) break;
      }
    }
    for (let f = 0; f < fields.length; f++) {
      if (found[f]!.length === 0) continue;
      let out = outputs[f];
      if (!out) out = outputs[f] = copyColumn(input, fields[f]!);
      out[row] = fromValues(found[f]!.slice());
    }
    if (offsets && offsetParts.length > 0) offsets[row] = offsetParts.join("&");
  }
  const columns: Array<[string, ArrayColumn]> = [];
  fields.forEach((f, i) => {
    if (outputs[i]) columns.push([f, new ArrayColumn(outputs[i]!)]);
  });
  if (offsets && args.offsetField) columns.push([args.offsetField.name, new ArrayColumn(offsets)]);
  return columns.length === 0 ? input : input.withColumns(columns);
}

function copyColumn(input: Table, field: string): Value[] {
  const column = input.column(field);
  const out = new Array<Value>(input.length);
  for (let row = 0; row < input.length; row++) out[row] = column ? column.get(row) : null;
  return out;
}

/**
 * mode=sed (Search Reference, rex, "Sed expressions"): `s/<regex>/<replacement>/<flags>` where the
 * replacement uses "\n for back references, where n is a single digit" and the flags are "g to
 * replace all matches, or a number to replace a specified match"; `y/<string1>/<string2>/`
 * "substitutes the characters that match <string1> with the characters in <string2>". Applied to
 * each value of the field; a result without the field is left alone.
 */
function runSed(field: string, sed: SedExpression, input: Table): Table {
  const source = input.column(field);
  if (!source) return input;
  const edit = sed.kind === "y" ? transliterator(sed.from, sed.to) : substituter(sed);
  const out = new Array<Value>(input.length);
  for (let row = 0; row < input.length; row++) {
    const v = source.get(row);
    if (v === null) out[row] = null;
    else if (Array.isArray(v)) out[row] = v.map((x) => edit(scalarText(x)));
    else out[row] = edit(scalarText(v as Scalar));
  }
  return input.withColumn(field, new ArrayColumn(out));
}

function transliterator(from: string, to: string): (text: string) => string {
  const map = new Map<string, string>();
  const targets = [...to];
  [...from].forEach((c, i) => {
    if (!map.has(c)) map.set(c, targets[i]!);
  });
  return (text) => {
    let out = "";
    for (const c of text) out += map.get(c) ?? c;
    return out;
  };
}

function substituter(sed: Extract<SedExpression, { kind: "s" }>): (text: string) => string {
  const re = new RegExp(sed.pattern.source, `${sed.pattern.flags}g`);
  const which = sed.global ? 0 : (sed.occurrence ?? 1);
  const replacement = parseReplacement(sed.replacement);
  return (text) => {
    re.lastIndex = 0;
    let out = "";
    let last = 0;
    let n = 0;
    // Bounded by the text length: every turn moves lastIndex forward or ends the loop.
    for (let m = re.exec(text); m; m = re.exec(text)) {
      n++;
      if (which === 0 || n === which) {
        out += text.slice(last, m.index) + expand(replacement, m);
        last = m.index + m[0].length;
      }
      if (m[0] === "") re.lastIndex++;
      if ((which !== 0 && n >= which) || re.lastIndex > text.length) break;
    }
    return out + text.slice(last);
  };
}

/** A replacement as literal pieces and group numbers (`\1` ... `\9`); `\x` is x. */
function parseReplacement(text: string): Array<string | number> {
  const parts: Array<string | number> = [];
  let literal = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      const next = text[++i]!;
      if (/\d/.test(next)) {
        if (literal !== "") parts.push(literal);
        literal = "";
        parts.push(Number(next));
      } else literal += next;
    } else literal += c;
  }
  if (literal !== "") parts.push(literal);
  return parts;
}

function expand(parts: ReadonlyArray<string | number>, m: RegExpExecArray): string {
  let out = "";
  for (const p of parts) out += typeof p === "number" ? (m[p] ?? "") : p;
  return out;
}
