import { describe, it, expect } from "vitest";
import type { HeadArgs } from "../../src/commands/head.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

describe("head", () => {
  it("returns 10 results when no count is given", () => {
    expect(argsOf("| head")).toEqual({ limit: 10, null: false, keeplast: false });
  });

  it("reads a count or limit=", () => {
    expect(argsOf("| head 5")).toEqual({ limit: 5, null: false, keeplast: false });
    expect(argsOf("| head limit=20 keeplast=t null=yes")).toEqual({ limit: 20, null: true, keeplast: true });
  });

  it("reads an eval expression in parentheses", () => {
    const search = '| head (action="startup") keeplast=true';
    const args = stageArgs<HeadArgs>(search);
    expect(args.predicate?.kind).toBe("binary");
    expect(textAt(search, args.predicate!.span)).toBe('action="startup"');
    expect(args.keeplast).toBe(true);
    expect(args.limit).toBe(10);
  });

  it("refuses a count that is not a number", () => {
    const search = "| head x";
    const d = parseError(search);
    expect(d.message).toBe("head: expected a whole number of results (as in head 10) or (<eval-expression>) but found 'x'");
    expect(pointedAt(search, d)).toBe("x");
  });

  it("refuses a limit= that is not a number, and a second count", () => {
    expect(parseError("| head limit=ten").message).toBe("head: limit= expects a whole number but found 'ten'");
    expect(parseError("| head 5 6").message).toBe("head: expected limit=, null= or keeplast= but found '6'");
  });

  it("needs an expression inside the parentheses", () => {
    expect(parseError("| head ()").message).toBe("head: expected an eval expression inside head ( ) but found the end of the input");
  });
});
