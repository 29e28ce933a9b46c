import { describe, expect, it } from "vitest";
import { DictColumn } from "../../src/table/table.js";
import { read, tempDir } from "./helpers.js";

const file = tempDir();
const json = { kind: "json" } as const;

async function fieldsOf(line: string) {
  const { events } = await read(file(`one-${Math.random().toString(36).slice(2)}.json`, `${line}\n`), json);
  const row = events.row(0);
  for (const k of ["_time", "_raw", "host", "source", "sourcetype", "index"]) delete row[k];
  return row;
}

describe("JSON events are flattened the way Splunk names KV_MODE=json fields", () => {
  it("nested objects become dotted names; keys that already hold dots stay as they are", async () => {
    expect(await fieldsOf('{"id":{"orig_h":"10.0.0.1","orig_p":445},"a.b":"x","c":{"d.e":{"f":1}}}')).toEqual({
      "id.orig_h": "10.0.0.1",
      "id.orig_p": 445,
      "a.b": "x",
      "c.d.e.f": 1,
    });
  });

  it("arrays become multivalue fields named with {}; arrays of objects give a{}.b", async () => {
    expect(
      await fieldsOf('{"tags":["a","b"],"one":["only"],"users":[{"name":"u1","id":1},{"name":"u2"}],"grid":[[1,2],[3]],"none":[],"empty":{}}'),
    ).toEqual({
      "tags{}": ["a", "b"],
      "one{}": "only",
      "users{}.name": ["u1", "u2"],
      "users{}.id": 1,
      "grid{}{}": [1, 2, 3],
    });
  });

  it("a line that is an array names its elements from {}", async () => {
    expect(await fieldsOf('[{"RequiredAppPermissions":[{"EntitlementId":"e1"}]}]')).toEqual({ "{}.RequiredAppPermissions{}.EntitlementId": "e1" });
  });

  it('booleans become the strings "true" and "false"; null values are absent', async () => {
    expect(await fieldsOf('{"local_orig":true,"local_resp":false,"service":null,"list":[true,null]}')).toEqual({
      local_orig: "true",
      local_resp: "false",
      "list{}": "true",
    });
  });

  it("JSON numbers stay numbers; one JavaScript would print differently keeps its text", async () => {
    const row = await fieldsOf('{"bytes":62,"duration":0.06685185432434082,"neg":-3,"exp":1e3,"padded":1.50,"big":-9223372036854775808}');
    expect(row).toEqual({ bytes: 62, duration: 0.06685185432434082, neg: -3, exp: "1e3", padded: "1.50", big: "-9223372036854775808" });
    expect(typeof row["bytes"]).toBe("number");
  });

  it("escapes in strings are decoded, and the raw line is kept as read", async () => {
    const path = file("escapes.json", '{"cmd":"C:\\\\Windows\\\\cmd.exe \\"/c\\" \\u00e9\\ud83d\\ude00\\n"}\n');
    const { events } = await read(path, json);
    expect(events.get(0, "cmd")).toBe('C:\\Windows\\cmd.exe "/c" é😀\n');
    expect(events.get(0, "_raw")).toBe('{"cmd":"C:\\\\Windows\\\\cmd.exe \\"/c\\" \\u00e9\\ud83d\\ude00\\n"}');
  });

  it("_raw and the values cut from it come back as read: ASCII, accents, emoji, and a lone surrogate from UTF-16", async () => {
    // _raw is held as UTF-8 bytes; values of an ASCII line are cut from those bytes, others from the line.
    const lines = ['{"user":"bob","computer":"ws-0001-long-hostname"}', '{"user":"zoë","computer":"ws-😀-long-hostname"}', '{"user":"bob","computer":"ws-0002-long-hostname"}'];
    const { events } = await read(file("mixed.json", `${lines.join("\n")}\n`), json);
    expect([0, 1, 2].map((r) => events.get(r, "_raw"))).toEqual(lines);
    expect([0, 1, 2].map((r) => events.get(r, "computer"))).toEqual(["ws-0001-long-hostname", "ws-😀-long-hostname", "ws-0002-long-hostname"]);
    expect([0, 1, 2].map((r) => events.get(r, "user"))).toEqual(["bob", "zoë", "bob"]);
    expect(events.reversed().get(0, "_raw")).toBe(lines[2]);
    expect(events.gather(Uint32Array.of(1, 1)).get(1, "_raw")).toBe(lines[1]);

    // A stray byte that is not UTF-8 (0xff) reads as U+FFFD, in _raw and in the value cut from the line.
    const stray = Buffer.concat([Buffer.from('{"computer":"ws-'), Buffer.from([0xff]), Buffer.from('-long-hostname-0003"}\n')]);
    const readStray = (await read(file("stray.json", stray), json)).events;
    expect(readStray.get(0, "computer")).toBe("ws-\ufffd-long-hostname-0003");
    expect(readStray.get(0, "_raw")).toBe('{"computer":"ws-\ufffd-long-hostname-0003"}');

    // A UTF-16LE file whose text holds an unpaired surrogate: read as U+FFFD, as any decoder of it would, and the line still loads.
    const lone = '{"a":"x\ud800y"}';
    const utf16 = file("lone.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${lone}\n{"a":"b"}\n`, "utf16le")]));
    const read16 = (await read(utf16, json)).events;
    expect(read16.length).toBe(2);
    expect(read16.get(0, "_raw")).toBe('{"a":"x\ufffdy"}');
    expect(read16.get(1, "_raw")).toBe('{"a":"b"}');
  });

  it("a key given twice gives both values", async () => {
    expect(await fieldsOf('{"a":1,"a":"two"}')).toEqual({ a: [1, "two"] });
  });

  it("fields are dictionary-coded columns; a field first seen later is null before", async () => {
    const path = file("grow.json", ['{"a":"x"}', '{"a":"x","b":"new"}', '{"a":"y"}'].join("\n"));
    const { events } = await read(path, json);
    const a = events.column("a");
    expect(a).toBeInstanceOf(DictColumn);
    expect([...(a as DictColumn).codes]).toEqual([0, 0, 1]);
    expect((a as DictColumn).dict).toEqual(["x", "y"]);
    expect([0, 1, 2].map((i) => events.get(i, "b"))).toEqual([null, "new", null]);
  });

  it("deeply nested JSON is refused as a bad line, not a crash", async () => {
    const deep = `${"[".repeat(2000)}${"]".repeat(2000)}`;
    const path = file("deep.json", `${deep}\n{"ok":1}\n`);
    const { events, problems } = await read(path, json);
    expect(events.length).toBe(1);
    expect(problems[0]).toMatchObject({ line: 1, message: expect.stringContaining("nested deeper than 512 levels") });
  });
});
