/**
 * Elastic rule files read as they are (peers.md §2a), and clear, located errors for the ones spelunk
 * cannot run. Variants of the shared rule are made in memory, never written into the repository.
 */
import { describe, expect, it } from "vitest";
import { SplError } from "../../src/diag/diagnostic.js";
import { locationOf, renderDiagnostics } from "../../src/diag/render.js";
import { executeRule } from "../../src/elastic/execute.js";
import { loadMappings } from "../../src/elastic/mapping.js";
import { parseElasticRule } from "../../src/elastic/rule.js";
import { RULE_FILE, RULE_TEXT } from "./helpers.js";

function ruleError(text: string): { message: string; line: number; column: number; rendered: string } {
  try {
    parseElasticRule(text, "rule.toml");
  } catch (e) {
    if (!(e instanceof SplError)) throw e;
    const d = e.diagnostics[0]!;
    const { line, column } = locationOf(e, d);
    return { message: d.message, line, column, rendered: renderDiagnostics(e) };
  }
  throw new Error("expected an error");
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

describe("Elastic's rule file", () => {
  const rule = parseElasticRule(RULE_TEXT, RULE_FILE);

  it("is read with its metadata, schedule and new-terms settings", () => {
    expect(rule.name).toBe("Rare SMB Connection to the Internet");
    expect(rule.ruleId).toBe("f580bf0a-2d23-43bb-b8e1-17548bb947ec");
    expect(rule.type).toBe("new_terms");
    expect(rule.from).toBe("now-9m");
    expect(rule.interval).toBe(300); // not in the file: Kibana's default 5m
    expect(rule.maxSignals).toBe(100); // not in the file: Kibana's default
    expect(rule.riskScore).toBe(47);
    expect(rule.severity).toBe("medium");
    expect(rule.timestampOverride).toBe("event.ingested");
    expect(rule.index).toContain("logs-windows.sysmon_operational-*");
    expect(rule.index).toContain("winlogbeat-*");
    expect(rule.newTerms).toEqual({ fields: ["destination.ip"], historyWindowStart: "now-7d" });
  });

  it("its KQL query parses", () => {
    expect(rule.query.ast.kind).toBe("and");
    expect(rule.query.text).toContain('"FE80::/10"');
  });
});

describe("rule file errors", () => {
  it("an unknown rule type", () => {
    const e = ruleError(RULE_TEXT.replace('type = "new_terms"', 'type = "rare_terms"'));
    expect(e.message).toBe("unknown rule type 'rare_terms' (Elastic's are query, new_terms, eql, esql, threshold, machine_learning, threat_match, saved_query; spelunk runs query and new_terms)");
    expect([e.line, e.column]).toEqual([lineOf(RULE_TEXT, 'type = "new_terms"'), 1]);
  });

  it("a rule type spelunk does not run", () => {
    expect(ruleError(RULE_TEXT.replace('type = "new_terms"', 'type = "eql"')).message).toBe("rule type 'eql' is not supported: spelunk runs query and new_terms rules");
    expect(ruleError(RULE_TEXT.replace('language = "kuery"', 'language = "lucene"')).message).toBe(
      "query language 'lucene' is not supported: spelunk runs KQL (language = \"kuery\")",
    );
  });

  it("a new_terms rule without history_window_start", () => {
    const text = RULE_TEXT.replace(/\[\[rule\.new_terms\.history_window_start\]\][\s\S]*$/, "");
    const e = ruleError(text);
    expect(e.message).toBe(
      'a new_terms rule needs history_window_start: add [[rule.new_terms.history_window_start]] with field = "history_window_start" and value = "now-7d"',
    );
    expect(e.line).toBe(lineOf(text, 'value = ["destination.ip"]'));
  });

  it("a new_terms rule with more than three fields, or a history window that ends before it starts", () => {
    expect(ruleError(RULE_TEXT.replace('value = ["destination.ip"]', 'value = ["a", "b", "c", "d"]')).message).toBe(
      "[rule.new_terms] value: at most 3 fields make a new term (found 4)",
    );
    expect(ruleError(RULE_TEXT.replace('value = "now-7d"', 'value = "now-5m"')).message).toBe(
      "history_window_start (now-5m) must be earlier than from (now-9m): the history window would be empty",
    );
    expect(ruleError(RULE_TEXT.replace('value = "now-7d"', 'value = "last week"')).message).toBe("history_window_start: 'last week' is not date math such as now-7d");
  });

  it("malformed KQL is located in the rule file, at its line and column", () => {
    const text = RULE_TEXT.replace("destination.port:(139 or 445)", "destination.port:(139 or 445");
    const e = ruleError(text);
    // `445 and source.ip` reads as a list of values, so the parser stops at the colon after source.ip.
    expect(e.message).toBe("expected ')' but found ':'");
    const line = lineOf(text, "destination.port:(139 or 445");
    expect(e.rendered.split("\n")).toEqual([`rule.toml:${line + 1}:12: error: expected ')' but found ':'`, "  source.ip:(", "           ^"]);
  });

  it("a value that cannot be of its field's type is found when the rule runs (the mappings type the fields), located in the file", () => {
    const text = RULE_TEXT.replace("192.168.0.0/16\n  ) and", "192.168.0.0.0/16\n  ) and");
    const rule = parseElasticRule(text, "rule.toml");
    const fieldTypes = (f: string) => loadMappings().fieldTypes.get(f);
    let error: SplError | undefined;
    try {
      executeRule(rule, [], { fieldTypes, now: 0 });
    } catch (e) {
      if (!(e instanceof SplError)) throw e;
      error = e;
    }
    expect(error).toBeDefined();
    expect(renderDiagnostics(error!).split("\n")).toEqual([
      `rule.toml:${lineOf(text, "192.168.0.0.0/16")}:5: error: '192.168.0.0.0/16' is not an IP address or CIDR range, and source.ip is an ip field`,
      "    192.168.0.0.0/16",
      "    ^~~~~~~~~~~~~~~~",
    ]);
  });

  it("TOML errors are located", () => {
    const e = ruleError(RULE_TEXT.replace('risk_score = 47', 'risk_score = = 47'));
    expect(e.message).toMatch(/^not valid TOML/);
    expect(e.line).toBe(lineOf(RULE_TEXT, "risk_score = 47"));
  });

  it("query DSL filters and Kibana exception lists are refused, not ignored", () => {
    const withFilters = RULE_TEXT.replace("[rule.new_terms]", '[[rule.filters]]\n[rule.filters.query.match_phrase]\n"host.name" = "x"\n\n[rule.new_terms]');
    expect(ruleError(withFilters).message).toBe("the rule's filters (Elasticsearch query DSL) are not supported: spelunk runs the KQL query alone");
  });

  it("a file that is not a rule", () => {
    expect(ruleError('[metadata]\nmaturity = "production"\n').message).toBe("not an Elastic rule file: it has no [rule] table");
    expect(ruleError(RULE_TEXT.replace(/^query = '''[\s\S]*?'''\n/m, "")).message).toBe("the rule has no query");
  });
});
