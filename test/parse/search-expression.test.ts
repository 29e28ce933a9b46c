/**
 * Search-language expressions (search, tstats WHERE). Expected trees follow the Search Manual 9.3
 * "Boolean expressions": implicit AND between terms, and "The search command evaluates OR before AND".
 */
import { describe, expect, it } from "vitest";
import type { SearchExpr } from "../../src/parse/ast.js";
import { parseSearch } from "../../src/parse/pipeline.js";
import type { SearchArgs } from "../../src/commands/search.js";

/** The search expression as a compact string: (a AND b), (a OR b), NOT a, f=v, f IN [..], "term". */
function show(e: SearchExpr): string {
  switch (e.kind) {
    case "and":
      return `(${e.items.map(show).join(" AND ")})`;
    case "or":
      return `(${e.items.map(show).join(" OR ")})`;
    case "not":
      return `NOT ${show(e.expr)}`;
    case "compare":
      return `${e.field}${e.op}${e.value.text}`;
    case "in":
      return `${e.field} IN [${e.values.map((v) => v.text).join("|")}]`;
    case "term":
      return `"${e.value.text}"`;
    case "subsearch":
      return `[${e.pipeline.stages.map((s) => s.name).join("|")}]`;
  }
}

const expr = (search: string) => show((parseSearch(search).stages[0]!.args as SearchArgs).expr);

describe("search expressions", () => {
  it("ANDs adjacent terms and binds OR tighter than AND", () => {
    expect(expr("a=1 b=2 OR b=3")).toBe("(a=1 AND (b=2 OR b=3))");
    expect(expr("a=1 OR b=2 c=3")).toBe("((a=1 OR b=2) AND c=3)");
  });

  it("reads the seed's where clause as action AND direction AND (port 139 OR port 445 OR app smb)", () => {
    expect(expr('(All_Traffic.action=allowed All_Traffic.direction=outbound All_Traffic.dest_port=139 OR All_Traffic.dest_port=445 OR All_Traffic.app="smb")')).toBe(
      "(All_Traffic.action=allowed AND All_Traffic.direction=outbound AND (All_Traffic.dest_port=139 OR All_Traffic.dest_port=445 OR All_Traffic.app=smb))",
    );
  });

  it("applies NOT to the term right after it only", () => {
    expect(expr("NOT a=1 b=2")).toBe("(NOT a=1 AND b=2)");
    expect(expr("NOT (a=1 OR b=2)")).toBe("NOT (a=1 OR b=2)");
    expect(expr('NOT dest_ip IN ("10.0.0.0/8","192.168.0.0/16")')).toBe("NOT dest_ip IN [10.0.0.0/8|192.168.0.0/16]");
  });

  it("treats lowercase and/or/not as plain search terms, as Splunk does", () => {
    expect(expr("a and b")).toBe('("a" AND "and" AND "b")');
  });

  it("reads every comparison operator", () => {
    expect(expr("a!=1 b<2 c<=3 d>4 e>=5 f==6")).toBe("(a!=1 AND b<2 AND c<=3 AND d>4 AND e>=5 AND f=6)");
    expect(expr("isOutlier > 0")).toBe("isOutlier>0");
  });

  it("keeps wildcards, CIDR values, paths and quoted phrases as values", () => {
    expect(expr('process=*\\\\cmd.exe* dest=10.0.0.0/8 "hello world" host=web*')).toBe(
      '(process=*\\\\cmd.exe* AND dest=10.0.0.0/8 AND "hello world" AND host=web*)',
    );
  });

  it("marks TERM() and CASE() values", () => {
    const e = (parseSearch("TERM(10.0.0.1) user=CASE(Admin)").stages[0]!.args as SearchArgs).expr;
    expect(e.kind).toBe("and");
    if (e.kind !== "and") return;
    expect(e.items[0]).toMatchObject({ kind: "term", value: { text: "10.0.0.1", term: true, caseSensitive: false } });
    expect(e.items[1]).toMatchObject({ kind: "compare", field: "user", value: { text: "Admin", term: false, caseSensitive: true } });
  });

  it("accepts IN lists separated by spaces or with stray commas, as ESCU's production content writes them", () => {
    expect(expr('p IN ("a.exe" "b.exe", "c.exe")')).toBe("p IN [a.exe|b.exe|c.exe]");
    expect(expr('p IN (,"a",)')).toBe("p IN [a]");
  });

  it("glues adjacent quoted and unquoted pieces into one value", () => {
    expect(expr('q IN ("*pastebin*",""*textbin*"")')).toBe("q IN [*pastebin*|*textbin*]");
  });

  it("parses a subsearch as its own pipeline", () => {
    expect(expr("a [ search b | stats count by c ]")).toBe('("a" AND [search|stats])');
  });

  it("records where each comparison was written", () => {
    const e = (parseSearch("x=1  port=445").stages[0]!.args as SearchArgs).expr;
    expect(e.kind === "and" && e.items[1]!.span).toEqual({ start: 5, end: 13 });
  });
});
