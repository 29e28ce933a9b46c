/** Compiling: errors before any row is read, the eval/where result rules, and the seed detection's case(). */
import { describe, expect, it } from "vitest";
import { checkEvalAssignment, compileEval, EvalCompileError, evalToValue, isTrue } from "../../src/eval/compile.js";
import { Table } from "../../src/table/table.js";
import type { Value } from "../../src/table/value.js";
import { ctx, evalRows, expr } from "./helpers.js";

/** The error compiling `where <text>`, with the text its span covers. */
function compileError(text: string): { message: string; at: string } {
  const prefix = "| where ";
  try {
    compileEval(expr(text), Table.fromRows([{}]), ctx);
  } catch (e) {
    if (e instanceof EvalCompileError) return { message: e.message, at: `${prefix}${text}`.slice(e.span.start, e.span.end) };
    throw e;
  }
  throw new Error("no error");
}

describe("compile errors", () => {
  it("reports a wrong number of arguments at the call", () => {
    expect(compileError("x > round(1, 2, 3)")).toEqual({ message: "round() takes 1 or 2 arguments, but got 3", at: "round(1, 2, 3)" });
    expect(compileError('if(a, "b")')).toEqual({ message: "if() takes 3 arguments, but got 2", at: 'if(a, "b")' });
    expect(compileError("now(1) > 0").message).toBe("now() takes no arguments, but got 1");
    expect(compileError("coalesce()").message).toBe("coalesce() takes at least 1 argument, but got 0");
    expect(compileError('case(1=1, "a", 2=2)').message).toBe("case() takes pairs of arguments");
  });

  it("names unknown and unsupported functions", () => {
    expect(compileError("frobnicate(x)")).toEqual({ message: "unknown eval function 'frobnicate'", at: "frobnicate(x)" });
    expect(compileError('searchmatch("x")').message).toBe("eval function 'searchmatch' is not supported yet");
  });

  it("reports a bad literal regex at the argument", () => {
    const e = compileError('match(x, "a++")');
    expect(e.at).toBe('"a++"');
    expect(e.message).toMatch(/possessive/);
    expect(compileError('match(x, "(unclosed")').message).toMatch(/^match\(\): invalid regular expression/);
  });

  it("reports other literal arguments that cannot work", () => {
    expect(compileError('tostring(x, "hexx")').at).toBe('"hexx"');
    expect(compileError('relative_time(now(), "-1x")').message).toMatch(/not a relative time modifier/);
    expect(compileError('cidrmatch("10.0.0.0/33", ip)')).toEqual({ message: 'cidrmatch(): "10.0.0.0/33" is not an IP address or CIDR subnet', at: '"10.0.0.0/33"' });
    expect(compileError('mvfilter(a = "x" OR b = "y")').message).toMatch(/exactly one field/);
  });

  it("accepts function names in any case", () => {
    expect(evalRows('IF(1=1, "y", "n")', [{}])).toEqual(["y"]);
  });
});

describe("eval assignments and where results", () => {
  it("refuses to assign a boolean expression, as Splunk does", () => {
    const message = "Fields cannot be assigned a boolean result. Instead, try if([bool expr], [expr], [expr]).";
    expect(checkEvalAssignment(expr("a = b"))).toBe(message);
    expect(checkEvalAssignment(expr("(a = b)"))).toBe(message);
    expect(checkEvalAssignment(expr("a > 1 AND b > 2"))).toBe(message);
    expect(checkEvalAssignment(expr("NOT a"))).toBe(message);
    expect(checkEvalAssignment(expr('a IN ("x")'))).toBe(message);
    expect(checkEvalAssignment(expr('cidrmatch("10.0.0.0/8", ip)'))).toBe(message);
    expect(checkEvalAssignment(expr('if(a = b, "y", "n")'))).toBeUndefined();
    expect(checkEvalAssignment(expr("a + 1"))).toBeUndefined();
  });

  it("turns a boolean that reaches a field into null", () => {
    expect(evalToValue(true)).toBeNull();
    expect(evalToValue("x")).toBe("x");
    expect(evalToValue(["a", "b"])).toEqual(["a", "b"]);
  });

  it("keeps a where row only for true", () => {
    expect([true, false, null, "true", 1].map(isTrue)).toEqual([true, false, false, false, false]);
  });

  it("treats a missing field as null and resolves fields once per table", () => {
    const table = Table.fromRows([{ a: 1 }, { a: 2 }, {}]);
    const f = compileEval(expr("a * 10"), table, ctx);
    expect([0, 1, 2].map(f)).toEqual([10, 20, null]);
    expect(compileEval(expr("nosuchfield"), table, ctx)(0)).toBeNull();
  });
});

describe("the seed detection's private-address case()", () => {
  // detect_outbound_smb_traffic (reference/security_content.md): dest_ip is values(All_Traffic.dest_ip).
  const seed =
    'case(cidrmatch("10.0.0.0/8" ,dest_ip) ,"1", cidrmatch("172.16.0.0/12" ,dest_ip) ,"1", cidrmatch("192.168.0.0/16" ,dest_ip) ,"1", cidrmatch("100.64.0.0/10" ,dest_ip) ,"1", 1=1,"0")';

  it("marks private and CGNAT destinations 1 and public ones 0", () => {
    const rows: Array<Record<string, Value>> = [
      { dest_ip: "10.0.0.5" },
      { dest_ip: "172.20.1.1" },
      { dest_ip: "192.168.1.1" },
      { dest_ip: "100.64.3.4" },
      { dest_ip: "8.8.8.8" },
      { dest_ip: "172.32.0.1" },
      {},
    ];
    expect(evalRows(seed, rows)).toEqual(["1", "1", "1", "1", "0", "0", "0"]);
  });

  it("marks a multivalue of destinations 1 when any is private", () => {
    expect(evalRows(seed, [{ dest_ip: ["8.8.8.8", "10.1.1.1"] }, { dest_ip: ["8.8.8.8", "1.1.1.1"] }])).toEqual(["1", "0"]);
  });
});
