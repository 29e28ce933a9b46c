/**
 * Comparison and conditional functions ("Comparison and Conditional functions",
 * https://help.splunk.com/splunk-cloud-platform/spl-search-reference/9.3.2408/evaluation-functions/comparison-and-conditional-functions,
 * and searchbnf [eval-function] examples in reference/spl_semantics.md §4.7).
 * A condition that is not true (false, or null from a missing field) is not taken.
 */
import ipaddr from "ipaddr.js";
import type { Compiled, FunctionSpec } from "../types.js";
import { equal, likeRegex } from "../compare.js";
import { anyValue, scalarString, text } from "../values.js";
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
      const re = likeRegex(p);
      return anyValue(subject!(row), (s) => re.test(scalarString(s)));
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
        if (!re) return null;
        return anyValue(subject!(row), (s) => re.test(scalarString(s)));
      };
    },
  },

  /**
   * cidrmatch(cidr, ip): IPv4 and IPv6 (ipaddr.js); true when some value of a multivalue ip is in
   * the subnet (UNCONFIRMED for multivalues). A value that is not an address is false; a null ip
   * gives null; a cidr without a /bits is one address.
   */
  cidrmatch: {
    min: 2,
    max: 2,
    boolean: true,
    compile: (site) => {
      const [cidr, ip] = site.args;
      const literal = site.literal(0);
      const fixed = literal === undefined ? undefined : parseCidr(scalarString(literal));
      return (row) => {
        const range = literal === undefined ? parseCidr(text(cidr!(row))) : fixed;
        const value = ip!(row);
        if (value === null) return null;
        if (!range) return false;
        return anyValue(value, (s) => inRange(scalarString(s), range));
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

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];
const cidrCache = new Map<string, Range | undefined>();

function parseCidr(text: string | null): Range | undefined {
  if (text === null) return undefined;
  if (cidrCache.has(text)) return cidrCache.get(text);
  let range: Range | undefined;
  try {
    const t = text.trim();
    if (t.includes("/")) range = ipaddr.parseCIDR(t);
    else {
      const a = parseAddress(t);
      if (a) range = [a, a.kind() === "ipv4" ? 32 : 128];
    }
  } catch {
    range = undefined;
  }
  if (cidrCache.size > 1000) cidrCache.clear();
  cidrCache.set(text, range);
  return range;
}

/** A dotted-quad IPv4 or an IPv6 address (IPv4-mapped IPv6 as IPv4); not ipaddr's loose "10" forms. */
function parseAddress(s: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s);
  if (ipaddr.IPv6.isValid(s)) {
    const a = ipaddr.IPv6.parse(s);
    return a.isIPv4MappedAddress() ? a.toIPv4Address() : a;
  }
  return undefined;
}

function inRange(s: string, range: Range): boolean {
  const a = parseAddress(s.trim());
  if (!a || a.kind() !== range[0].kind()) return false;
  return a.match(range);
}
