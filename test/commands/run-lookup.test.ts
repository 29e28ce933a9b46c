import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/exec/context.js";
import { CsvLookupTable, LOOKUP_DEFAULTS, parseCsv, type LookupDefinition, type LookupTable } from "../../src/knowledge/lookup.js";
import { Table } from "../../src/table/table.js";
import { emptyData, runStage, testContext } from "../exec/context.js";

function csvTable(name: string, csv: string, over: Partial<LookupDefinition> = {}): CsvLookupTable {
  const { header, rows } = parseCsv(csv);
  return new CsvLookupTable({ name, filename: `${name}.csv`, matchTypes: new Map(), ...LOOKUP_DEFAULTS, ...over }, header, rows);
}

const tables = new Map<string, LookupTable>([
  ["ports", csvTable("ports", "port,service,risk\n80,http,low\n443,https,low\n445,smb,high\n")],
  ["zones", csvTable("zones", "range,zone\n10.0.0.0/8,corp\n10.1.0.0/16,lab\n", { matchTypes: new Map([["range", "CIDR"]]) })],
]);
const ctx = testContext({ data: { ...emptyData, lookup: (name) => tables.get(name) } });

const events = Table.fromRows([{ dest_port: 445, service: "old" }, { dest_port: 80 }, { dest_port: 9999, service: "kept?" }, {}]);

describe("lookup", () => {
  it("OUTPUT overwrites the field, and a result without a match gets no value", async () => {
    const out = await runStage("lookup ports port AS dest_port OUTPUT service", events, ctx);
    expect(out.rows().map((r) => r.service ?? null)).toEqual(["smb", "http", null, null]);
  });

  it("OUTPUTNEW writes only fields the result does not have", async () => {
    const out = await runStage("lookup ports port AS dest_port OUTPUTNEW service", events, ctx);
    expect(out.rows().map((r) => r.service ?? null)).toEqual(["old", "http", "kept?", null]);
  });

  it("without OUTPUT adds every lookup field but the match field; OUTPUT ... AS renames", async () => {
    const all = await runStage("lookup ports port AS dest_port", events, ctx);
    expect(all.rows()[1]).toEqual({ dest_port: 80, service: "http", risk: "low" });
    expect(all.has("port")).toBe(false);
    const renamed = await runStage("lookup ports port AS dest_port OUTPUT risk AS port_risk", events, ctx);
    expect(renamed.rows()[0]).toEqual({ dest_port: 445, service: "old", port_risk: "high" });
  });

  it("matches CIDR ranges (match_type = CIDR(range)), most specific range first", async () => {
    const input = Table.fromRows([{ src: "10.1.2.3" }, { src: "10.9.9.9" }, { src: "192.168.1.1" }]);
    const out = await runStage("lookup zones range AS src OUTPUT zone", input, ctx);
    expect(out.rows().map((r) => r.zone ?? null)).toEqual([["lab", "corp"], "corp", null]);
  });

  it("refuses an unknown lookup table or field, pointing at it", async () => {
    for (const [search, target, message] of [
      ["lookup nosuch port", "nosuch", "lookup: no lookup table 'nosuch'"],
      ["lookup ports port AS dest_port OUTPUT owner", "owner", "lookup: ports has no field 'owner' (its fields: port, service, risk)"],
    ] as const) {
      const error = await runStage(search, events, ctx).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as RuntimeError).message).toContain(message);
      const { start, end } = (error as RuntimeError).span;
      expect(`| ${search}`.slice(start, end)).toBe(target);
    }
  });
});
