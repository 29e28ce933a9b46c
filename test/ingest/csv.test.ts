import { describe, expect, it } from "vitest";
import { MAX_CSV_RECORD, splitCsvRecord } from "../../src/ingest/csv.js";
import { read, tempDir } from "./helpers.js";

const file = tempDir();
const csv = { kind: "csv" } as const;

describe("CSV files", () => {
  it("read quoted fields with commas, doubled quotes and line breaks", async () => {
    const path = file(
      "quoted.csv",
      ['_time,user,command line,note', '1700000000,alice,"cmd.exe /c ""echo, hi""",plain', '1700000001,bob,"line one', 'line two",', ""].join("\r\n"),
    );
    const { events, problems } = await read(path, csv);
    expect(problems).toEqual([]);
    expect(events.length).toBe(2);
    expect(events.row(0)).toMatchObject({ _time: 1700000000, user: "alice", "command line": 'cmd.exe /c "echo, hi"', note: "plain" });
    expect(events.get(1, "command line")).toBe("line one\nline two");
    expect(events.get(1, "note")).toBeNull(); // empty values are absent
    expect(events.get(1, "_raw")).toBe('1700000001,bob,"line one\nline two",');
  });

  it("header names are cleaned as Splunk's CSV extraction does", async () => {
    const path = file("names.csv", "timestamp,src.ip,dest-port, spaced name \n2024-01-02T03:04:05Z,10.0.0.1,445,x\n");
    const { events } = await read(path, csv);
    expect(events.row(0)).toMatchObject({ _time: 1704164645, timestamp: "2024-01-02T03:04:05Z", src_ip: "10.0.0.1", dest_port: "445", "spaced name": "x" });
  });

  it("a row with a different number of columns is reported and the others load", async () => {
    const path = file("ragged.csv", ["a,b,c", "1,2,3", "4,5", "6,7,8,9", '"x,y",z,w'].join("\n"));
    const { events, problems, skipped } = await read(path, csv);
    expect(events.rows().map((r) => [r["a"], r["b"], r["c"]])).toEqual([
      ["1", "2", "3"],
      ["x,y", "z", "w"],
    ]);
    expect(skipped).toBe(2);
    expect(problems).toEqual([
      { file: path, line: 3, message: "2 values, but the header row has 3 fields" },
      { file: path, line: 4, message: "4 values, but the header row has 3 fields" },
    ]);
  });

  it("text after a closing quote is reported", async () => {
    const path = file("afterquote.csv", ['a,b', '"x"y,1', "ok,2"].join("\n"));
    const { events, problems } = await read(path, csv);
    expect(events.length).toBe(1);
    expect(problems[0]).toMatchObject({ line: 2, message: 'unexpected "y" after a closing quote (column 4)' });
  });

  it("a quote that is never closed does not swallow more than 1 MB, and is reported", async () => {
    const lines = Math.ceil(MAX_CSV_RECORD / 990) + 50;
    const filler = Array.from({ length: lines }, (_, i) => `${"z".repeat(990)},${i}`).join("\n");
    const path = file("unclosed.csv", `a,b\n1,"never closed\n${filler}\n`);
    const { events, problems } = await read(path, csv);
    expect(problems).toEqual([{ file: path, line: 2, message: expect.stringContaining("runs on for more than 1 MB") }]);
    // The lines after the 1 MB that were given up on are read again as records.
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(lines);
  });

  it("the file ending inside a quoted value is reported at the record's first line", async () => {
    const path = file("eof.csv", 'a,b\n1,2\n3,"open\nmore\n');
    const { events, problems } = await read(path, csv);
    expect(events.length).toBe(1);
    expect(problems).toEqual([{ file: path, line: 3, message: "the file ends inside a quoted value (a missing closing quote?)" }]);
  });

  it("splits records as RFC 4180 says", () => {
    expect(splitCsvRecord('a,"b,c",,"d""e"')).toEqual(["a", "b,c", "", 'd"e']);
    expect(splitCsvRecord('x,5" disk,y')).toEqual(["x", '5" disk', "y"]);
    expect(splitCsvRecord("")).toEqual([""]);
  });
});
