/**
 * KQL literals: resolving escapes and finding wildcards.
 *
 * Unquoted (Kibana's UnquotedCharacter; detection-rules lib/kql/kql/kql.g UNQUOTED_CHAR), tried in
 * this order (so `\not` is a newline and "ot", as in both grammars): `\t \r \n` are whitespace, `\` before one of `\ ( ) : < > " * { }` is that character, `\` before
 * `or`/`and`/`not` is the word, `\uXXXX` a UTF-16 unit; any other escape is an error. An unescaped
 * `*` makes the literal a wildcard pattern. Whitespace between the words of an unquoted literal is
 * kept as written (`hello world` is one value, as in Kibana).
 *
 * Quoted (QuotedCharacter): `\"`, `\\`, `\t \r \n` and `\uXXXX` are escapes; a backslash before
 * anything else is itself. A quoted `*` is a star, never a wildcard.
 */
import { diagnostic, type Diagnostic } from "../diag/diagnostic.js";
import type { KqlLiteral, Span } from "./ast.js";

const SPECIAL = new Set(["\\", "(", ")", ":", "<", ">", '"', "*", "{", "}"]);
const WHITESPACE_ESCAPES: Record<string, string> = { t: "\t", r: "\r", n: "\n" };

export type LiteralResult = { literal: KqlLiteral } | { error: Diagnostic };

/** `raw` is the text of the literal as written (for an unquoted one, from its first to its last word); `start` its offset. */
export function unquotedLiteral(raw: string, start: number): LiteralResult {
  const pieces: string[] = [];
  let current = "";
  let wildcard = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "*") {
      wildcard = true;
      pieces.push(current);
      current = "";
      continue;
    }
    if (c !== "\\") {
      current += c;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) return { error: diagnostic("syntax", "a backslash must escape a character", start + i, 1) };
    if (SPECIAL.has(next)) {
      current += next;
      i++;
      continue;
    }
    const ws = WHITESPACE_ESCAPES[next];
    if (ws !== undefined) {
      current += ws;
      i++;
      continue;
    }
    const keyword = /^(or|and|not)/i.exec(raw.slice(i + 1));
    if (keyword) {
      current += keyword[1];
      i += keyword[1]!.length;
      continue;
    }
    const unicode = /^u([0-9A-Fa-f]{4})/.exec(raw.slice(i + 1));
    if (unicode) {
      current += String.fromCharCode(parseInt(unicode[1]!, 16));
      i += 5;
      continue;
    }
    return {
      error: diagnostic(
        "syntax",
        `'\\${next}' is not an escape in KQL: escape one of \\ ( ) : < > " * { }, a keyword (\\or), or write \\t \\r \\n \\uXXXX; or quote the value`,
        start + i,
        2,
      ),
    };
  }
  pieces.push(current);
  const span: Span = { start, end: start + raw.length };
  if (!wildcard) return { literal: { text: pieces[0]!, quoted: false, span } };
  return { literal: { text: pieces.join("*"), quoted: false, pattern: pieces, span } };
}

/** `image` is the quoted string with its quotes; `start` the offset of the opening quote. */
export function quotedLiteral(image: string, start: number): KqlLiteral {
  const body = image.slice(1, -1);
  let text = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      text += c;
      continue;
    }
    const next = body[i + 1];
    if (next === '"' || next === "\\") {
      text += next;
      i++;
    } else if (next !== undefined && WHITESPACE_ESCAPES[next] !== undefined) {
      text += WHITESPACE_ESCAPES[next];
      i++;
    } else if (next === "u" && /^[0-9A-Fa-f]{4}$/.test(body.slice(i + 2, i + 6))) {
      text += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      text += c;
    }
  }
  return { text, quoted: true, span: { start, end: start + image.length } };
}

/** An anchored, case-sensitive regular expression for a wildcard pattern (`*` = any run of characters, as Kibana's wildcard query). */
export function patternRegExp(pattern: readonly string[]): RegExp {
  const escaped = pattern.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return new RegExp(`^${escaped.join("[\\s\\S]*")}$`, "u");
}
