import { describe, expect, it } from "vitest";
import { fieldPattern, matchFieldPattern } from "../../src/commands/fields.js";
import { Table } from "../../src/table/table.js";
import { runStage } from "../exec/context.js";

const input = Table.fromRows([{ _time: 1, _raw: "r", _cd: "0:1", src: "a", dest_ip: "b", dest_port: 445, user: "u" }]);

describe("fields", () => {
  it("keeps the listed fields in the order given, wildcards included, plus _time and _raw", async () => {
    const out = await runStage("fields + user, dest*", input);
    expect(out.fields()).toEqual(["_time", "_raw", "user", "dest_ip", "dest_port"]);
  });

  it("keeps only the listed fields without a sign", async () => {
    expect((await runStage("fields src", input)).fields()).toEqual(["_time", "_raw", "src"]);
  });

  it("removes the listed fields with -, internal fields only when named", async () => {
    expect((await runStage("fields - user, dest*", input)).fields()).toEqual(["_time", "_raw", "_cd", "src"]);
    expect((await runStage("fields - _*", input)).fields()).toEqual(["src", "dest_ip", "dest_port", "user"]);
  });

  it("ignores fields that no result has", async () => {
    expect((await runStage("fields src nosuch", input)).fields()).toEqual(["_time", "_raw", "src"]);
  });
});

describe("wildcard field patterns", () => {
  it("captures the parts each * matches, leftmost first", () => {
    expect(matchFieldPattern(fieldPattern("All_Traffic.*"), "All_Traffic.src")).toEqual(["src"]);
    expect(matchFieldPattern(fieldPattern("*_*"), "a_b_c")).toEqual(["a", "b_c"]);
    expect(matchFieldPattern(fieldPattern("value*"), "value")).toEqual([""]);
    expect(matchFieldPattern(fieldPattern("a*b*c"), "abbc")).toEqual(["", "b"]);
    expect(matchFieldPattern(fieldPattern("Src*"), "src_ip")).toBeNull();
    expect(matchFieldPattern(fieldPattern("ab*ba"), "aba")).toBeNull();
  });
});
