/**
 * Informational functions: isnum, isint, isstr, isbool, typeof ("Informational functions",
 * https://docs.splunk.com/Documentation/Splunk/9.4.0/SearchReference/InformationalFunctions).
 * Numeric strings count as numbers (values.ts), which the CIM's `isnum(bytes_in)` on extracted
 * fields needs; so typeof("12") is "Number" too (UNCONFIRMED for literals).
 * `typeof(12)+typeof("string")+typeof(1==2)+typeof(badfield)` = "NumberStringBoolInvalid" (searchbnf).
 */
import { scalarNumber } from "../../table/value.js";
import type { FunctionSpec } from "../types.js";
import type { EvalResult } from "../types.js";
import { single } from "../values.js";

function isNumber(r: EvalResult): boolean {
  const s = single(r);
  return s !== null && scalarNumber(s) !== null;
}

function isInteger(r: EvalResult): boolean {
  const s = single(r);
  if (s === null) return false;
  if (typeof s === "number") return Number.isInteger(s);
  return /^\s*[+-]?\d+\s*$/.test(s);
}

function typeOf(r: EvalResult): string {
  if (r === null) return "Invalid";
  if (typeof r === "boolean") return "Bool";
  // UNCONFIRMED: the name Splunk gives multivalues.
  if (Array.isArray(r)) return "Multivalue";
  return isNumber(r) ? "Number" : "String";
}

export const infoFunctions: Record<string, FunctionSpec> = {
  isnum: { min: 1, max: 1, boolean: true, compile: ({ args: [a] }) => (row) => isNumber(a!(row)) },
  isint: { min: 1, max: 1, boolean: true, compile: ({ args: [a] }) => (row) => isInteger(a!(row)) },
  isstr: {
    min: 1,
    max: 1,
    boolean: true,
    compile: ({ args: [a] }) => (row) => {
      const v = a!(row);
      return typeof single(v) === "string" && !isNumber(v);
    },
  },
  isbool: { min: 1, max: 1, boolean: true, compile: ({ args: [a] }) => (row) => typeof a!(row) === "boolean" },
  typeof: { min: 1, max: 1, compile: ({ args: [a] }) => (row) => typeOf(a!(row)) },
};
