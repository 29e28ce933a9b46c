import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/exec/context.js";
import { CsvLookupTable, LOOKUP_DEFAULTS, parseCsv } from "../../src/knowledge/lookup.js";
import { Table } from "../../src/table/table.js";
import { emptyData, runStage, testContext } from "../exec/context.js";

const { header, rows } = parseCsv("user,dept,logins\nalice,eng,5\nbob,sales,1\ncarol,eng,12\ndave,,3\n");
const users = new CsvLookupTable({ name: "users.csv", filename: "users.csv", matchTypes: new Map(), ...LOOKUP_DEFAULTS }, header, rows);
const ctx = testContext({ data: { ...emptyData, lookup: (name) => (name === "users.csv" ? users : undefined) } });
const names = (t: Table): unknown[] => t.rows().map((r) => r.user);

describe("inputlookup", () => {
  it("generates the lookup's rows in file order, an empty cell being no value", async () => {
    const out = await runStage("inputlookup users.csv", Table.empty(), ctx);
    expect(names(out)).toEqual(["alice", "bob", "carol", "dave"]);
    expect(out.rows()[3]).toEqual({ user: "dave", logins: "3" });
  });

  it("filters with WHERE in search syntax: case-insensitive values, numeric comparisons", async () => {
    expect(names(await runStage("inputlookup users.csv where dept=ENG logins>4", Table.empty(), ctx))).toEqual(["alice", "carol"]);
    expect(names(await runStage("inputlookup users.csv where dept=eng OR logins<2", Table.empty(), ctx))).toEqual(["alice", "bob", "carol"]);
  });

  it("reads from the 0-based start= row, at most max= rows", async () => {
    expect(names(await runStage("inputlookup start=1 max=2 users.csv", Table.empty(), ctx))).toEqual(["bob", "carol"]);
  });

  it("appends to the results with append=t", async () => {
    const out = await runStage("inputlookup users.csv append=t", Table.fromRows([{ user: "zed" }]), ctx);
    expect(names(out)).toEqual(["zed", "alice", "bob", "carol", "dave"]);
  });

  it("refuses an unknown lookup", async () => {
    await expect(runStage("inputlookup nosuch.csv", Table.empty(), ctx)).rejects.toBeInstanceOf(RuntimeError);
  });
});
