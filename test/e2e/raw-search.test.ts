/**
 * Searching raw events as a user would in Splunk's search bar, and what happens with bad input.
 * Expected counts are computed here from the dataset's own lines, independently of spelunk.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const fixture = "fixtures/zeek/outbound_smb_conn.json";
const conns = readFileSync(fixture, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

async function spelunk(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, err, rows: out.trim() === "" ? [] : out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>) };
}

const zeek = ["--data", fixture, "--sourcetype", "bro:conn:json", "--host", "zeek01", "--tz", "UTC", "--format", "json"];

describe("a leading search over raw events", () => {
  it("filters on index, sourcetype and a JSON field", async () => {
    const { rows } = await spelunk("run", "-e", "index=main sourcetype=bro:conn:json id.resp_p=445 | stats count", ...zeek);
    expect(rows).toEqual([{ count: String(conns.filter((c) => c["id.resp_p"] === 445).length) }]);
  });

  it("matches the add-on's tags and event type on every conn event", async () => {
    const { rows } = await spelunk("run", "-e", "tag=network tag=communicate eventtype=bro_conn | stats count", ...zeek);
    expect(rows).toEqual([{ count: String(conns.length) }]);
  });

  it("finds nothing in another index", async () => {
    const { rows, code } = await spelunk("run", "-e", "index=other | stats count", ...zeek);
    expect(code).toBe(0);
    expect(rows).toEqual([{ count: "0" }]);
  });

  it("returns events newest first, with CIDR and wildcard values", async () => {
    const { rows } = await spelunk("run", "-e", 'id.resp_h=81.2.69.0/24 conn_state=S* | table _time id.orig_h conn_state', ...zeek);
    const expected = conns
      .filter((c) => String(c["id.resp_h"]).startsWith("81.2.69.") && String(c.conn_state).startsWith("S"))
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    expect(rows.map((r) => r["id.orig_h"])).toEqual(expected.map((c) => c["id.orig_h"]));
    expect(rows[0]!._time).toBe("2024-03-01T11:00:00.000+00:00");
  });

  it("--now, --earliest and --latest bound the run with Splunk's relative times (snapped to the hour)", async () => {
    // now 18:20 → earliest -9h@h = 09:00, latest -8h@h = 10:00: the 3 allowed flows and the rejected one.
    const { rows } = await spelunk("run", "-e", "id.resp_h=81.2.69.142 | stats count", ...zeek, "--now", "2024-03-01T18:20:00Z", "--earliest", "-9h@h", "--latest", "-8h@h");
    const lo = Date.UTC(2024, 2, 1, 9) / 1000;
    const hi = Date.UTC(2024, 2, 1, 10) / 1000;
    expect(rows).toEqual([{ count: String(conns.filter((c) => c["id.resp_h"] === "81.2.69.142" && Number(c.ts) >= lo && Number(c.ts) < hi).length) }]);
    expect(rows).toEqual([{ count: "4" }]);
  });
});

describe("bad input", () => {
  const dir = mkdtempSync(join(tmpdir(), "spelunk-bad-"));

  it("skips and reports a malformed JSON line, and loads the rest", async () => {
    const file = join(dir, "conn.json");
    writeFileSync(file, [JSON.stringify(conns[0]), '{"ts": 1709251300, "id.orig_h": ', JSON.stringify(conns[1])].join("\n"));
    const { rows, err, code } = await spelunk("run", "-e", "| tstats count from datamodel=Network_Traffic", "--data", file, "--sourcetype", "bro:conn:json", "--format", "json");
    expect(code).toBe(0);
    expect(err).toMatch(new RegExp(`skipped ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: `));
    expect(err).toMatch(/1 line\(s\) skipped in all; 2 events loaded/);
    expect(rows).toEqual([{ count: "2" }]);
  });

  it("runs a search that makes its own rows without --data, and refuses one that reads events", async () => {
    const made = await spelunk("run", "-e", "| makeresults count=2 | eval n=1+1 | stats sum(n) as total", "--format", "json");
    expect(made.code).toBe(0);
    expect(made.rows).toEqual([{ total: "4" }]);
    const noData = /^spelunk: no data: give --data PATH/;
    for (const search of ["index=main | stats count", "| tstats count from datamodel=Network_Traffic", "| makeresults | append [search index=main]"]) {
      const { code, err } = await spelunk("run", "-e", search, "--format", "json");
      expect(code, search).toBe(1);
      expect(err, search).toMatch(noData);
    }
  });

  it("refuses an unknown sourcetype with a one-line error and exit 1", async () => {
    const { err, code } = await spelunk("run", "-e", "*", "--data", fixture, "--sourcetype", "no:such:type");
    expect(code).toBe(1);
    expect(err).toMatch(/^spelunk: .*unknown sourcetype no:such:type.*--apps\)\n$/);
  });

  it("refuses a missing file and an empty dataset", async () => {
    const missing = await spelunk("run", "-e", "*", "--data", join(dir, "nope.json"), "--sourcetype", "bro:conn:json");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no such file/);
    const empty = join(dir, "empty.json");
    writeFileSync(empty, "");
    const none = await spelunk("run", "-e", "*", "--data", empty, "--sourcetype", "bro:conn:json");
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no events/);
  });

  it("reports an unknown data model at its place in the search", async () => {
    const { err, code } = await spelunk("run", "-e", "| tstats count from datamodel=Nope", ...zeek);
    expect(code).toBe(1);
    expect(err).toMatch(/<search>:1:21: error: data model Nope is not loaded/);
  });
});
