/**
 * Multivalue eval functions ("Multivalue eval functions",
 * https://help.splunk.com/splunk-enterprise/spl-search-reference/9.0/evaluation-functions/multivalue-eval-functions,
 * and reference/spl_semantics.md §4.7). A single value is a multivalue of one; null is one of none.
 */
import type { EvalExpr } from "../../parse/ast.js";
import { fromValues, type Scalar, type Value } from "../../table/value.js";
import { parseTimespan, fixedSeconds } from "../../time/timespan.js";
import { EvalCompileError, type CallSite, type Cell, type Compiled, type FunctionSpec } from "../types.js";
import { num, scalarString, text, values } from "../values.js";
import { literalRegex, rowRegex } from "./common.js";

/** mvrange refuses to build more values than this (a typo such as mvrange(0, 1e12) must not hang). */
export const MVRANGE_LIMIT = 100_000;

export const mvFunctions: Record<string, FunctionSpec> = {
  /** "If the field has no values, this function returns NULL." */
  mvcount: {
    min: 1,
    max: 1,
    compile: ({ args: [a] }) => (row) => {
      const v = a!(row);
      return v === null || typeof v === "boolean" ? null : Array.isArray(v) ? v.length : 1;
    },
  },

  /**
   * mvindex(mv, start[, end]): 0-based, end inclusive, negative indexes count from the end (-1 is
   * the last value); null when start is out of range; an end past the last value stops there.
   */
  mvindex: {
    min: 2,
    max: 3,
    compile: ({ args: [a, s, e] }) => (row) => {
      const vs = values(a!(row));
      const start = num(s!(row));
      const end = e ? num(e(row)) : start;
      if (start === null || end === null || vs.length === 0) return null;
      const n = vs.length;
      const from = Math.trunc(start < 0 ? n + start : start);
      const to = Math.min(Math.trunc(end < 0 ? n + end : end), n - 1);
      if (from < 0 || from >= n || to < from) return null;
      return from === to ? vs[from]! : fromValues(vs.slice(from, to + 1));
    },
  },

  mvjoin: {
    min: 2,
    max: 2,
    compile: ({ args: [a, d] }) => (row) => {
      const v = a!(row);
      const delimiter = text(d!(row));
      if (v === null || typeof v === "boolean" || delimiter === null) return null;
      return values(v).map(scalarString).join(delimiter);
    },
  },

  mvappend: {
    min: 1,
    max: Infinity,
    compile: ({ args }) => (row) => {
      const out: Scalar[] = [];
      for (const a of args) for (const v of values(a(row))) out.push(v);
      return fromValues(out);
    },
  },

  /** The values without repeats, first occurrence kept. */
  mvdedup: {
    min: 1,
    max: 1,
    compile: ({ args: [a] }) => (row) => {
      const seen = new Set<string>();
      const out: Scalar[] = [];
      for (const v of values(a!(row))) {
        const key = `${typeof v}:${v}`;
        if (!seen.has(key)) (seen.add(key), out.push(v));
      }
      return fromValues(out);
    },
  },

  /** Sorted lexicographically (as text), as the docs say: "10" sorts before "9". */
  mvsort: {
    min: 1,
    max: 1,
    compile: ({ args: [a] }) => (row) => {
      const out = [...values(a!(row))];
      out.sort((x, y) => {
        const sx = scalarString(x);
        const sy = scalarString(y);
        return sx < sy ? -1 : sx > sy ? 1 : 0;
      });
      return fromValues(out);
    },
  },

  /** mvfind(mv, regex): index of the first value the regex matches, else null. */
  mvfind: {
    min: 2,
    max: 2,
    compile: (site) => {
      const [a, pattern] = site.args;
      const fixed = literalRegex(site, 1);
      return (row) => {
        const re = fixed ?? rowRegex(text(pattern!(row)));
        if (!re) return null;
        const vs = values(a!(row));
        for (let i = 0; i < vs.length; i++) if (re.test(scalarString(vs[i]!))) return i;
        return null;
      };
    },
  },

  /**
   * mvzip(left, right[, delimiter]): pairs "l,r" in order. UNCONFIRMED: with lengths that differ,
   * pairing stops at the shorter (Python's zip, which the docs' examples suggest).
   */
  mvzip: {
    min: 2,
    max: 3,
    compile: ({ args: [l, r, d] }) => (row) => {
      const left = values(l!(row));
      const right = values(r!(row));
      const delimiter = d ? text(d(row)) : ",";
      if (delimiter === null || left.length === 0 || right.length === 0) return null;
      const out: Scalar[] = [];
      for (let i = 0; i < Math.min(left.length, right.length); i++) out.push(scalarString(left[i]!) + delimiter + scalarString(right[i]!));
      return fromValues(out);
    },
  },

  /** mvrange(start, end[, step]): start, start+step, ... below end; step may be a span such as "1d". */
  mvrange: {
    min: 2,
    max: 3,
    compile: ({ args: [s, e, st] }) => (row) => {
      const start = num(s!(row));
      const end = num(e!(row));
      const step = st ? stepOf(st(row)) : 1;
      if (start === null || end === null || step === null || step <= 0) return null;
      if ((end - start) / step > MVRANGE_LIMIT) return null;
      const out: number[] = [];
      for (let x = start; x < end && out.length < MVRANGE_LIMIT; x += step) out.push(x);
      return fromValues(out);
    },
  },

  /**
   * mvfilter(predicate): the values of the one field the predicate names for which it is true
   * ("The Boolean expression can reference ONLY ONE field at a time", multivalue functions page).
   */
  mvfilter: {
    min: 1,
    max: 1,
    compile: (site) => {
      const expr = site.exprs[0]!;
      const field = onlyField(site, expr);
      const cell: Cell = { value: null };
      const source = site.compile({ kind: "field", name: field, span: expr.span });
      const predicate = site.bind(expr, field, cell);
      return (row) => {
        const out: Scalar[] = [];
        for (const v of values(source(row))) {
          cell.value = v;
          if (predicate(row) === true) out.push(v);
        }
        cell.value = null;
        return fromValues(out);
      };
    },
  },

  /** mvmap(mv, expression): the expression for each value, the field of `mv` standing for the value. */
  mvmap: {
    min: 2,
    max: 2,
    compile: (site) => {
      const target = site.exprs[0]!;
      if (target.kind !== "field") throw new EvalCompileError("mvmap(): the first argument must be a field", target.span);
      const cell: Cell = { value: null };
      const source = site.args[0]!;
      const mapped = site.bind(site.exprs[1]!, target.name, cell);
      return (row) => {
        const out: Scalar[] = [];
        for (const v of values(source(row))) {
          cell.value = v;
          const r = mapped(row);
          if (typeof r !== "boolean") for (const x of values(r as Value)) out.push(x);
        }
        cell.value = null;
        return fromValues(out);
      };
    },
  },
};

function stepOf(r: ReturnType<Compiled>): number | null {
  const n = num(r);
  if (n !== null) return n;
  const t = text(r);
  const span = t === null ? undefined : parseTimespan(t);
  return span ? (fixedSeconds(span) ?? null) : null;
}

/** The single field an mvfilter predicate refers to; a compile error for none or several. */
function onlyField(site: CallSite, expr: EvalExpr): string {
  const names = new Set<string>();
  const visit = (e: EvalExpr, depth: number): void => {
    if (depth > 200) return;
    switch (e.kind) {
      case "field": names.add(e.name); break;
      case "call": e.args.forEach((a) => visit(a, depth + 1)); break;
      case "binary": visit(e.left, depth + 1); visit(e.right, depth + 1); break;
      case "unary": visit(e.operand, depth + 1); break;
      case "in": visit(e.value, depth + 1); e.list.forEach((a) => visit(a, depth + 1)); break;
      default: break;
    }
  };
  visit(expr, 0);
  if (names.size !== 1) {
    const which = names.size === 0 ? "no field" : `${names.size} fields (${[...names].join(", ")})`;
    throw new EvalCompileError(`${site.name}() must refer to exactly one field, but its expression refers to ${which}`, expr.span);
  }
  return [...names][0]!;
}
