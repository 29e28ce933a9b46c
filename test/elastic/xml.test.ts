/**
 * XmlWinEventLog records (src/ingest/xml.ts): one <Event> per record, on one line or several; fields
 * from System (elements and attributes) and EventData (<Data Name=...>), _time from SystemTime.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EventTableBuilder } from "../../src/ingest/columns.js";
import { readDataset } from "../../src/ingest/read.js";
import { flattenXmlEvent, XmlRecordSplitter } from "../../src/ingest/xml.js";

// The shape of a Splunk XmlWinEventLog Sysmon Event ID 3 (peers.md §5, the stix-shifter sample).
const EVENT =
  "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/>" +
  "<EventID>3</EventID><Version>5</Version><Level>4</Level><Task>3</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>" +
  "<TimeCreated SystemTime='2023-01-11T15:29:45.8322874Z'/><EventRecordID>9383</EventRecordID><Correlation/><Execution ProcessID='1888' ThreadID='2956'/>" +
  "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>EC2AMAZ-1</Computer><Security UserID='S-1-5-18'/></System><EventData>" +
  "<Data Name='RuleName'>technique_id=T1021,technique_name=Remote Services</Data><Data Name='UtcTime'>2023-01-11 15:29:43.732</Data>" +
  "<Data Name='ProcessId'>532</Data><Data Name='Image'>C:\\Windows\\System32\\svchost.exe</Data><Data Name='User'>NT AUTHORITY\\NETWORK SERVICE</Data>" +
  "<Data Name='Protocol'>tcp</Data><Data Name='Initiated'>false</Data><Data Name='SourceIp'>198.235.24.155</Data><Data Name='SourceHostname'>-</Data>" +
  "<Data Name='DestinationIp'>172.31.29.79</Data><Data Name='DestinationPort'>3389</Data><Data Name='DestinationPortName'></Data></EventData></Event>";

function fields(xml: string): Record<string, unknown> {
  const b = new EventTableBuilder();
  b.beginRow();
  const error = flattenXmlEvent(xml, b);
  if (error !== null) throw new Error(error);
  b.commit(0, xml);
  const row = b.finish({ host: "h", source: "s", sourcetype: "XmlWinEventLog", index: "main" }).row(0);
  for (const k of ["_time", "_raw", "host", "source", "sourcetype", "index"]) delete row[k];
  return row;
}

describe("XmlWinEventLog fields", () => {
  it("System elements and attributes, and EventData by Name", () => {
    expect(fields(EVENT)).toEqual({
      Name: "Microsoft-Windows-Sysmon",
      Guid: "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}",
      EventID: "3",
      Version: "5",
      Level: "4",
      Task: "3",
      Opcode: "0",
      Keywords: "0x8000000000000000",
      SystemTime: "2023-01-11T15:29:45.8322874Z",
      EventRecordID: "9383",
      ProcessID: "1888",
      ThreadID: "2956",
      Channel: "Microsoft-Windows-Sysmon/Operational",
      Computer: "EC2AMAZ-1",
      UserID: "S-1-5-18",
      RuleName: "technique_id=T1021,technique_name=Remote Services",
      UtcTime: "2023-01-11 15:29:43.732",
      ProcessId: "532",
      Image: "C:\\Windows\\System32\\svchost.exe",
      User: "NT AUTHORITY\\NETWORK SERVICE",
      Protocol: "tcp",
      Initiated: "false",
      SourceIp: "198.235.24.155",
      SourceHostname: "-",
      DestinationIp: "172.31.29.79",
      DestinationPort: "3389",
    });
  });

  it("entities, CDATA, double-quoted attributes, unnamed Data, UserData and the rendered Message", () => {
    const xml =
      '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID Qualifiers="0">4688</EventID></System>' +
      "<EventData><Data Name='CommandLine'>cmd /c &quot;a &amp; b&quot; &lt;x&gt; &#65;&#x42;</Data><Data>one</Data><Data>two</Data><Data Name='Note'><![CDATA[<raw & text>]]></Data></EventData>" +
      "<UserData><LogFileCleared><SubjectUserName>bob</SubjectUserName></LogFileCleared></UserData>" +
      "<RenderingInfo Culture='en-US'><Message>A process was created.</Message><Level>Information</Level></RenderingInfo></Event>";
    expect(fields(xml)).toEqual({
      EventID: "4688",
      Qualifiers: "0",
      CommandLine: 'cmd /c "a & b" <x> AB',
      Data: ["one", "two"],
      Note: "<raw & text>",
      SubjectUserName: "bob",
      Message: "A process was created.",
    });
  });

  it("malformed records are reported, not read", () => {
    const b = new EventTableBuilder();
    b.beginRow();
    expect(flattenXmlEvent("<Event><System><EventID>3</System></Event>", b)).toMatch(/^malformed XML event: <\/System> closes <EventID>/);
    expect(flattenXmlEvent("<Other/>", b)).toBe("expected an <Event> element, found <Other>");
  });
});

describe("cutting records", () => {
  it("one per line, several on a line, one over several lines, with text between them ignored", () => {
    const s = new XmlRecordSplitter();
    const out = [
      ...s.line("<?xml version='1.0'?><Events>", 1),
      ...s.line("<Event><System/></Event><Event><EventData/></Event>", 2),
      ...s.line("<Event>", 3),
      ...s.line("  <System><EventID>3</EventID></System>", 4),
      ...s.line("</Event></Events>", 5),
    ];
    expect(out).toEqual([
      { kind: "record", text: "<Event><System/></Event>", line: 2 },
      { kind: "record", text: "<Event><EventData/></Event>", line: 2 },
      { kind: "record", text: "<Event>\n  <System><EventID>3</EventID></System>\n</Event>", line: 3 },
    ]);
    expect(s.finish()).toBeUndefined();
  });

  it("an event never closed is a problem at the end", () => {
    const s = new XmlRecordSplitter();
    expect(s.line("<Event><System>", 7)).toEqual([]);
    expect(s.finish()).toEqual({ kind: "problem", line: 7, message: "an <Event> record is never closed (no </Event> before the end of the file)" });
  });
});

describe("reading an XmlWinEventLog file", () => {
  const dir = mkdtempSync(join(tmpdir(), "spelunk-xml-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives one event per record, its time from TimeCreated/@SystemTime, its text as _raw; bad records are skipped", async () => {
    const path = join(dir, "sysmon.xml");
    writeFileSync(path, `${EVENT}\n<Event><System><EventID>3</System></Event>\n${EVENT.replace("9383", "9384").replace("15:29:45.8322874Z", "15:30:00Z")}\n`);
    const read = await readDataset({ path, sourcetype: "XmlWinEventLog", source: "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational", host: "h" }, { kind: "xml" });
    expect(read.events.length).toBe(2);
    expect(read.events.get(0, "_time")).toBe(1673450985.8322874);
    expect(read.events.get(1, "_time")).toBe(Date.UTC(2023, 0, 11, 15, 30) / 1000);
    expect(read.events.get(0, "_raw")).toBe(EVENT);
    expect(read.events.get(1, "EventRecordID")).toBe("9384");
    expect(read.skipped).toBe(1);
    expect(read.problems[0]).toMatchObject({ line: 2 });
  });
});
