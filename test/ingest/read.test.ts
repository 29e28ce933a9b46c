import { hostname } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { IngestError } from "../../src/ingest/format.js";
import { readDataset } from "../../src/ingest/read.js";
import { ConstantColumn, NumberColumn } from "../../src/table/table.js";
import { read, tempDir } from "./helpers.js";

const file = tempDir();
const json = { kind: "json" } as const;
const zeekDocs = fileURLToPath(new URL("../../../shared/data/zeek_conn_docs.jsonl", import.meta.url));
const sysmon = fileURLToPath(new URL("../../../shared/data/sysmon_eid3_otrf.jsonl", import.meta.url));

const lines = (...ls: string[]) => `${ls.join("\n")}\n`;

describe("the shared Zeek conn sample (bro:conn:json)", () => {
  it("loads its 4 events with their id.orig_h, id.resp_p and times", async () => {
    const { events, problems, skipped, warnings } = await readDataset({ path: zeekDocs, sourcetype: "bro:conn:json", source: "zeek_conn.log", host: "sensor" }, { kind: "json", timeFormat: "%s.%6N" });
    expect({ problems, skipped, warnings }).toEqual({ problems: [], skipped: 0, warnings: [] });
    expect(events.length).toBe(4);
    expect(events.rows().map((r) => [r["_time"], r["id.orig_h"], r["id.resp_p"]])).toEqual([
      [1591367999.305988, "192.168.4.76", 53],
      [1591367999.430166, "192.168.4.76", 80],
      [1598631659.331871, "192.168.4.142", 443],
      [1598631659.652789, "192.168.4.142", 443],
    ]);
    expect(events.row(0)).toMatchObject({ sourcetype: "bro:conn:json", source: "zeek_conn.log", host: "sensor", index: "main", proto: "udp", orig_bytes: 62 });
    expect(events.get(3, "ip_proto")).toBeNull(); // only the first two lines have it
  });
});

describe("event metadata", () => {
  it("_time is a number column; host, source, sourcetype, index are constants with a monitor input's defaults", async () => {
    const path = file("meta.json", lines('{"ts":1}', '{"ts":2}'));
    const { events } = await readDataset({ path, sourcetype: "st" }, json);
    expect(events.column("_time")).toBeInstanceOf(NumberColumn);
    expect(events.column("host")).toBeInstanceOf(ConstantColumn);
    expect(events.fields().slice(0, 6)).toEqual(["_time", "_raw", "host", "source", "sourcetype", "index"]);
    expect(events.row(1)).toMatchObject({ host: hostname(), source: resolve(path), sourcetype: "st", index: "main" });
  });

  it("a field of the data named host is not kept, and a warning says so", async () => {
    const path = file("host.json", lines('{"ts":1,"host":"wec.internal"}'));
    const { events, warnings } = await read(path, json);
    expect(events.get(0, "host")).toBe("testhost");
    expect(warnings).toEqual([expect.stringContaining("field 'host' of the data (in 1 event(s)) was not kept")]);
  });
});

describe("_time", () => {
  it("comes from ts as epoch seconds, fractions kept", async () => {
    const path = file("epoch.json", lines('{"ts":1591367999.305988}', '{"ts":"1598631659.331871"}', '{"ts":1700000000123}'));
    const { events } = await read(path, json);
    expect([0, 1, 2].map((i) => events.get(i, "_time"))).toEqual([1591367999.305988, 1598631659.331871, 1700000000.123]);
  });

  it("comes from ISO-8601 text, with or without a zone (without: UTC)", async () => {
    const path = file(
      "iso.json",
      lines(
        '{"ts":"2021-06-09T20:55:13.160328Z"}',
        '{"ts":"2020-09-22 18:53:31.668"}',
        '{"ts":"2020-09-22T14:53:31-04:00"}',
        '{"ts":"2020-09-22T20:23:31+0530"}',
        '{"@timestamp":"2020-09-22T18:53:34.417Z"}',
      ),
    );
    const { events, warnings } = await read(path, json);
    expect(warnings).toEqual([]);
    expect(events.rows().map((r) => r["_time"])).toEqual([1623272113.160328, 1600800811.668, 1600800811, 1600786411, 1600800814.417]);
  });

  it("a time without a zone is read in the TZ given", async () => {
    const path = file("tz.json", lines('{"ts":"2020-09-22 14:53:31"}'));
    const { events } = await readDataset({ path, sourcetype: "s", host: "h" }, { kind: "json", timeZone: "America/New_York" });
    expect(events.get(0, "_time")).toBe(1600800811);
  });

  it("comes from the field TIMESTAMP_FIELDS names, several joined with a space", async () => {
    const path = file("fields.csv", "date,time,x\n2024-01-02,03:04:05,a\n");
    const { events } = await read(path, { kind: "csv", timestampField: "date,time" });
    expect(events.get(0, "_time")).toBe(1704164645);
  });

  it("an event without a parsable time takes the previous event's time, and the first ones the file's time", async () => {
    const path = file("untimed.json", lines('{"x":1}', '{"ts":100}', '{"ts":"not a time"}'));
    const { events, warnings } = await read(path, json);
    const times = events.rows().map((r) => r["_time"]);
    expect(times[1]).toBe(100);
    expect(times[2]).toBe(100);
    expect(Math.abs((times[0] as number) - Date.now() / 1000)).toBeLessThan(3600); // the file was just written
    expect(warnings).toEqual([expect.stringMatching(/^2 event\(s\) without a parsable time in 'ts' or '@timestamp' or 'timestamp' took the previous event's time/)]);
  });

  it("is read with TIME_FORMAT, in TZ unless the text names its zone", async () => {
    const path = file("fmt.json", lines('{"ts":"22/09/2020 18:53:31.668 +0000"}', '{"ts":"22/09/2020 14:53:31.000 -0400"}', '{"ts":"garbage"}'));
    const { events, warnings } = await readDataset({ path, sourcetype: "s", host: "h" }, { kind: "json", timeFormat: "%d/%m/%Y %H:%M:%S.%3N %z" });
    expect(events.rows().map((r) => r["_time"])).toEqual([1600800811.668, 1600800811, 1600800811]);
    expect(warnings).toEqual([expect.stringMatching(/^1 event\(s\) without a parsable time in 'ts'/)]);
    const local = file("local.json", lines('{"ts":"22/09/2020 18:53:31.668"}'));
    const inZone = await readDataset({ path: local, sourcetype: "s", host: "h" }, { kind: "json", timeFormat: "%d/%m/%Y %H:%M:%S.%3N", timeZone: "Europe/Paris" });
    expect(inZone.events.get(0, "_time")).toBe(1600793611.668);
  });
});

describe("reading files", () => {
  it("a gzip file is read transparently, whatever its name", async () => {
    const path = file("conn.log", gzipSync(lines('{"ts":1,"a":"x"}', '{"ts":2,"a":"y"}')));
    const { events } = await read(path, json);
    expect(events.rows().map((r) => r["a"])).toEqual(["x", "y"]);
  });

  it("a malformed JSON line is skipped and reported with its line number; the others load", async () => {
    const path = file("bad.json", lines('{"a":1}', '{"a":2,', "", '{"a":3}', "not json"));
    const { events, problems, skipped } = await read(path, json);
    expect(events.rows().map((r) => r["a"])).toEqual([1, 3]);
    expect(skipped).toBe(2);
    expect(problems).toEqual([
      { file: path, line: 2, message: "malformed JSON: the line ends where a key was expected at column 8" },
      { file: path, line: 5, message: "malformed JSON: unexpected 'not' at column 1" },
    ]);
  });

  it("a truncated gzip file loads the lines before the cut and reports it", async () => {
    const body = lines(...Array.from({ length: 5000 }, (_, i) => `{"n":${i},"pad":"${"x".repeat(40)}"}`));
    const gz = gzipSync(body);
    const path = file("cut.json.gz", gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { events, problems } = await read(path, json);
    expect(events.length).toBeGreaterThan(100);
    expect(events.length).toBeLessThan(5000);
    expect(events.get(events.length - 1, "n")).toBe(events.length - 1); // nothing lost before the cut
    expect(problems.at(-1)).toMatchObject({ file: path, line: events.length + 1, message: expect.stringContaining("gzip data ends early (truncated file)") });
  });

  it("CRLF line endings, a UTF-8 byte order mark and UTF-16LE files are read", async () => {
    const crlf = file("crlf.json", `\ufeff{"a":"x"}\r\n{"a":"y"}\r\n`);
    expect((await read(crlf, json)).events.rows().map((r) => [r["a"], r["_raw"]])).toEqual([
      ["x", '{"a":"x"}'],
      ["y", '{"a":"y"}'],
    ]);
    const utf16 = file("utf16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":"é"}\n', "utf16le")]));
    expect((await read(utf16, json)).events.get(0, "a")).toBe("é");
  });

  it("problems are capped at maxProblems but all are counted", async () => {
    const path = file("many.json", lines('{"ok":1}', ...Array.from({ length: 250 }, () => "junk")));
    const { problems, skipped } = await read(path, json);
    expect(problems.length).toBe(100);
    expect(skipped).toBe(250);
    expect((await read(path, json, 3)).problems.map((p) => p.line)).toEqual([2, 3, 4]);
  });

  it("reports progress as it reads", async () => {
    const path = file("progress.json", lines(...Array.from({ length: 20000 }, (_, i) => `{"n":${i},"pad":"${"y".repeat(30)}"}`)));
    const calls: Array<[number, number, number]> = [];
    await readDataset({ path, sourcetype: "s", host: "h" }, json, { onProgress: (b, t, e) => calls.push([b, t, e]) });
    expect(calls.length).toBeGreaterThan(1);
    const last = calls.at(-1)!;
    expect(last[0]).toBe(last[1]);
    expect(last[2]).toBe(20000);
    expect(calls.every(([b], i) => i === 0 || b >= calls[i - 1]![0])).toBe(true);
  });

  it("the 150 real Sysmon events load, with @timestamp as their time", async () => {
    const { events, problems } = await read(sysmon, json);
    expect(problems).toEqual([]);
    expect(events.length).toBe(150);
    expect(events.row(0)).toMatchObject({ _time: 1600800814.417, DestinationPort: "445", "tags{}": "mordorDataset", Keywords: "-9223372036854775808" });
  });
});

describe("datasets that cannot be read", () => {
  it("a missing file is an IngestError that names it", async () => {
    const error = await read("/nonexistent/dir/conn.log", json).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as Error).message).toBe("cannot read /nonexistent/dir/conn.log: no such file");
  });

  it("a directory is an IngestError", async () => {
    const dir = resolve(file("x.json", "{}"), "..");
    await expect(read(dir, json)).rejects.toThrow(`cannot read ${dir}: is a directory, not a file`);
  });

  it("a dataset without events is an IngestError that counts the lines skipped", async () => {
    await expect(read(file("empty.json", ""), json)).rejects.toThrow(/empty\.json: no events \(0 lines skipped\)$/);
    await expect(read(file("allbad.json", lines("x", "y")), json)).rejects.toThrow(/allbad\.json: no events \(2 lines skipped; line 1: malformed JSON/);
    await expect(read(file("header.csv", "a,b\n"), { kind: "csv" })).rejects.toThrow(/header\.csv: no events \(0 lines skipped\)$/);
  });

  it("a Git LFS pointer (data not downloaded) is an IngestError that says so", async () => {
    const path = file("zeek_conn.log", "version https://git-lfs.github.com/spec/v1\noid sha256:1dbcd8cb\nsize 8699\n");
    await expect(read(path, json)).rejects.toThrow(/it is a Git LFS pointer, not the data \(8699 bytes not downloaded\)/);
  });

  it("an unknown time zone is an IngestError", async () => {
    await expect(read(file("tzbad.json", "{}\n"), { kind: "json", timeZone: "Mars/Olympus" })).rejects.toThrow("unknown time zone 'Mars/Olympus'");
  });
});
