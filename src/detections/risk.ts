/**
 * Risk events, as Enterprise Security's risk action writes them for each result of a detection that
 * fired: one per risk object value (a multivalue risk field gives one per value), with the score of
 * that risk object, the message with each `$field$` replaced by the row's value (a multivalue
 * joined with ", "; a token naming a field the row lacks is left as written, so a typo shows), and
 * the row's threat objects. The event time is the row's `_time`, else the run's now().
 */
import type { Table } from "../table/table.js";
import { scalarText, valuesOf } from "../table/value.js";
import { isNullValue } from "./expect.js";
import type { RiskSpec } from "./model.js";

export interface RiskEvent {
  readonly time: number;
  /** The now() of the run that fired. */
  readonly run: number;
  readonly search_name: string;
  readonly risk_object: string;
  readonly risk_object_field: string;
  readonly risk_object_type: string;
  readonly risk_score: number;
  readonly risk_message: string;
  readonly threat_objects: ReadonlyArray<{ readonly field: string; readonly type: string; readonly values: readonly string[] }>;
}

/** Risk events at most per run, so a search returning a million rows cannot exhaust memory here. */
export const MAX_RISK_EVENTS = 10_000;

export function riskEvents(table: Table, risk: RiskSpec, searchName: string, now: number, max = MAX_RISK_EVENTS): { events: RiskEvent[]; dropped: number } {
  const events: RiskEvent[] = [];
  let dropped = 0;
  for (let row = 0; row < table.length; row++) {
    const message = substitute(risk.message, table, row);
    const t = table.get(row, "_time");
    const time = typeof t === "number" ? t : now;
    const threats = risk.threatObjects
      .map((o) => ({ field: o.field, type: o.type, values: valuesOf(table.get(row, o.field)).map(scalarText).filter((v) => v !== "" && v !== "null") }))
      .filter((o) => o.values.length > 0);
    for (const o of risk.riskObjects) {
      const value = table.get(row, o.field);
      if (isNullValue(value)) continue;
      for (const v of valuesOf(value)) {
        const text = scalarText(v);
        if (text === "" || text === "null") continue;
        if (events.length >= max) {
          dropped++;
          continue;
        }
        events.push({ time, run: now, search_name: searchName, risk_object: text, risk_object_field: o.field, risk_object_type: o.type, risk_score: o.score, risk_message: message, threat_objects: threats });
      }
    }
  }
  return { events, dropped };
}

/** `$field$` → the row's value of field; `$$` stays. */
export function substitute(message: string, table: Table, row: number): string {
  return message.replace(/\$([^$\s]+)\$/g, (whole, field: string) => {
    const v = table.get(row, field);
    if (v === null) return whole;
    return valuesOf(v).map(scalarText).join(", ");
  });
}
