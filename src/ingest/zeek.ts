/**
 * Zeek's tab-separated logs (the ASCII writer's format):
 *
 *   #separator \x09
 *   #set_separator	,
 *   #empty_field	(empty)
 *   #unset_field	-
 *   #path	conn
 *   #fields	ts	uid	id.orig_h	...
 *   #types	time	string	addr	...
 *   1258531221.486539	Pii6cUUq1v4	192.168.1.102	...
 *   #close	2014-05-23-18-02-35
 *
 * `#separator` is written with a space and an escaped value; the other header lines use the
 * separator itself. A value equal to #unset_field is absent, one equal to #empty_field (an empty
 * string or container) is absent too; set[...], vector[...] and table[...] values are split on
 * #set_separator into a multivalue. A later #fields line (logs concatenated) starts a new layout.
 * Other # lines (#path, #open, #close, comments) are ignored.
 *
 * Field names go through Splunk's header cleaning (see cleanHeaderName): `id.orig_h` becomes
 * `id_orig_h`, as Splunk's INDEXED_EXTRACTIONS = TSV gives it; the Zeek add-on relies on that
 * (`FIELDALIAS-src = id_orig_h AS src` for TSV logs, `coalesce('id.resp_p', id_resp_p)` for both).
 * Values are kept as written (strings; Zeek's \xHH escapes are not undone, as Splunk does not).
 */
import type { EventTableBuilder, FieldSlot } from "./columns.js";
import { cleanHeaderName } from "./header.js";

export type LineOutcome = { kind: "event" } | { kind: "none" } | { kind: "problem"; message: string };

const EVENT: LineOutcome = { kind: "event" };
const NONE: LineOutcome = { kind: "none" };

function unescapeZeek(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export class ZeekTsvReader {
  private separator = "\t";
  private setSeparator = ",";
  private emptyField = "(empty)";
  private unsetField = "-";
  private fields: FieldSlot[] | undefined;
  /** The #fields names as written, and the #types line's set/vector/table columns (see layout). */
  private fieldNames: string[] | undefined;
  private containers: boolean[] = [];
  /** Header names that cleaned to nothing, reported once. */
  readonly dropped = new Set<string>();

  constructor(
    private readonly row: EventTableBuilder,
    private readonly acceptable = "",
  ) {}

  /**
   * Everything the header lines set, as text: a part of a file read on its own (in parallel) reads
   * its lines as the whole file would only if it starts with the layout the part before it ended with.
   */
  layout(): string {
    return JSON.stringify([this.separator, this.setSeparator, this.emptyField, this.unsetField, this.fieldNames ?? null, this.containers]);
  }

  /** Reads one line into the builder's current row (an event) or into the reader's state (a header line). */
  line(text: string): LineOutcome {
    if (text.startsWith("#")) return this.directive(text);
    if (text.length === 0) return NONE; // a blank line: nothing to read
    const fields = this.fields;
    if (fields === undefined) return { kind: "problem", message: "a data line before any #fields header line" };
    const parts = text.split(this.separator);
    if (parts.length !== fields.length) {
      return { kind: "problem", message: `${parts.length} columns, but the #fields header names ${fields.length}` };
    }
    const row = this.row;
    for (let i = 0; i < parts.length; i++) {
      const slot = fields[i]!;
      const value = parts[i]!;
      if (value === this.unsetField || value === this.emptyField || value === "") continue;
      if (this.containers[i]) {
        for (const element of value.split(this.setSeparator)) {
          if (element !== this.unsetField && element !== "") row.add(slot, element);
        }
      } else row.add(slot, value);
    }
    return EVENT;
  }

  private directive(text: string): LineOutcome {
    if (text.startsWith("#separator")) {
      const rest = text.slice("#separator".length);
      const value = unescapeZeek(rest.replace(/^[ \t]/, ""));
      if (value.length > 0) this.separator = value;
      return NONE;
    }
    const parts = text.split(this.separator);
    const values = parts.slice(1);
    switch (parts[0]) {
      case "#set_separator":
        this.setSeparator = unescapeZeek(values.join(this.separator)) || ",";
        break;
      case "#empty_field":
        this.emptyField = unescapeZeek(values.join(this.separator));
        break;
      case "#unset_field":
        this.unsetField = unescapeZeek(values.join(this.separator));
        break;
      case "#fields":
        this.fieldNames = values;
        this.fields = values.map((raw) => {
          const name = cleanHeaderName(raw, this.acceptable);
          if (name === "") this.dropped.add(raw);
          return this.row.slot(name);
        });
        this.containers = [];
        break;
      case "#types":
        this.containers = values.map((t) => /^(?:set|vector|table)\[/.test(t));
        break;
      default:
        break; // #path, #open, #close and comments
    }
    return NONE;
  }
}
