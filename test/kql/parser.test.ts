/**
 * KQL syntax, after Kibana's kuery grammar and detection-rules' lib/kql/kql/kql.g (peers.md §2c):
 * precedence, case-insensitive keywords, value lists, quoting and escapes, wildcards, ranges,
 * nested groups, and located errors rendered as the search language's are.
 */
import { describe, expect, it } from "vitest";
import { SplError } from "../../src/diag/diagnostic.js";
import { locationOf, renderDiagnostics } from "../../src/diag/render.js";
import type { KqlNode, KqlValue } from "../../src/kql/ast.js";
import { parseKql } from "../../src/kql/parser.js";

/** A compact rendering of the tree: (and a:1 (or b:2 c:3)), field:(or 1 2), not ..., text ... */
function show(n: KqlNode): string {
  switch (n.kind) {
    case "and":
    case "or":
      return `(${n.kind} ${n.items.map(show).join(" ")})`;
    case "not":
      return `(not ${show(n.expr)})`;
    case "match":
      return `${lit(n.field)}:${showValue(n.value)}`;
    case "range":
      return `${lit(n.field)}${n.op}${lit(n.value)}`;
    case "nested":
      return `${lit(n.field)}:{${show(n.query)}}`;
    case "text":
      return `text(${lit(n.literal)})`;
    case "all":
      return "all";
  }
}

function showValue(v: KqlValue): string {
  switch (v.kind) {
    case "and":
    case "or":
      return `(${v.kind} ${v.items.map(showValue).join(" ")})`;
    case "not":
      return `(not ${showValue(v.expr)})`;
    case "literal":
      return lit(v.literal);
  }
}

function lit(l: { text: string; quoted: boolean; pattern?: readonly string[] }): string {
  return l.quoted ? JSON.stringify(l.text) : l.pattern ? `~${l.pattern.join("*")}` : l.text;
}

const parse = (q: string) => show(parseKql(q).ast);

function errorOf(q: string): { message: string; line: number; column: number; rendered: string } {
  try {
    parseKql(q);
  } catch (e) {
    if (!(e instanceof SplError)) throw e;
    const d = e.diagnostics[0]!;
    const { line, column } = locationOf(e, d);
    return { message: d.message, line, column, rendered: renderDiagnostics(e) };
  }
  throw new Error(`expected an error for ${q}`);
}

describe("KQL syntax", () => {
  it("field:value, and field:(a or b) as a list of values", () => {
    expect(parse("process.pid:4")).toBe("process.pid:4");
    expect(parse("destination.port:(139 or 445)")).toBe("destination.port:(or 139 445)");
    expect(parse("tags:(a and not b)")).toBe("tags:(and a (not b))");
  });

  it("and binds tighter than or, in queries and in value lists", () => {
    expect(parse("a:1 or b:2 and c:3")).toBe("(or a:1 (and b:2 c:3))");
    expect(parse("a:1 and b:2 or c:3")).toBe("(or (and a:1 b:2) c:3)");
    expect(parse("x:(1 or 2 and 3)")).toBe("x:(or 1 (and 2 3))");
  });

  it("not applies to the next condition, and parentheses group", () => {
    expect(parse("not a:1 and b:2")).toBe("(and (not a:1) b:2)");
    expect(parse("not (a:1 and b:2)")).toBe("(not (and a:1 b:2))");
    expect(parse("(a:1 or b:2) and c:3")).toBe("(and (or a:1 b:2) c:3)");
  });

  it("keywords are case-insensitive, and only keywords when they stand alone", () => {
    expect(parse("a:1 OR b:2 AnD NOT c:3")).toBe("(or a:1 (and b:2 (not c:3)))");
    expect(parse("process.name:notepad.exe or x:order")).toBe("(or process.name:notepad.exe x:order)");
    expect(parse("a:\\or")).toBe("a:or");
  });

  it("quoted phrases keep spaces, specials and stars; their escapes are \\\" and \\\\", () => {
    expect(parse('message:"a (b) or c:d*"')).toBe('message:"a (b) or c:d*"');
    expect(parse('path:"C:\\Windows\\"x\\\\"')).toBe('path:"C:\\\\Windows\\"x\\\\"');
    expect(parse('destination.ip:"::1"')).toBe('destination.ip:"::1"');
  });

  it("unquoted values: escapes of special characters, and words kept together with their spaces", () => {
    expect(parse("file.path:C\\:\\\\Windows\\\\*.exe")).toBe("file.path:~C:\\Windows\\*.exe");
    expect(parse("a:\\*literal")).toBe("a:*literal");
    expect(parse("message:hello   world")).toBe("message:hello   world");
    expect(parse("hello world")).toBe("text(hello world)");
  });

  it("wildcards and existence", () => {
    expect(parse("process.name:power*")).toBe("process.name:~power*");
    expect(parse("user.name:*")).toBe("user.name:~*");
    expect(parse("process.*:x")).toBe("~process.*:x");
  });

  it("ranges", () => {
    expect(parse("bytes >= 1000")).toBe("bytes>=1000");
    expect(parse("bytes<10 and @timestamp > now-1d")).toBe("(and bytes<10 @timestamp>now-1d)");
    expect(parse('version <= "1.2"')).toBe('version<="1.2"');
  });

  it("nested field groups: parent:{ child:value ... }", () => {
    expect(parse("user:{ name:alice and domain:corp }")).toBe("user:{(and name:alice domain:corp)}");
    expect(parse("a:{ b:{ c:1 } }")).toBe("a:{b:{c:1}}");
  });

  it("the empty query matches everything", () => {
    expect(parse("")).toBe("all");
    expect(parse("   ")).toBe("all");
  });

  it("reads the Elastic rule's query, IPv6 ranges quoted", () => {
    const q = 'source.ip:(10.0.0.0/8 or 172.16.0.0/12) and not destination.ip:(127.0.0.0/8 or "::1" or "FE80::/10")';
    expect(parse(q)).toBe('(and source.ip:(or 10.0.0.0/8 172.16.0.0/12) (not destination.ip:(or 127.0.0.0/8 "::1" "FE80::/10")))');
  });
});

describe("KQL errors are located", () => {
  it("a missing closing parenthesis", () => {
    const e = errorOf("a:(b or c");
    expect(e.message).toBe("expected ')' but found the end of the query");
    expect([e.line, e.column]).toEqual([1, 10]);
  });

  it("two conditions without and/or", () => {
    const e = errorOf("event.category:network host.os.type:windows");
    expect(e.message).toBe("expected 'and', 'or' or the end of the query but found ':'");
    expect(e.column).toBe(36);
  });

  it("a value missing after the colon", () => {
    expect(errorOf("a:)").message).toBe("expected a value, '(' or '{' but found ')'");
    expect(errorOf("a: and b:1").message).toBe("expected a value, '(' or '{' but found 'and'");
  });

  it("a dangling operator, on the right line and column", () => {
    const e = errorOf("a:1 and\n  b:2 or");
    expect(e.message).toBe("expected a query (field:value, a value or '(') but found the end of the query");
    expect([e.line, e.column]).toEqual([2, 9]);
  });

  it("an unclosed quote and an unknown escape", () => {
    const q = errorOf('a:"abc');
    expect(q.message).toBe("unbalanced double quote: this string is never closed");
    expect(q.column).toBe(3);
    const esc = errorOf("a:b\\q");
    expect(esc.message).toMatch(/^'\\q' is not an escape in KQL/);
    expect(esc.column).toBe(4);
  });

  it("nesting is bounded", () => {
    expect(parse(`${"(".repeat(200)}a:1${")".repeat(200)}`)).toBe("a:1");
    expect(errorOf(`${"(".repeat(300)}a:1${")".repeat(300)}`).message).toBe("the query nests deeper than 256 levels");
    expect(errorOf(`${"not ".repeat(300)}a:1`).message).toBe("the query nests deeper than 256 levels");
  });

  it("renders like the search language's errors, with the line and a caret", () => {
    const e = errorOf("process.pid:4 and\n  destination.port:(139 or 445");
    expect(e.rendered).toBe(
      ["<query>:2:31: error: expected ')' but found the end of the query", "  destination.port:(139 or 445", "                              ^"].join("\n"),
    );
  });
});
