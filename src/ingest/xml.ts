/**
 * Windows event log records in XML, as Splunk's XmlWinEventLog sourcetype holds them (inputs.conf
 * `renderXml = true`): one `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>
 * ... </Event>` per record, usually one per line; a record may also span lines (pretty-printed
 * exports), and text between records (an `<?xml?>` declaration, an `<Events>` wrapper) is ignored.
 *
 * Fields are named as the Splunk Add-on for Microsoft Windows names them for XmlWinEventLog (its
 * XML extractions take element and attribute names as they are):
 * - `<System>`: each child element's text under its name (EventID, Version, Level, Task, Opcode,
 *   Keywords, EventRecordID, Channel, Computer), each attribute under its name (Provider's Name and
 *   Guid, TimeCreated's SystemTime, Execution's ProcessID and ThreadID, Security's UserID,
 *   Correlation's ActivityID, EventID's Qualifiers);
 * - `<EventData>`: `<Data Name='SourceIp'>10.0.0.1</Data>` gives SourceIp; a Data element without a
 *   Name gives `Data` (several make a multivalue field);
 * - `<UserData>`: each leaf element's text under its name;
 * - `<RenderingInfo>`: its `<Message>` as Message.
 * Empty values give no field (KEEP_EMPTY_VALS defaults to false). Entities and CDATA are resolved.
 * The event's time is TimeCreated's SystemTime (what Splunk takes for XmlWinEventLog).
 *
 * This is a small reader for that schema, not a general XML parser: no DTDs, nesting bounded.
 */
import type { EventTableBuilder } from "./columns.js";

/** A record longer than this (UTF-16 units) is skipped: Windows caps an event at 64 KB of data. */
export const MAX_XML_RECORD = 4 * 1024 * 1024;
const MAX_DEPTH = 64;

export type XmlRecord = { kind: "record"; text: string; line: number } | { kind: "problem"; line: number; message: string };

/** Cuts lines into `<Event>...</Event>` records. */
export class XmlRecordSplitter {
  private buffer: string[] = [];
  private bufferLength = 0;
  private startLine = 0;
  private inEvent = false;
  private overflow = false;

  line(text: string, lineNo: number): XmlRecord[] {
    const out: XmlRecord[] = [];
    let pos = 0;
    for (let n = 0; n <= text.length; n++) {
      if (!this.inEvent) {
        const start = findEventStart(text, pos);
        if (start < 0) break;
        this.inEvent = true;
        this.overflow = false;
        this.startLine = lineNo;
        this.buffer = [];
        this.bufferLength = 0;
        pos = start;
      }
      const end = text.indexOf("</Event>", pos);
      if (end < 0) {
        this.append(text.slice(pos), true);
        break;
      }
      this.append(text.slice(pos, end + "</Event>".length), false);
      pos = end + "</Event>".length;
      this.inEvent = false;
      if (this.overflow) out.push({ kind: "problem", line: this.startLine, message: `an <Event> record longer than ${MAX_XML_RECORD} characters was skipped` });
      else out.push({ kind: "record", text: this.buffer.join(""), line: this.startLine });
      this.buffer = [];
    }
    return out;
  }

  /** What is left at the end of the file: an <Event> that was never closed. */
  finish(): XmlRecord | undefined {
    if (!this.inEvent) return undefined;
    this.inEvent = false;
    this.buffer = [];
    return { kind: "problem", line: this.startLine, message: "an <Event> record is never closed (no </Event> before the end of the file)" };
  }

  private append(piece: string, newline: boolean): void {
    if (this.overflow) return;
    this.bufferLength += piece.length + (newline ? 1 : 0);
    if (this.bufferLength > MAX_XML_RECORD) {
      this.overflow = true;
      this.buffer = [];
      return;
    }
    this.buffer.push(newline ? `${piece}\n` : piece);
  }
}

/** `<Event` followed by whitespace, `>` or `/` (not `<Events>`, not `<EventData>`). */
function findEventStart(text: string, from: number): number {
  for (let i = text.indexOf("<Event", from); i >= 0; i = text.indexOf("<Event", i + 1)) {
    const c = text[i + 6];
    if (c === undefined || c === ">" || c === "/" || c === " " || c === "\t" || c === "\r" || c === "\n") return i;
  }
  return -1;
}

// ---- parsing one record ---------------------------------------------------------------------------

interface XmlElement {
  readonly name: string;
  readonly attrs: Array<[string, string]>;
  readonly children: XmlElement[];
  text: string;
}

class XmlSyntaxError {
  constructor(readonly message: string) {}
}

/**
 * Flattens one `<Event>` record into the builder's current row (see the file comment for the field
 * names). Returns null when it is well-formed, or what is wrong with it.
 */
export function flattenXmlEvent(text: string, row: EventTableBuilder): string | null {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (e) {
    if (e instanceof XmlSyntaxError) return `malformed XML event: ${e.message}`;
    throw e;
  }
  if (root.name !== "Event") return `expected an <Event> element, found <${root.name}>`;
  const add = (name: string, value: string) => {
    if (name !== "" && value !== "") row.add(row.slot(name), value);
  };
  for (const section of root.children) {
    switch (section.name) {
      case "System":
        for (const el of section.children) {
          add(el.name, el.text.trim());
          for (const [k, v] of el.attrs) add(k, v);
        }
        break;
      case "EventData":
        for (const el of section.children) {
          if (el.name !== "Data") {
            addLeaves(el, add, 0);
            continue;
          }
          const name = el.attrs.find(([k]) => k === "Name")?.[1];
          add(name ?? "Data", el.text);
        }
        break;
      case "UserData":
        for (const el of section.children) addLeaves(el, add, 0);
        break;
      case "RenderingInfo": {
        const message = section.children.find((el) => el.name === "Message");
        if (message) add("Message", message.text);
        break;
      }
      default:
        break;
    }
  }
  return null;
}

function addLeaves(el: XmlElement, add: (name: string, value: string) => void, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (el.children.length === 0) {
    add(el.name, el.text);
    return;
  }
  for (const child of el.children) addLeaves(child, add, depth + 1);
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9A-Fa-f]+|#\d+|[A-Za-z]+);/g, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body] ?? whole;
  });
}

/** The local name: `ns:Event` → Event. */
function localName(qname: string): string {
  const colon = qname.indexOf(":");
  return colon >= 0 ? qname.slice(colon + 1) : qname;
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const ATTRIBUTE = /\s*([A-Za-z_:][\w.:-]*)\s*=\s*(?:'([^']*)'|"([^"]*)")/y;

/** Parses one element (with its descendants) starting at the first `<`. */
function parseXml(text: string): XmlElement {
  let pos = text.indexOf("<");
  if (pos < 0) throw new XmlSyntaxError("no element");
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (message: string): never => {
    throw new XmlSyntaxError(`${message} at offset ${pos}`);
  };
  while (pos < text.length) {
    const lt = text.indexOf("<", pos);
    const top = stack[stack.length - 1];
    if (lt < 0) {
      if (top) fail(`<${top.name}> is never closed`);
      break;
    }
    if (lt > pos && top) top.text += decodeEntities(text.slice(pos, lt));
    pos = lt;
    if (text.startsWith("<!--", pos)) {
      const end = text.indexOf("-->", pos + 4);
      if (end < 0) fail("unclosed comment");
      pos = end + 3;
    } else if (text.startsWith("<![CDATA[", pos)) {
      const end = text.indexOf("]]>", pos + 9);
      if (end < 0) fail("unclosed CDATA section");
      if (top) top.text += text.slice(pos + 9, end);
      pos = end + 3;
    } else if (text.startsWith("<?", pos) || text.startsWith("<!", pos)) {
      const end = text.indexOf(">", pos);
      if (end < 0) fail("unclosed declaration");
      pos = end + 1;
    } else if (text.startsWith("</", pos)) {
      NAME.lastIndex = pos + 2;
      const m = NAME.exec(text);
      if (!m) fail("expected an element name after '</'");
      const name = localName(m![0]);
      if (!top || top.name !== name) fail(top ? `</${name}> closes <${top.name}>` : `</${name}> closes nothing`);
      pos = NAME.lastIndex;
      while (pos < text.length && /\s/.test(text[pos]!)) pos++;
      if (text[pos] !== ">") fail("expected '>'");
      pos++;
      stack.pop();
      if (stack.length === 0) return root!;
    } else {
      NAME.lastIndex = pos + 1;
      const m = NAME.exec(text);
      if (!m) fail("expected an element name after '<'");
      const el: XmlElement = { name: localName(m![0]), attrs: [], children: [], text: "" };
      pos = NAME.lastIndex;
      for (let n = 0; n < 10_000; n++) {
        ATTRIBUTE.lastIndex = pos;
        const a = ATTRIBUTE.exec(text);
        if (!a) break;
        const attrName = a[1]!;
        if (attrName !== "xmlns" && !attrName.startsWith("xmlns:")) el.attrs.push([localName(attrName), decodeEntities(a[2] ?? a[3] ?? "")]);
        pos = ATTRIBUTE.lastIndex;
      }
      while (pos < text.length && /\s/.test(text[pos]!)) pos++;
      const selfClosing = text.startsWith("/>", pos);
      if (!selfClosing && text[pos] !== ">") fail(`expected '>' or '/>' to end <${el.name}>`);
      pos += selfClosing ? 2 : 1;
      if (top) top.children.push(el);
      else root = el;
      if (selfClosing) {
        if (!top) return el;
      } else {
        if (stack.length >= MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH} levels`);
        stack.push(el);
      }
    }
  }
  if (root && stack.length === 0) return root;
  return fail(stack.length > 0 ? `<${stack[stack.length - 1]!.name}> is never closed` : "no element");
}
