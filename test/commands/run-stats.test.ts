import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/exec/context.js";
import { Table } from "../../src/table/table.js";
import { runStage } from "../exec/context.js";

const connections = Table.fromRows([
  { host: "a", dest_port: 80, bytes: 100 },
  { host: "a", dest_port: 443, bytes: 300 },
  { host: "b", dest_port: 22, bytes: 50 },
  { host: "a", dest_port: 8080, bytes: 200 },
  { host: "a", dest_port: 80, bytes: 400 },
]);

describe("stats", () => {
  it("counts, distinct-counts, lists values and averages per host, hosts in order", async () => {
    const out = await runStage("stats count dc(dest_port) values(dest_port) avg(bytes) by host", connections);
    expect(out.fields()).toEqual(["host", "count", "dc(dest_port)", "values(dest_port)", "avg(bytes)"]);
    expect(out.rows()).toEqual([
      // values() is distinct and lexicographic: "443" < "80" < "8080".
      { host: "a", count: 4, "dc(dest_port)": 3, "values(dest_port)": ["443", "80", "8080"], "avg(bytes)": 250 },
      { host: "b", count: 1, "dc(dest_port)": 1, "values(dest_port)": "22", "avg(bytes)": 50 },
    ]);
  });

  it("names columns with AS and takes the nearest-rank percentile", async () => {
    const input = Table.fromRows(Array.from({ length: 20 }, (_, i) => ({ ms: 20 - i })));
    // 20 values 1..20: perc95 is the ceil(0.95*20) = 19th smallest, perc50 the 10th.
    expect((await runStage("stats perc95(ms) AS p95 perc50(ms) AS p50 max(ms) min(ms)", input)).rows()).toEqual([
      { p95: 19, p50: 10, "max(ms)": 20, "min(ms)": 1 },
    ]);
  });

  it("counts only the rows where count(eval(...)) is true", async () => {
    const out = await runStage("stats count(eval(bytes>150)) AS big count by host", connections);
    expect(out.rows()).toEqual([
      { host: "a", big: 3, count: 4 },
      { host: "b", big: 0, count: 1 },
    ]);
  });

  it("puts a row with a multivalue by-field in each of its groups and leaves out rows without it", async () => {
    const input = Table.fromRows([{ user: ["alice", "bob"], n: 1 }, { user: "alice", n: 2 }, { n: 5 }]);
    expect((await runStage("stats sum(n) AS total count by user", input)).rows()).toEqual([
      { user: "alice", total: 3, count: 2 },
      { user: "bob", total: 1, count: 1 },
    ]);
  });

  it("gives one row with count 0 over no input, and no rows when grouping", async () => {
    expect((await runStage("stats count dc(x) values(x)", Table.empty())).rows()).toEqual([{ count: 0, "dc(x)": 0 }]);
    expect((await runStage("stats count by host", Table.empty())).length).toBe(0);
  });

  it("expands values(*) AS * over the fields, leaving out the by-fields and _ fields", async () => {
    const input = Table.fromRows([
      { _time: 1, host: "h", a: "1", b: "x" },
      { _time: 2, host: "h", a: "2" },
    ]);
    expect((await runStage("stats values(*) AS * by host", input)).rows()).toEqual([{ host: "h", a: ["1", "2"], b: "x" }]);
  });

  it("refuses a function it cannot compute, at the function", async () => {
    const search = "stats estdc(user)";
    const error = await runStage(search, connections).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).message).toBe("stats: function estdc is not supported yet");
    const { start, end } = (error as RuntimeError).span;
    expect(`| ${search}`.slice(start, end)).toBe("estdc(user)");
  });
});
