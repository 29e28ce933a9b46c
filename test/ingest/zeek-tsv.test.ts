import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { read, tempDir } from "./helpers.js";

const file = tempDir();
const tsv = { kind: "tsv" } as const;
const fixture = fileURLToPath(new URL("../../fixtures/ingest/zeek_conn.tsv", import.meta.url));

describe("Zeek TSV logs", () => {
  it("read the #fields header; names are cleaned as Splunk's TSV extraction does (id.orig_h → id_orig_h)", async () => {
    const { events, problems, skipped } = await read(fixture, tsv);
    expect(problems).toEqual([]);
    expect(skipped).toBe(0);
    expect(events.length).toBe(2);
    expect(events.row(0)).toMatchObject({
      _time: 1591367999.305988,
      ts: "1591367999.305988",
      uid: "CMdzit1AMNsmfAIiQc",
      id_orig_h: "192.168.4.76",
      id_orig_p: "36844",
      id_resp_p: "53",
      proto: "udp",
      service: "dns",
      local_orig: "T",
    });
    expect(events.has("id.orig_h")).toBe(false);
  });

  it("'-' (unset) and '(empty)' values are absent; sets become multivalue fields", async () => {
    const { events } = await read(fixture, tsv);
    expect(events.get(0, "tunnel_parents")).toBeNull();
    expect(events.get(1, "service")).toBeNull();
    expect(events.get(1, "duration")).toBeNull();
    expect(events.get(1, "tunnel_parents")).toEqual(["Ca1", "Cb2"]);
    expect(events.get(1, "_raw")).toBe("1591367999.430166\tC5bLoe2Mvxqhawzqqd\t192.168.4.76\t46378\t31.3.245.133\t445\ttcp\t-\t-\tF\tCa1,Cb2");
  });

  it("honour the separators and markers the header declares", async () => {
    const path = file(
      "custom.log",
      ["#separator \\x7c", "#set_separator|;", "#empty_field|EMPTY", "#unset_field|NONE", "#fields|ts|a|s", "#types|time|string|vector[count]", "10.5|NONE|1;2;3", "11|x|EMPTY"].join(
        "\n",
      ),
    );
    const { events } = await read(path, tsv);
    expect(events.rows().map(({ _time, a, s }) => ({ _time, a, s }))).toEqual([
      { _time: 10.5, a: undefined, s: ["1", "2", "3"] },
      { _time: 11, a: "x", s: undefined },
    ]);
  });

  it("keep dots in names when HEADER_FIELD_ACCEPTABLE_SPECIAL_CHARACTERS allows them", async () => {
    const { events } = await read(fixture, { kind: "tsv", headerSpecialCharacters: "." });
    expect(events.get(0, "id.orig_h")).toBe("192.168.4.76");
  });

  it("a data line before any #fields header is reported and skipped", async () => {
    const path = file("noheader.log", ["1.0\tx\ty", "#fields\tts\ta", "2.0\tb"].join("\n"));
    const { events, problems, skipped } = await read(path, tsv);
    expect(events.length).toBe(1);
    expect(skipped).toBe(1);
    expect(problems).toEqual([{ file: path, line: 1, message: "a data line before any #fields header line" }]);
  });

  it("a line with a different number of columns is reported with its line number", async () => {
    const path = file("ragged.log", ["#fields\tts\ta\tb", "1\tx\ty", "2\tx", "3\tx\ty\tz", "4\tx\ty"].join("\n"));
    const { events, problems } = await read(path, tsv);
    expect(events.length).toBe(2);
    expect(problems).toEqual([
      { file: path, line: 3, message: "2 columns, but the #fields header names 3" },
      { file: path, line: 4, message: "4 columns, but the #fields header names 3" },
    ]);
  });

  it("a TSV file without any #fields header has no events: an error that says why", async () => {
    const path = file("nofields.log", "1.0\tx\n2.0\ty\n");
    await expect(read(path, tsv)).rejects.toThrow(`${path}: no events (2 lines skipped; line 1: a data line before any #fields header line)`);
  });
});
