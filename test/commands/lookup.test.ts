import { describe, it, expect } from "vitest";
import type { LookupArgs } from "../../src/commands/lookup.js";
import { argsOf, parseError, pointedAt, stageArgs, textAt } from "./_helpers.js";

const same = (name: string) => ({ lookupField: { name }, eventField: { name } });
const mapped = (lookupField: string, eventField: string) => ({ lookupField: { name: lookupField }, eventField: { name: eventField } });

describe("lookup", () => {
  it("matches a lookup field AS an event field and OUTPUTs fields, renamed or not", () => {
    const search = "| lookup remote_access_software remote_utility AS file_name OUTPUT isutility, description as signature, category";
    expect(argsOf(search)).toEqual({
      table: { name: "remote_access_software" },
      local: false,
      update: false,
      inputs: [mapped("remote_utility", "file_name")],
      output: { mode: "OUTPUT", fields: [same("isutility"), mapped("description", "signature"), same("category")] },
    });
    const args = stageArgs<LookupArgs>(search);
    expect(textAt(search, args.output!.span)).toBe("OUTPUT isutility, description as signature, category");
    expect(textAt(search, args.inputs[0]!.eventField.span)).toBe("file_name");
  });

  it("reads OUTPUTNEW in lower case and the update option", () => {
    expect(argsOf("| lookup update=true dynamic_dns_providers_local dynamic_dns_domains as url outputnew isDynDNS_local")).toEqual({
      table: { name: "dynamic_dns_providers_local" },
      local: false,
      update: true,
      inputs: [mapped("dynamic_dns_domains", "url")],
      output: { mode: "OUTPUTNEW", fields: [same("isDynDNS_local")] },
    });
  });

  it("adds every lookup field when there is no OUTPUT clause", () => {
    expect(argsOf("| lookup k8s_process_resource_baseline key")).toEqual({
      table: { name: "k8s_process_resource_baseline" },
      local: false,
      update: false,
      inputs: [same("key")],
    });
  });

  it("needs a field to match", () => {
    const search = "| lookup asset_lookup OUTPUT priority";
    const d = parseError(search);
    expect(d.message).toBe("lookup: expected a field to match in 'asset_lookup' (lookup asset_lookup <field> [AS <event field>] OUTPUT ...)");
    expect(pointedAt(search, d)).toBe("asset_lookup");
  });

  it("needs the fields after OUTPUT", () => {
    expect(parseError("| lookup t ip OUTPUT").message).toBe("lookup: expected the lookup fields to write after OUTPUT but found the end of the input");
  });

  it("needs the event field after AS", () => {
    expect(parseError("| lookup t ip AS").message).toBe("lookup: expected the event field for 'ip' after AS but found the end of the input");
  });

  it("refuses a lookup name that is a path", () => {
    expect(parseError("| lookup ../secret.csv ip").message).toBe(
      "lookup: '../secret.csv' is a path; name a lookup file or lookup table in the lookups folder (as in attacker_tools or attacker_tools.csv)",
    );
  });
});
