/** What `spelunk run`, `spelunk test` and `spelunk check` call for a .toml rule file (src/cli/elastic.ts). */
import { describe, expect, it } from "vitest";
import { checkElasticRuleFile, elasticDatasetSpecs, isElasticRuleFile, runElasticRule, testElasticRule } from "../../src/cli/elastic.js";
import { CliError } from "../../src/cli/errors.js";
import { OTRF_SYSMON, RULE_FILE, SYSMON_JSON } from "./helpers.js";

describe("Elastic rule files from the command line", () => {
  it("are recognised by their extension", () => {
    expect(isElasticRuleFile("rules/exfiltration_smb_rare_destination.toml")).toBe(true);
    expect(isElasticRuleFile("searches/detect_outbound_smb_traffic.spl")).toBe(false);
  });

  it("check: the shared rule is fine; a missing file is a plain error", () => {
    expect(checkElasticRuleFile(RULE_FILE).name).toBe("Rare SMB Connection to the Internet");
    expect(() => checkElasticRuleFile("no/such/rule.toml")).toThrow(new CliError("cannot read no/such/rule.toml: no such file"));
  });

  it("test: passes when the rule alerts on its data, fails (with why) when it does not", async () => {
    const pass = await testElasticRule({ rulePath: RULE_FILE, data: [{ path: SYSMON_JSON, sourcetype: "nxlog:sysmon:json", host: "h" }] });
    expect(pass.passed).toBe(true);
    expect(pass.message).toBe("1 alert in 116 runs");
    const fail = await testElasticRule({ rulePath: RULE_FILE, data: [{ path: OTRF_SYSMON, sourcetype: "nxlog:sysmon:json", host: "h" }] });
    expect(fail.passed).toBe(false);
    expect(fail.message).toMatch(/^no alert in \d+ runs \(150 document\(s\) in the rule's indices, 0 matching its query\)$/);
  });

  it("--data arguments: the index is left to the mapping unless given; a sourcetype is needed", () => {
    expect(elasticDatasetSpecs([{ path: "a.json", sourcetype: "nxlog:sysmon:json", host: "h" }])).toEqual([
      { path: "a.json", sourcetype: "nxlog:sysmon:json", source: "a.json", host: "h", index: undefined },
    ]);
    expect(() => elasticDatasetSpecs([{ path: "a.json" }])).toThrow("--data a.json: give its --sourcetype (e.g. --sourcetype nxlog:sysmon:json)");
    expect(() => elasticDatasetSpecs([])).toThrow(/^no data/);
  });

  it("a dataset no mapping covers is reported, not silently ignored", async () => {
    const warnings: string[] = [];
    const result = await runElasticRule({
      rulePath: RULE_FILE,
      data: [{ path: "fixtures/zeek/outbound_smb_conn.json", sourcetype: "_json", host: "h" }],
      warn: (w) => warnings.push(w),
    });
    expect(result.documents).toBe(0);
    expect(warnings).toContain("fixtures/zeek/outbound_smb_conn.json: no ECS mapping for sourcetype _json; Elastic rules do not see its events (add a mapping with --mappings)");
  });
});
