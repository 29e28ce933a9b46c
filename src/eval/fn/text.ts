/**
 * Text functions (searchbnf [eval-function], reference/spl_semantics.md §4.7). Each works value by
 * value on a multivalue field (values.ts mapValues).
 */
import { createHash } from "node:crypto";
import { fromValues, type Scalar } from "../../table/value.js";
import type { CallSite, Compiled, FunctionSpec } from "../types.js";
import { mapValues, num, scalarString, text, values } from "../values.js";
import { literalRegex, perValue, rowRegex } from "./common.js";

export const textFunctions: Record<string, FunctionSpec> = {
  lower: { min: 1, max: 1, compile: perValue((s) => s.toLowerCase()) },
  upper: { min: 1, max: 1, compile: perValue((s) => s.toUpperCase()) },
  /** Length in characters (code points), not UTF-16 units. */
  len: { min: 1, max: 1, compile: perValue(codePoints) },
  urldecode: { min: 1, max: 1, compile: perValue(urldecode) },
  md5: { min: 1, max: 1, compile: perValue((s) => hash("md5", s)) },
  sha1: { min: 1, max: 1, compile: perValue((s) => hash("sha1", s)) },
  sha256: { min: 1, max: 1, compile: perValue((s) => hash("sha256", s)) },
  sha512: { min: 1, max: 1, compile: perValue((s) => hash("sha512", s)) },

  /** substr(s, start[, length]): 1-based, SQLite's rules: `substr("string",1,3)+substr("string",-3)` = "string". */
  substr: {
    min: 2,
    max: 3,
    compile: ({ args: [s, start, length] }) => (row) => {
      const p1 = num(start!(row));
      const p2 = length ? num(length(row)) : undefined;
      if (p1 === null || p2 === null) return null;
      return mapValues(s!(row), (v) => substr(scalarString(v), Math.trunc(p1), p2 === undefined ? undefined : Math.trunc(p2)));
    },
  },

  /** trim(s[, chars]): "default spaces and tabs". */
  trim: { min: 1, max: 2, compile: trimmer(true, true) },
  ltrim: { min: 1, max: 2, compile: trimmer(true, false) },
  rtrim: { min: 1, max: 2, compile: trimmer(false, true) },

  /** replace(s, regex, replacement): every match; `\1`..`\9` in the replacement are groups. */
  replace: {
    min: 3,
    max: 3,
    compile: (site) => {
      const [s, pattern, replacement] = site.args;
      const fixed = literalRegex(site, 1, true);
      return (row) => {
        const re = fixed ?? rowRegex(text(pattern!(row)), true);
        const template = text(replacement!(row));
        if (!re || template === null) return null;
        const parts = replacementParts(template);
        return mapValues(s!(row), (v) => scalarString(v).replace(re, (...m: unknown[]) => substitute(parts, m)));
      };
    },
  },

  /** split(s, delimiter): a multivalue; an empty delimiter splits into characters. */
  split: {
    min: 2,
    max: 2,
    compile: ({ args: [s, delimiter] }) => (row) => {
      const value = s!(row);
      const d = text(delimiter!(row));
      if (value === null || d === null) return null;
      const out: Scalar[] = [];
      for (const v of values(value)) for (const part of scalarString(v).split(d)) out.push(part);
      return fromValues(out);
    },
  },
};

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
    else (n++, i++);
  }
  return n;
}

function hash(algorithm: string, s: string): string {
  return createHash(algorithm).update(s, "utf8").digest("hex");
}

/**
 * %XX escapes decoded as UTF-8 bytes; malformed escapes stay as written.
 * UNCONFIRMED: whether Splunk turns `+` into a space (form encoding); spelunk leaves it.
 */
function urldecode(s: string): string {
  if (!s.includes("%")) return s;
  const bytes = Buffer.from(s, "utf8");
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out[n++] = parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16);
      i += 2;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n).toString("utf8");
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}

/** SQLite's substr (func.c substrFunc) on UTF-16 units. */
export function substr(s: string, start: number, length: number | undefined): string {
  const len = s.length;
  let p1 = start;
  let p2 = length === undefined ? len + Math.abs(start) + 1 : length;
  let negative = false;
  if (p2 < 0) (p2 = -p2, negative = true);
  if (p1 < 0) {
    p1 += len;
    if (p1 < 0) {
      p2 += p1;
      if (p2 < 0) p2 = 0;
      p1 = 0;
    }
  } else if (p1 > 0) {
    p1--;
  } else if (p2 > 0) {
    p2--;
  }
  if (negative) {
    p1 -= p2;
    if (p1 < 0) (p2 += p1, p1 = 0);
  }
  if (p1 + p2 > len) p2 = Math.max(0, len - p1);
  return s.slice(p1, p1 + p2);
}

function trimmer(left: boolean, right: boolean) {
  return ({ args: [s, chars] }: CallSite): Compiled => (row) => {
    const set = chars ? text(chars(row)) : " \t";
    if (set === null) return null;
    return mapValues(s!(row), (v) => {
      const str = scalarString(v);
      let a = 0;
      let b = str.length;
      if (left) while (a < b && set.includes(str[a]!)) a++;
      if (right) while (b > a && set.includes(str[b - 1]!)) b--;
      return str.slice(a, b);
    });
  };
}

const templates = new Map<string, ReadonlyArray<string | number>>();

/** A replacement template as literal pieces and group numbers: "\2/\1" → [2, "/", 1]; `\\` is a backslash. */
function replacementParts(template: string): ReadonlyArray<string | number> {
  let parts = templates.get(template);
  if (parts) return parts;
  const out: Array<string | number> = [];
  let literal = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    const next = template[i + 1];
    if (c === "\\" && next !== undefined && /[0-9]/.test(next)) {
      if (literal) out.push(literal);
      literal = "";
      out.push(Number(next));
      i++;
    } else if (c === "\\" && next === "\\") {
      literal += "\\";
      i++;
    } else {
      literal += c;
    }
  }
  if (literal) out.push(literal);
  parts = out;
  if (templates.size > 1000) templates.clear();
  templates.set(template, parts);
  return parts;
}

/** The replacement for one match; m is String.replace's callback arguments (match, groups..., offset, input[, named]). */
function substitute(parts: ReadonlyArray<string | number>, m: unknown[]): string {
  let out = "";
  const groupEnd = typeof m[m.length - 1] === "object" ? m.length - 3 : m.length - 2;
  for (const p of parts) {
    if (typeof p === "string") out += p;
    else if (p < groupEnd) out += (m[p] as string | undefined) ?? "";
  }
  return out;
}
