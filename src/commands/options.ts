/**
 * Small helpers shared by the command parsers: typed option values (booleans, integers, numbers),
 * field names and field lists, and the option loop with its "unknown option" error.
 *
 * Splunk reads `key=value` options of most commands wherever they appear among the arguments
 * (ESCU writes `fillnull risk_score value="0"`, `inputlookup name append=t`, `join user type=outer [...]`),
 * so the commands here accept options before and after their positional arguments.
 */
import type { ArgOption, ArgReader, ArgValue } from "../parse/args.js";
import type { Span } from "../parse/ast.js";
import * as T from "../parse/lexer.js";

/** A field name (possibly with `*` wildcards) and where it was written. */
export interface FieldArg {
  readonly name: string;
  readonly span: Span;
}

const TRUE = new Set(["true", "t", "1", "yes", "y"]);
const FALSE = new Set(["false", "f", "0", "no", "n"]);

/** Splunk booleans: true/false, t/f, 1/0, yes/no (y/n), in any case. `what` names the option in the error. */
export function parseBool(value: ArgValue, r: ArgReader, what?: string): boolean {
  const text = value.text.toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  const head = what === undefined ? "expected" : `${what} expects`;
  return r.fail("bad-argument", `${r.command}: ${head} true or false but found '${value.text}'`, value.span);
}

/** A whole number >= `min` (default 0). */
export function parseInteger(value: ArgValue, r: ArgReader, what = "this option", min = 0): number {
  const n = /^[+-]?\d+$/.test(value.text) ? Number(value.text) : NaN;
  if (!Number.isSafeInteger(n)) return r.fail("bad-argument", `${r.command}: ${what} expects a whole number but found '${value.text}'`, value.span);
  if (n < min) return r.fail("bad-argument", `${r.command}: ${what} must be at least ${min} but is ${n}`, value.span);
  return n;
}

/** A decimal number (`0.5`, `-3`, `1e3`). */
export function parseNumber(value: ArgValue, r: ArgReader, what = "this option"): number {
  const n = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(value.text) ? Number(value.text) : NaN;
  if (!Number.isFinite(n)) return r.fail("bad-argument", `${r.command}: ${what} expects a number but found '${value.text}'`, value.span);
  return n;
}

/** Is `text` a plain whole number, as a positional count (`head 5`, `sort 0`, `dedup 3 src`)? */
export const isCount = (text: string): boolean => /^\d+$/.test(text);

/** Reads one of `choices` (case-insensitive) from an option value, returned lower-cased. */
export function parseChoice<C extends string>(value: ArgValue, r: ArgReader, what: string, choices: readonly C[]): C {
  const found = choices.find((c) => c === value.text.toLowerCase());
  if (found === undefined) r.fail("bad-argument", `${r.command}: ${what} expects one of ${choices.join(", ")} but found '${value.text}'`, value.span);
  return found;
}

export type OptionHandlers = Readonly<Record<string, (option: ArgOption) => void>>;

/**
 * If the next argument is `key=value`, read it and hand it to its handler (keys are lower-cased).
 * An unknown key is an error naming the known ones. A repeated option overrides the earlier one.
 * Returns false when the next argument is not an option.
 */
export function readOption(r: ArgReader, handlers: OptionHandlers): boolean {
  if (!r.atOption()) return false;
  const option = r.option();
  const handler = Object.hasOwn(handlers, option.key) ? handlers[option.key] : undefined;
  if (!handler) {
    const known = Object.keys(handlers);
    const hint = known.length > 0 ? ` (${r.command} accepts ${known.map((k) => `${k}=`).join(", ")})` : ` (${r.command} takes no options)`;
    r.fail("bad-argument", `${r.command}: unknown option '${option.key}='${hint}`, { start: option.span.start, end: option.span.start + option.key.length });
  }
  handler(option);
  return true;
}

/**
 * A field name. Splunk's argument tokenizer splits on spaces and commas only, so a name written
 * `predicted(x)` or `values(user)` is one argument (ESCU: `fields - predicted(unusual_cmdline_logits)`);
 * adjacent quoted and unquoted pieces are glued (`"All_Traffic".*`).
 */
export function readField(r: ArgReader, what = "a field name"): FieldArg {
  if (!r.atValue()) r.failHere(`expected ${what}`);
  const start = r.peek()!.startOffset;
  let name = "";
  let end = start;
  for (let t = r.peek(); t && t.startOffset === end; t = r.peek()) {
    if (t.tokenType === T.LParen) {
      const { span } = r.parenthesised();
      name += r.text.slice(span.start, span.end);
      end = span.end;
    } else if (r.atValue()) {
      const v = r.value(what);
      name += v.text;
      end = v.span.end;
    } else break;
  }
  return { name, span: { start, end } };
}

/**
 * Fields separated by spaces and/or commas, up to the end, an option (`key=value`), or where `stop`
 * says (a keyword). Stray commas are skipped. At least one field unless `optional`.
 */
export function readFieldList(r: ArgReader, what: string, stop: (r: ArgReader) => boolean = () => false, optional = false): FieldArg[] {
  const fields: FieldArg[] = [];
  while (!r.atEnd()) {
    if (r.accept(T.Comma)) continue;
    if (stop(r) || r.atOption() || !r.atValue()) break;
    fields.push(readField(r, what));
  }
  if (fields.length === 0 && !optional) r.failHere(`expected ${what}`);
  return fields;
}

/** For commands without options: a `key=value` next is reported as an unknown option. */
export function noOptions(r: ArgReader): void {
  readOption(r, {});
}

/** Number of `*` wildcards in a field pattern. */
export const wildcardCount = (pattern: string): number => pattern.split("*").length - 1;

/** `key=<bool>` with the option named in the error. */
export const boolOption = (o: ArgOption, r: ArgReader): boolean => parseBool(o.value, r, `${o.key}=`);

/** `key=<int>` (>= `min`) with the option named in the error. */
export const intOption = (o: ArgOption, r: ArgReader, min = 0): number => parseInteger(o.value, r, `${o.key}=`, min);
