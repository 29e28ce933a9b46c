/**
 * Comparison and conditional functions ("Comparison and Conditional functions",
 * https://help.splunk.com/splunk-cloud-platform/spl-search-reference/9.3.2408/evaluation-functions/comparison-and-conditional-functions,
 * and searchbnf [eval-function] examples in reference/spl_semantics.md §4.7).
 * A condition that is not true (false, or null from a missing field) is not taken.
 */
import ipaddr from "ipaddr.js";
import { EvalCompileError, type Compiled, type FunctionSpec } from "../types.js";
import { equal, likeRegex } from "../compare.js";
import type { Scalar } from "../../table/value.js";
import { anyMatch, scalarString, text } from "../values.js";
import { literalRegex, rowRegex } from "./common.js";

const pairs = (what: string) => (n: number): string | undefined => (n % 2 === 0 ? undefined : `${what} takes pairs of arguments`);

export const conditionalFunctions: Record<string, FunctionSpec> = {
  if: {
    min: 3,
    max: 3,
    compile: ({ args: [c, a, b] }) => (row) => (c!(row) === true ? a!(row) : b!(row)),
  },

  /** "The function defaults to NULL if none of the <condition> arguments are true." */
  case: {
    min: 2,
    max: Infinity,
    arity: pairs("case()"),
    compile: ({ args }) => (row) => {
      for (let i = 0; i + 1 < args.length; i += 2) if (args[i]!(row) === true) return args[i + 1]!(row);
      return null;
    },
  },

  /** First argument that is not null; an empty string is a value. */
  coalesce: { min: 1, max: Infinity, compile: ({ args }) => coalesce(args) },
  ifnull: { min: 1, max: Infinity, compile: ({ args }) => coalesce(args) },

  nullif: {
    min: 2,
    max: 2,
    compile: ({ args: [a, b] }) => (row) => {
      const x = a!(row);
      return equal(x, b!(row)) === true ? null : x;
    },
  },

  /** validate(cond, message, ...): the message of the first condition that is not true, else null. */
  validate: {
    min: 2,
    max: Infinity,
    arity: pairs("validate()"),
    compile: ({ args }) => (row) => {
      for (let i = 0; i + 1 < args.length; i += 2) if (args[i]!(row) !== true) return args[i + 1]!(row);
      return null;
    },
  },

  null: { min: 0, max: 0, compile: () => () => null },
  true: { min: 0, max: 0, boolean: true, compile: () => () => true },
  false: { min: 0, max: 0, boolean: true, compile: () => () => false },

  /** in(field, v1, v2, ...): true when the field equals one of the values (as `=` compares). */
  in: {
    min: 2,
    max: Infinity,
    boolean: true,
    compile: ({ args: [value, ...list] }) => inList(value!, list),
  },

  isnull: { min: 1, max: 1, boolean: true, compile: ({ args: [a] }) => (row) => a!(row) === null },
  isnotnull: { min: 1, max: 1, boolean: true, compile: ({ args: [a] }) => (row) => a!(row) !== null },

  /** like(text, pattern): SQLite LIKE wildcards, see compare.ts. */
  like: {
    min: 2,
    max: 2,
    boolean: true,
    compile: ({ args: [subject, pattern] }) => (row) => {
      const p = text(pattern!(row));
      if (p === null) return null;
      return anyMatch(subject!(row), likeRegex(p));
    },
  },

  /**
   * match(text, regex): "Returns TRUE if the regular expression finds a match against any substring"
   * (unanchored; SPL2 quick reference, reference/spl_semantics.md §4.7). A literal regex is compiled
   * once, and a bad one is reported before the search runs.
   */
  match: {
    min: 2,
    max: 2,
    boolean: true,
    compile: (site) => {
      const [subject, pattern] = site.args;
      const fixed = literalRegex(site, 1);
      return (row) => {
        const re = fixed ?? rowRegex(text(pattern!(row)));
        return re ? anyMatch(subject!(row), re) : null;
      };
    },
  },

  /**
   * cidrmatch(cidr, ip): IPv4 and IPv6 (ipaddr.js); true when some value of a multivalue ip is in
   * the subnet (UNCONFIRMED for multivalues). A value that is not an address is false; a null ip
   * gives null; a cidr without a /bits is one address. A literal subnet that is not one is an error
   * before the search runs; a computed one gives false.
   */
  cidrmatch: {
    min: 2,
    max: 2,
    boolean: true,
    compile: (site) => {
      const [cidr, ip] = site.args;
      const literal = site.literal(0);
      const fixed = literal === undefined ? undefined : parseCidr(scalarString(literal));
      if (literal !== undefined && !fixed) throw new EvalCompileError(`cidrmatch(): "${scalarString(literal)}" is not an IP address or CIDR subnet`, site.exprs[0]!.span);
      return (row) => {
        const range = literal === undefined ? parseCidr(text(cidr!(row))) : fixed;
        const value = ip!(row);
        if (value === null) return null;
        if (!range) return false;
        if (!Array.isArray(value)) return typeof value === "boolean" ? null : inRange(scalarString(value as Scalar), range);
        for (const s of value as readonly Scalar[]) if (inRange(scalarString(s), range)) return true;
        return false;
      };
    },
  },
};

function coalesce(args: readonly Compiled[]): Compiled {
  return (row) => {
    for (const a of args) {
      const v = a(row);
      if (v !== null) return v;
    }
    return null;
  };
}

/** `x IN (a, b)` and in(x, a, b): null when x is null, else whether x equals one of the list. */
export function inList(value: Compiled, list: readonly Compiled[]): Compiled {
  return (row) => {
    const v = value(row);
    if (v === null) return null;
    for (const item of list) if (equal(v, item(row)) === true) return true;
    return false;
  };
}

/** A subnet: IPv4 as a 32-bit network and mask (the fast, common case), IPv6 through ipaddr.js. */
type Range = { readonly v4: true; readonly network: number; readonly mask: number } | { readonly v4: false; readonly range: [ipaddr.IPv6, number] };
const cidrCache = new Map<string, Range | undefined>();

/** A dotted quad as an unsigned 32-bit number, or undefined ("10" and "010.1.1.1" are not addresses). */
function ipv4(s: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return undefined;
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46 && digits > 0 && parts < 4) {
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  return parts === 4 ? value : undefined;
}

function parseCidr(text: string | null): Range | undefined {
  if (text === null) return undefined;
  if (cidrCache.has(text)) return cidrCache.get(text);
  let range: Range | undefined;
  const t = text.trim();
  const slash = t.indexOf("/");
  const address = slash < 0 ? t : t.slice(0, slash);
  const bitsText = slash < 0 ? undefined : t.slice(slash + 1);
  const bits = bitsText === undefined ? undefined : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  const v4 = ipv4(address);
  if (v4 !== undefined) {
    const b = bits ?? 32;
    if (b >= 0 && b <= 32) {
      const mask = b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0;
      range = { v4: true, network: (v4 & mask) >>> 0, mask };
    }
  } else if (ipaddr.IPv6.isValid(address)) {
    const b = bits ?? 128;
    if (b >= 0 && b <= 128) range = { v4: false, range: [ipaddr.IPv6.parse(address), b] };
  }
  if (cidrCache.size > 1000) cidrCache.clear();
  cidrCache.set(text, range);
  return range;
}

function inRange(s: string, range: Range): boolean {
  const t = s.trim();
  let v4 = ipv4(t);
  if (v4 === undefined && t.includes(":") && ipaddr.IPv6.isValid(t)) {
    const a = ipaddr.IPv6.parse(t);
    if (!range.v4) return a.match(range.range);
    // An IPv4-mapped IPv6 address (::ffff:10.1.2.3) is its IPv4 address.
    if (!a.isIPv4MappedAddress()) return false;
    v4 = ipv4(a.toIPv4Address().toString());
  }
  return v4 !== undefined && range.v4 && ((v4 & range.mask) >>> 0) === range.network;
}
