import { describe, expect, it } from "vitest";
import { makeresults, type MakeresultsArgs } from "../../src/commands/makeresults.js";
import { ArgError, ArgReader } from "../../src/parse/args.js";
import type { Stage } from "../../src/parse/ast.js";
import * as T from "../../src/parse/lexer.js";
import { Table } from "../../src/table/table.js";
import { testContext } from "../exec/context.js";

/** Parse `makeresults <args>` with the command's own parser (it works before it is registered). */
function parse(text: string): MakeresultsArgs {
  const { tokens } = T.lexSearch(text);
  const [name, ...args] = tokens;
  return makeresults.parse(new ArgReader(text, args, { start: name!.startOffset, end: T.tokenEnd(name!) }, "makeresults"));
}

async function run(text: string): Promise<Table> {
  const args = parse(text);
  const stage: Stage<MakeresultsArgs> = { name: "makeresults", args, span: { start: 0, end: text.length }, nameSpan: { start: 0, end: 11 }, generic: false };
  return makeresults.run!(args, Table.empty(), testContext(), stage);
}

const now = Date.UTC(2024, 2, 1, 12) / 1000;

describe("makeresults", () => {
  it("generates count results with _time set to the search's now", async () => {
    const out = await run("makeresults count=3");
    expect(out.fields()).toEqual(["_time"]);
    expect(out.rows()).toEqual([{ _time: now }, { _time: now }, { _time: now }]);
  });

  it("generates one result by default", async () => {
    expect((await run("makeresults")).rows()).toEqual([{ _time: now }]);
  });

  it("adds the documented fields with annotate=true", async () => {
    const out = await run("makeresults annotate=true");
    expect(out.fields()).toEqual(["_time", "_raw", "host", "source", "sourcetype", "splunk_server", "splunk_server_group"]);
    expect(out.rows()).toEqual([{ _time: now, splunk_server: "spelunk" }]);
  });

  it("is a generating command", () => {
    expect(makeresults.generating?.(parse("makeresults"))).toBe(true);
  });

  it("refuses inline data and unknown options", () => {
    expect(() => parse('makeresults format=csv data="a\n1"')).toThrow(ArgError);
    expect(() => parse("makeresults counts=3")).toThrow(/unknown option 'counts='/);
    expect(() => parse("makeresults count=-1")).toThrow(ArgError);
  });
});
