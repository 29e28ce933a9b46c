import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadAppsFrom, loadShippedApps } from "../../src/knowledge/apps.js";
import { parseDataModel } from "../../src/knowledge/datamodel.js";
import { Knowledge } from "../../src/knowledge/knowledge.js";
import { buildSummary } from "../../src/knowledge/summary.js";
import { Table } from "../../src/table/table.js";
import { CTX, scratch, writeApp } from "./helpers.js";

const { root, cleanup } = scratch();
afterAll(cleanup);

describe("app folders", () => {
  it("spelunk ships spelunk_base, spelunk_cim, spelunk_sysmon and spelunk_zeek", () => {
    const { apps, problems } = loadShippedApps();
    expect(problems).toEqual([]);
    expect(apps.map((a) => a.name)).toEqual(["spelunk_base", "spelunk_cim", "spelunk_sysmon", "spelunk_zeek"]);
    expect(apps.map((a) => a.label)).toEqual(["spelunk_base", "spelunk_cim", "spelunk_sysmon", "spelunk_zeek"].map((a) => join("apps", a)));
  });

  it("--apps DIR may be one app", () => {
    const dir = writeApp(root, "single", { "default/props.conf": "[mine]\nKV_MODE = json\n" });
    expect(loadAppsFrom(dir).apps.map((a) => a.name)).toEqual(["single"]);
    expect(Knowledge.load([dir]).formatFor("mine")).toEqual({ kind: "json" });
  });

  it("--apps DIR may be a folder of apps; a subfolder that is not an app is reported", () => {
    const dir = join(root, "many");
    writeApp(dir, "b_app", { "default/props.conf": "[b]\nKV_MODE = json\n" });
    writeApp(dir, "a_app", { "lookups/x.csv": "a\n1\n" });
    writeApp(dir, "notes", { "readme.txt": "hello" });
    const { apps, problems } = loadAppsFrom(dir, "many");
    expect(apps.map((a) => a.name)).toEqual(["a_app", "b_app"]);
    expect(problems).toEqual([{ file: join("many", "notes"), message: "not a Splunk app (no default/, local/ or lookups/ folder); skipped" }]);
  });

  it("a missing folder is an error naming it", () => {
    expect(() => loadAppsFrom(join(root, "nope"))).toThrow(`apps folder not found: ${join(root, "nope")}`);
  });

  it("bad .conf lines and bad JSON are reported with their files; the rest loads", () => {
    const dir = writeApp(root, "broken", {
      "default/props.conf": "[ok]\nKV_MODE = json\n[broken\nKV_MODE = json\n",
      "default/data/models/Bad.json": "{ not json",
    });
    const k = Knowledge.fromApps(loadAppsFrom(dir, "broken"));
    expect(k.formatFor("ok")).toEqual({ kind: "json" });
    expect(k.problems.map((p) => [p.file, p.line, p.message.replace(/:.*/, "")])).toEqual([
      [join("broken", "default", "props.conf"), 3, 'stanza header [broken has no closing "]"'],
      [join("broken", "default", "props.conf"), 4, "setting under the broken stanza header of line 3 is ignored"],
      [join("broken", "default", "data", "models", "Bad.json"), undefined, "not valid JSON"],
    ]);
  });
});

describe("data model JSON", () => {
  const base = (objects: unknown[]) => ({ modelName: "M", displayName: "M", objects });

  it("a constraint with a macro is reported unless macros can be expanded", () => {
    const json = base([{ objectName: "R", parentName: "BaseEvent", constraints: [{ search: "(`idx`) tag=x" }] }]);
    expect(parseDataModel(json, "m.json").problems.map((p) => p.message)).toEqual([
      "M.R: the constraint uses a macro ((`idx`) tag=x), which is not expanded here; skipped",
    ]);
    const expanded = parseDataModel(json, "m.json", (text) => text.replace("`idx`", "index=main"));
    expect(expanded.model?.datasets[0]?.constraint).toBe("(index=main) tag=x");
  });

  it("unsupported datasets and calculations are reported; the rest loads", () => {
    const json = base([
      { objectName: "S", parentName: "BaseSearch" },
      { objectName: "R", parentName: "BaseEvent", calculations: [{ calculationID: "geo", calculationType: "GeoIP", outputFields: [] }] },
      { objectName: "C", parentName: "Missing" },
    ]);
    const { model, problems } = parseDataModel(json, "m.json");
    expect(model?.datasets.map((d) => d.name)).toEqual(["R"]);
    expect(problems.map((p) => p.message)).toEqual([
      "M.S: BaseSearch datasets are not supported; skipped",
      "M.R: calculation geo of type GeoIP is not supported (only Eval); skipped",
      "M.C: parent dataset Missing is not in the model; skipped",
    ]);
  });

  it("a model with two roots: each root's fields are null outside its rows; a child's own fields are prefixed with its name", () => {
    const field = (n: string, type = "string") => ({ fieldName: n, type, multivalue: false, required: false, hidden: false });
    const json = base([
      { objectName: "Procs", parentName: "BaseEvent", fields: [field("process")], constraints: [{ search: "kind=proc" }] },
      {
        objectName: "Files",
        parentName: "BaseEvent",
        fields: [field("file"), field("size", "number")],
        calculations: [{ calculationID: "c", calculationType: "Eval", outputFields: [field("big")], expression: 'if(size>100,"yes","no")' }],
        constraints: [{ search: "kind=file" }],
      },
      {
        objectName: "Big_Files",
        parentName: "Files",
        calculations: [{ calculationID: "k", calculationType: "Eval", outputFields: [field("kb", "number")], expression: "size/1000" }],
        constraints: [{ search: "big=yes" }],
      },
    ]);
    const { model, problems } = parseDataModel(json, "m.json");
    expect(problems).toEqual([]);
    const events = Table.fromRows([
      { kind: "proc", process: "cmd.exe" },
      { kind: "file", file: "a.txt", size: "5000" },
      { kind: "other" },
      { kind: "file", file: "b.txt", size: "7" },
    ]);
    const s = buildSummary(model!, events, CTX);
    expect(s.table.rows().map((r) => [r["Procs.process"], r["Files.file"], r["Files.size"], r["Files.big"], r["Big_Files.kb"]])).toEqual([
      ["cmd.exe", undefined, undefined, undefined, undefined],
      [undefined, "a.txt", 5000, "yes", 5],
      [undefined, "b.txt", 7, "no", undefined],
    ]);
    expect(Object.fromEntries([...s.membership].map(([k, v]) => [k, [...v]]))).toEqual({ Procs: [0], Files: [1, 2], Big_Files: [1] });
  });
});
