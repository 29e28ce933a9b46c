/**
 * Replayed datasets as Elastic documents: each dataset is read as spelunk reads it for Splunk (the
 * sourcetype's props.conf says the format; src/ingest), then every ECS mapping that applies to its
 * sourcetype turns its events into documents in the dataset's index.
 *
 * - The index: the dataset's own (`--index`) when it names one, else the mapping's (a data stream
 *   such as logs-windows.sysmon_operational-default), else "main".
 * - `_id`: a hash of the dataset file, the event's position and its raw text, so that alerts have
 *   the same ids run after run (Kibana dedups alerts by a hash that includes the source `_id`).
 * - A dataset no mapping applies to gives no documents, and a warning.
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { IngestError, type DatasetSpec, type FormatSettings, type IngestProblem } from "../ingest/format.js";
import { readDataset } from "../ingest/read.js";
import type { Knowledge } from "../knowledge/knowledge.js";
import { appliesTo, documentBuilder, type MappingSet } from "./mapping.js";

export interface EcsDocument {
  readonly _id: string;
  readonly _index: string;
  /** The document as Elasticsearch would store it (`_source`). */
  readonly source: Record<string, unknown>;
  /** Which mapping made it and from which dataset (for messages). */
  readonly mapping: string;
  readonly dataset: string;
}

export interface LoadedDocuments {
  readonly documents: EcsDocument[];
  readonly problems: IngestProblem[];
  readonly warnings: string[];
}

/** The dataset's index when it names one; undefined lets the mapping decide. */
export type ElasticDatasetSpec = Omit<DatasetSpec, "index"> & { index?: string | undefined };

export async function loadDocuments(specs: readonly ElasticDatasetSpec[], knowledge: Knowledge, mappings: MappingSet): Promise<LoadedDocuments> {
  const documents: EcsDocument[] = [];
  const problems: IngestProblem[] = [];
  const warnings: string[] = [];
  for (const spec of specs) {
    const source = spec.source ?? resolve(spec.path);
    const applicable = mappings.mappings.filter((m) => appliesTo(m, spec.sourcetype, source));
    if (applicable.length === 0) {
      warnings.push(`${spec.path}: no ECS mapping for sourcetype ${spec.sourcetype}${spec.source ? ` (source ${spec.source})` : ""}; Elastic rules do not see its events (add a mapping with --mappings)`);
      continue;
    }
    const format: FormatSettings | undefined = knowledge.formatFor(spec.sourcetype, source) ?? fallbackFormat(applicable.map((m) => m.format));
    if (!format) throw new IngestError(`${spec.path}: ${knowledge.formatProblem(spec.sourcetype, source) ?? `cannot read sourcetype ${spec.sourcetype}`}`);
    const { index: _ignored, ...rest } = spec;
    const read = await readDataset({ ...rest, source, index: spec.index ?? "main" }, format);
    problems.push(...read.problems);
    const table = read.events;
    const raw = table.column("_raw");
    const file = resolve(spec.path);
    for (const mapping of applicable) {
      const build = documentBuilder(mapping, table);
      const index = spec.index ?? mapping.index ?? "main";
      for (let row = 0; row < table.length; row++) {
        const source = build(row);
        if (source === null) continue;
        const id = createHash("sha256").update(`${file}\u0000${row}\u0000${mapping.name}\u0000${String(raw?.get(row) ?? "")}`).digest("base64url").slice(0, 20);
        documents.push({ _id: id, _index: index, source, mapping: mapping.name, dataset: spec.path });
      }
    }
  }
  return { documents, problems, warnings };
}

/** When props.conf gives no format (XmlWinEventLog until KV_MODE = xml is read), the mapping's. */
function fallbackFormat(formats: ReadonlyArray<string | undefined>): FormatSettings | undefined {
  const f = formats.find((x) => x !== undefined);
  return f === undefined ? undefined : ({ kind: f } as FormatSettings);
}
