/**
 * Splunk's regular expressions are PCRE (match, replace, mvfind, rex). JavaScript's are close; this
 * translates the PCRE syntax that has a JavaScript equivalent and refuses, by name, what has none,
 * rather than letting a pattern silently mean something else.
 *
 * Translated: leading inline flags `(?i)`, `(?s)`, `(?m)`, `(?x)` (and combinations) become flags;
 * `(?P<name>...)` and `(?'name'...)` named groups, `(?P=name)`, `\g1`, `\g{name}`, `\k{name}`
 * references; `\A`, `\z`, `\Z`; PCRE's `$` (end, or before a final newline); `\Q...\E`; `\h`, `\H`;
 * `\x{HHHH}`; `\e`, `\a`; POSIX classes `[[:alpha:]]`; a `]` first in a class; `(?#comments)`.
 * Refused: possessive quantifiers (`a++`), atomic groups `(?>`, recursion `(?R)`, conditionals,
 * branch reset `(?|`, scoped or mid-pattern flags, `\K`, `\G`, `\p{..}`.
 */

export class PcreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PcreError";
  }
}

const cache = new Map<string, RegExp>();

const posixClasses: Readonly<Record<string, string>> = {
  alpha: "a-zA-Z", digit: "0-9", alnum: "a-zA-Z0-9", upper: "A-Z", lower: "a-z", space: "\\s",
  blank: " \\t", punct: "!-\\/:-@\\[-`{-~", xdigit: "0-9A-Fa-f", word: "\\w", cntrl: "\\x00-\\x1f\\x7f",
  print: " -~", graph: "!-~",
};

const escapeLiteral = (ch: string): string => ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/**
 * The RegExp for a PCRE pattern, cached per pattern. `global` gives a `g` RegExp (for replace).
 * Throws PcreError for syntax JavaScript cannot express or a pattern that does not compile.
 */
export function compilePcre(pattern: string, global = false): RegExp {
  const key = global ? `g\u0000${pattern}` : pattern;
  const hit = cache.get(key);
  if (hit) return hit;
  const { source, flags } = translate(pattern);
  let re: RegExp;
  try {
    re = new RegExp(source, flags + (global ? "g" : ""));
  } catch (e) {
    throw new PcreError(`invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`);
  }
  if (cache.size > 2000) cache.clear();
  cache.set(key, re);
  return re;
}

function translate(pattern: string): { source: string; flags: string } {
  let flags = "";
  let i = 0;
  // Leading (?flags), possibly several, possibly after ^.
  let prefix = "";
  if (pattern.startsWith("^")) (prefix = "^", i = 1);
  for (;;) {
    const m = /^\(\?([imsx]+)\)/.exec(pattern.slice(i));
    if (!m) break;
    for (const f of m[1]!) if (!flags.includes(f)) flags += f;
    i += m[0].length;
  }
  const extended = flags.includes("x");
  const multiline = flags.includes("m");
  flags = flags.replace("x", "");
  let out = prefix;
  const n = pattern.length;
  let quantified = false; // the last thing emitted was a quantifier (for possessive detection)
  while (i < n) {
    const ch = pattern[i]!;
    const wasQuantified = quantified;
    quantified = false;
    if (extended && /\s/.test(ch)) {
      i++;
      continue;
    }
    if (extended && ch === "#") {
      while (i < n && pattern[i] !== "\n") i++;
      continue;
    }
    if (ch === "\\") {
      const [text, next] = escape(pattern, i, false, multiline);
      out += text;
      i = next;
      continue;
    }
    if (ch === "[") {
      const [text, next] = characterClass(pattern, i);
      out += text;
      i = next;
      continue;
    }
    if (ch === "(") {
      const [text, next] = group(pattern, i);
      out += text;
      i = next;
      continue;
    }
    if (ch === "$" && !multiline) {
      out += "(?=\\n?(?![\\s\\S]))";
      i++;
      continue;
    }
    if (ch === "*" || ch === "+" || ch === "?") {
      if (ch === "+" && wasQuantified) throw new PcreError("possessive quantifiers (such as a++) are not supported");
      out += ch;
      i++;
      // A lazy `?` after a quantifier is part of it; a `+` after one would be possessive.
      if (pattern[i] === "?") (out += "?", i++);
      else quantified = true;
      continue;
    }
    if (ch === "{") {
      const m = /^\{\d*(?:,\d*)?\}/.exec(pattern.slice(i, i + 24));
      if (m && m[0] !== "{}" && m[0] !== "{,}") {
        out += m[0];
        i += m[0].length;
        if (pattern[i] === "?") (out += "?", i++);
        else quantified = true;
        continue;
      }
      out += "\\{";
      i++;
      continue;
    }
    if (ch === "}") {
      out += "\\}";
      i++;
      continue;
    }
    out += ch;
    i++;
  }
  return { source: out, flags };
}

/** An escape at pattern[i] === "\\"; its translation and the index after it. */
function escape(pattern: string, i: number, inClass: boolean, multiline: boolean): [string, number] {
  const c = pattern[i + 1];
  if (c === undefined) throw new PcreError("pattern ends with a backslash");
  switch (c) {
    case "Q": {
      const end = pattern.indexOf("\\E", i + 2);
      const literal = pattern.slice(i + 2, end < 0 ? pattern.length : end);
      return [[...literal].map(escapeLiteral).join(""), end < 0 ? pattern.length : end + 2];
    }
    case "E": return ["", i + 2];
    case "A": return [inClass ? "A" : "(?<![\\s\\S])", i + 2];
    case "z": return [inClass ? "z" : "(?![\\s\\S])", i + 2];
    case "Z": return [inClass ? "Z" : "(?=\\n?(?![\\s\\S]))", i + 2];
    case "h": return [inClass ? "\\t \\u00a0" : "[\\t \\u00a0]", i + 2];
    case "H":
      if (inClass) throw new PcreError("\\H inside a character class is not supported");
      return ["[^\\t \\u00a0]", i + 2];
    case "e": return ["\\x1b", i + 2];
    case "a": return ["\\x07", i + 2];
    case "x": {
      const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(pattern.slice(i + 2, i + 10));
      if (!m) return ["\\x", i + 2];
      const code = parseInt(m[1]!, 16);
      if (code > 0xffff) throw new PcreError(`\\x{${m[1]}} above U+FFFF is not supported`);
      return [`\\u${code.toString(16).padStart(4, "0")}`, i + 2 + m[0].length];
    }
    case "g": {
      const m = /^(?:\{(-?\d+|\w+)\}|(\d+))/.exec(pattern.slice(i + 2, i + 40));
      if (!m) throw new PcreError("\\g is only supported as a back reference (\\g1, \\g{name})");
      const ref = m[1] ?? m[2]!;
      if (/^-/.test(ref)) throw new PcreError("relative back references (\\g{-1}) are not supported");
      return [/^\d+$/.test(ref) ? `\\${ref}` : `\\k<${ref}>`, i + 2 + m[0].length];
    }
    case "k": {
      const m = /^(?:\{(\w+)\}|'(\w+)'|<(\w+)>)/.exec(pattern.slice(i + 2, i + 40));
      if (!m) throw new PcreError("\\k needs a group name");
      return [`\\k<${m[1] ?? m[2] ?? m[3]}>`, i + 2 + m[0].length];
    }
    case "K":
    case "G":
    case "p":
    case "P":
    case "X":
    case "C":
      throw new PcreError(`\\${c} is not supported`);
    case "R": return [inClass ? "R" : "(?:\\r\\n|\\n|\\r)", i + 2];
    default:
      void multiline;
      return [`\\${c}`, i + 2];
  }
}

/** A character class starting at pattern[i] === "["; its translation and the index after it. */
function characterClass(pattern: string, i: number): [string, number] {
  let out = "[";
  let j = i + 1;
  if (pattern[j] === "^") (out += "^", j++);
  // PCRE: a `]` first in a class is literal (JavaScript would read `[]` as an empty class).
  if (pattern[j] === "]") (out += "\\]", j++);
  while (j < pattern.length) {
    const ch = pattern[j]!;
    if (ch === "]") return [out + "]", j + 1];
    if (ch === "\\") {
      const [text, next] = escape(pattern, j, true, false);
      out += text;
      j = next;
      continue;
    }
    if (ch === "[") {
      const m = /^\[:(\^?)(\w+):\]/.exec(pattern.slice(j, j + 16));
      if (m) {
        const set = posixClasses[m[2]!];
        if (set === undefined) throw new PcreError(`unknown POSIX class [:${m[2]}:]`);
        if (m[1]) throw new PcreError("negated POSIX classes ([:^alpha:]) are not supported");
        out += set;
        j += m[0].length;
        continue;
      }
      out += "\\[";
      j++;
      continue;
    }
    out += ch;
    j++;
  }
  throw new PcreError("missing ] at the end of a character class");
}

/** A group opening at pattern[i] === "("; its translation (the opening only) and the next index. */
function group(pattern: string, i: number): [string, number] {
  if (pattern[i + 1] !== "?") return ["(", i + 1];
  const rest = pattern.slice(i + 2, i + 40);
  if (/^[:=!]/.test(rest) || /^<[=!]/.test(rest)) return [pattern.slice(i, i + (rest[0] === "<" ? 4 : 3)), i + (rest[0] === "<" ? 4 : 3)];
  let m = /^(?:P?<(\w+)>|'(\w+)')/.exec(rest);
  if (m) return [`(?<${m[1] ?? m[2]}>`, i + 2 + m[0].length];
  m = /^P=(\w+)\)/.exec(rest);
  if (m) return [`(?:\\k<${m[1]}>)`, i + 2 + m[0].length];
  if (rest.startsWith("#")) {
    const end = pattern.indexOf(")", i);
    if (end < 0) throw new PcreError("missing ) after a (?# comment");
    return ["", end + 1];
  }
  if (rest.startsWith(">")) throw new PcreError("atomic groups (?>...) are not supported");
  if (rest.startsWith("|")) throw new PcreError("branch reset groups (?|...) are not supported");
  if (rest.startsWith("(")) throw new PcreError("conditional groups (?(...)...) are not supported");
  if (/^(?:R|[+-]?\d|&|P>)/.test(rest)) throw new PcreError("recursive patterns ((?R), (?1), (?&name)) are not supported");
  if (/^[imsxJU-]/.test(rest)) throw new PcreError("inline flags are only supported at the start of the pattern, as in (?i)abc");
  throw new PcreError(`unknown group syntax (?${rest.slice(0, 1)}`);
}
