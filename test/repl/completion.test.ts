import { describe, expect, it } from "vitest";
import { commonPrefix, complete, completionContext, dataModelsNamed } from "../../src/repl/completion.js";
import { fakeSources } from "./helpers.js";


const inserts = (text: string, cursor = text.length) => complete(text, cursor, fakeSources).candidates.map((c) => c.insert);

describe("what Tab completes, from the cursor", () => {
  it("command names after a pipe or at the start of a subsearch", () => {
    expect(inserts("| ts")).toEqual(["tstats "]);
    expect(inserts("| makeresults | e")).toEqual(["eval ", "eventstats "]);
    expect(inserts("search [| hea")).toEqual(["head "]);
    expect(completionContext("| makeresults | e", 17)).toEqual({ kind: "command", start: 16, prefix: "e" });
  });

  it("macro names after a backtick, with an opening parenthesis for macros taking arguments", () => {
    expect(complete("| `security_content_c", 21, fakeSources).candidates).toEqual([{ insert: "security_content_ctime(", display: "security_content_ctime(1)" }]);
    expect(inserts("| tstats `security_content_s")).toEqual(["security_content_summariesonly`"]);
    // An existing closing backtick is not doubled.
    expect(inserts("| tstats `security_content_s` count", 28)).toEqual(["security_content_summariesonly"]);
    expect(inserts("| `drop_dm_object_name(")).toEqual([]);
  });

  it("data model names after datamodel= and their datasets after a dot", () => {
    expect(inserts("| tstats count from datamodel=Net")).toEqual(["Network_Traffic"]);
    expect(inserts("| tstats count from datamodel = ")).toEqual(["Endpoint", "Network_Traffic"]);
    expect(inserts("| tstats count from datamodel=Network_Traffic.")).toEqual(["Network_Traffic.All_Traffic", "Network_Traffic.Blocked_Traffic"]);
  });

  it("the named data model's fields and the loaded fields", () => {
    expect(inserts("| tstats count from datamodel=Network_Traffic by All_Traffic.d")).toEqual(["All_Traffic.dest_ip", "All_Traffic.dest_port"]);
    expect(inserts("index=main s")).toEqual(["service", "src_ip"]);
    // A dotted name with no model named looks in every model.
    expect(inserts("| stats count by Processes.p")).toEqual(["Processes.process_name"]);
    expect(dataModelsNamed('| tstats count from datamodel="Endpoint.Processes" | append [| tstats count from datamodel:Network_Traffic]')).toEqual(["Endpoint", "Network_Traffic"]);
  });

  it("eval functions inside eval and where expressions, with fields", () => {
    expect(inserts("| eval x=i")).toEqual(["if(", "isnull(", "id.orig_h"]);
    expect(inserts("| where le")).toEqual(["len("]);
    expect(inserts("| eval x=if(isnull(s")).toEqual(["strftime(", "service", "src_ip"]);
    // The field being assigned is not an expression.
    expect(inserts("| eval s")).toEqual(["service", "src_ip"]);
  });

  it("aggregations inside stats and tstats", () => {
    expect(inserts("| stats v")).toEqual(["values("]);
    expect(inserts("| tstats c")).toEqual(["count"]);
  });

  it("nothing inside quotes", () => {
    expect(inserts('search x="se')).toEqual([]);
  });

  it("meta commands and their arguments", () => {
    expect(inserts(".e")).toEqual([".expand "]);
    expect(inserts(".fields Net")).toEqual(["Network_Traffic"]);
    expect(inserts(".expand | ts")).toEqual(["tstats "]);
    expect(complete(".expand | ts", 12, fakeSources).start).toBe(10);
  });

  it("shares the common prefix", () => {
    expect(commonPrefix([{ insert: "All_Traffic.dest_ip", display: "" }, { insert: "All_Traffic.dest_port", display: "" }])).toBe("All_Traffic.dest_");
    expect(commonPrefix([])).toBe("");
  });
});
