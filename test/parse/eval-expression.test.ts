/**
 * Eval expressions (eval, where). Precedence from the Search Manual 9.3 "Boolean expressions":
 * eval and where evaluate NOT, then AND, then OR, then XOR; arithmetic binds tighter than comparison.
 */
import { describe, expect, it } from "vitest";
import type { EvalExpr } from "../../src/parse/ast.js";
import { parseSearch } from "../../src/parse/pipeline.js";
import type { EvalArgs } from "../../src/commands/eval.js";
import type { WhereArgs } from "../../src/commands/where.js";

function show(e: EvalExpr): string {
  switch (e.kind) {
    case "number":
      return e.text;
    case "string":
      return JSON.stringify(e.value);
    case "field":
      return `{${e.name}}`;
    case "call":
      return `${e.name}(${e.args.map(show).join(", ")})`;
    case "binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "unary":
      return `(${e.op} ${show(e.operand)})`;
    case "in":
      return `(${show(e.value)} IN ${e.list.map(show).join("|")})`;
  }
}

const where = (text: string) => show((parseSearch(`| where ${text}`).stages[0]!.args as WhereArgs).predicate);
const evals = (text: string) => (parseSearch(`| eval ${text}`).stages[0]!.args as EvalArgs).assignments.map((a) => `${a.field} := ${show(a.expr)}`);

describe("eval expressions", () => {
  it("binds AND tighter than OR, the opposite of search", () => {
    expect(where("a=1 OR b=2 AND c=3")).toBe("(({a} = 1) OR (({b} = 2) AND ({c} = 3)))");
  });

  it("accepts and/or/not in any case, as ESCU writes them", () => {
    expect(where("count > 5 and unique_app_ids > 2 or not x")).toBe("((({count} > 5) AND ({unique_app_ids} > 2)) OR (NOT {x}))");
  });

  it("binds XOR loosest", () => {
    expect(where("a XOR b OR c")).toBe("({a} XOR ({b} OR {c}))");
  });

  it("does arithmetic before comparison, * before + and left to right", () => {
    expect(where("a + b * 2 > 10 - 4 - 1")).toBe("(({a} + ({b} * 2)) > ((10 - 4) - 1))");
    expect(where("-x < 3 % 2")).toBe("((- {x}) < (3 % 2))");
  });

  it("reads . as concatenation and dotted names as fields", () => {
    expect(evals('full=first." ".last, m=match(userIdentity.userName, requestParameters.userName)')).toEqual([
      'full := (({first} . " ") . {last})',
      "m := match({userIdentity.userName}, {requestParameters.userName})",
    ]);
  });

  it("reads single-quoted field names and double-quoted strings", () => {
    expect(where("'IsOutlier(count)'>0 AND 'id.resp_p'=\"445\"")).toBe('(({IsOutlier(count)} > 0) AND ({id.resp_p} = "445"))');
  });

  it("reads LIKE, IN and the like() function", () => {
    expect(where('src LIKE "10.9.165.%" OR like(dst, "a_") OR p IN ("a", "b")')).toBe(
      '((({src} LIKE "10.9.165.%") OR like({dst}, "a_")) OR ({p} IN "a"|"b"))',
    );
  });

  it("reads nested function calls, case() with 1=1 and no-argument calls", () => {
    expect(evals('match=case(cidrmatch("10.0.0.0/8", dest_ip), "1", 1=1, "0"), t=now()')).toEqual([
      'match := case(cidrmatch("10.0.0.0/8", {dest_ip}), "1", (1 = 1), "0")',
      "t := now()",
    ]);
  });

  it("resolves backslash escapes in strings", () => {
    expect(evals('p="C:\\\\Windows\\\\", q="say \\"hi\\""')).toEqual(['p := "C:\\\\Windows\\\\"', 'q := "say \\"hi\\""']);
  });

  it("assigns to names Splunk accepts before the first =, such as -time and inbound:outbound", () => {
    expect(evals("-time = _time, inbound:outbound = a/b")).toEqual(["-time := {_time}", "inbound:outbound := ({a} / {b})"]);
  });
});
