import { describe, expect, it } from "vitest";
import { Table } from "../../src/table/table.js";
import { runStage } from "../exec/context.js";

describe("table", () => {
  const input = Table.fromRows([
    { _time: 1, src: "a", dest_port: 445, dest_ip: "b", user: "u" },
    { _time: 2, src: "c", dest_port: 139 },
  ]);

  it("orders columns as listed, a wildcard standing for its fields in table order", async () => {
    const out = await runStage("table dest* src", input);
    expect(out.fields()).toEqual(["dest_port", "dest_ip", "src"]);
    expect(out.rows()).toEqual([
      { dest_port: 445, dest_ip: "b", src: "a" },
      { dest_port: 139, src: "c" },
    ]);
  });

  it("shows a listed field that no result has as an empty column, and drops _time unless listed", async () => {
    const out = await runStage("table src, missing count", input);
    expect(out.fields()).toEqual(["src", "missing", "count"]);
    expect(out.length).toBe(2);
    expect(out.get(0, "missing")).toBeNull();
  });

  it("keeps a field named twice in its first place", async () => {
    expect((await runStage("table src dest_port src", input)).fields()).toEqual(["src", "dest_port"]);
  });
});
