/** The loaded data as commands see it (implemented by src/exec/store.ts). */
import type { Table } from "../table/table.js";

export interface DataSource {
  /** Every loaded event, with its search-time fields, newest first (the order Splunk returns events in). */
  events(): Table;
  /** The data model summary (accelerated form) of a model, or undefined when no such model is loaded. */
  summary(model: string): import("../knowledge/summary.js").DataModelSummary | undefined;
  /** A lookup table by transforms.conf name or CSV file name. */
  lookup(name: string): import("../knowledge/lookup.js").LookupTable | undefined;
}
