import { describe, expect, it } from "vitest";
import { Table } from "../../src/table/table.js";
import { runStage } from "../exec/context.js";

describe("rename", () => {
  it("strips a data model prefix with a wildcard, leaving other fields alone", async () => {
    const input = Table.fromRows([{ "All_Traffic.src_ip": "10.0.0.1", count: 3, "All_Traffic.dest_port": 445 }]);
    const out = await runStage('rename "All_Traffic".* AS *', input);
    expect(out.fields()).toEqual(["src_ip", "count", "dest_port"]);
    expect(out.rows()).toEqual([{ src_ip: "10.0.0.1", count: 3, dest_port: 445 }]);
  });

  it("renames a quoted name with parentheses", async () => {
    const out = await runStage('rename "IsOutlier(count)" as isOutlier', Table.fromRows([{ "IsOutlier(count)": 1, count: 9 }]));
    expect(out.rows()).toEqual([{ isOutlier: 1, count: 9 }]);
  });

  it("carries the wildcard part into the middle of the new name", async () => {
    const out = await runStage("rename *_count AS count_of_*", Table.fromRows([{ src_count: 1, dest_count: 2, other: 3 }]));
    expect(out.fields()).toEqual(["count_of_src", "count_of_dest", "other"]);
  });

  it("applies several pairs in order", async () => {
    const out = await runStage("rename a AS b, b AS c", Table.fromRows([{ a: 1 }]));
    expect(out.rows()).toEqual([{ c: 1 }]);
  });

  it("overwrites an existing field, the renamed one keeping its own place", async () => {
    const input = Table.fromRows([{ x: "old", y: 1, z: "new" }, { x: "old2", y: 2 }]);
    const out = await runStage("rename z AS x", input);
    expect(out.fields()).toEqual(["y", "x"]);
    expect(out.rows()).toEqual([{ y: 1, x: "new" }, { y: 2 }]);
  });

  it("leaves the table unchanged when the field to rename does not exist", async () => {
    const input = Table.fromRows([{ x: 1 }]);
    const out = await runStage("rename nosuch AS x", input);
    expect(out.rows()).toEqual([{ x: 1 }]);
  });
});
