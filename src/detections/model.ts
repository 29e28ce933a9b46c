/**
 * What `spelunk test` works on: detections read from security_content YAML, from a `.spl` file
 * with a `<stem>.test.yml` sidecar (searches/README.md documents the sidecar), or from an Elastic
 * rule file (`.toml`) with one; their tests, the baselines they need, their risk settings and schedule. Everything here is plain data, read and
 * checked once by load.ts; the runner only runs it.
 */
import type { MacroDefinition } from "../macros/library.js";

/** A risk object of `rba:` (security_content): the field holding the object, its type, its score. */
export interface RiskObjectSpec {
  readonly field: string;
  readonly type: string;
  readonly score: number;
}

export interface ThreatObjectSpec {
  readonly field: string;
  readonly type: string;
}

/**
 * How a detection's results become risk events. From `rba:`; for older content (no `rba:`), from
 * `tags`: the message, the observables with role Victim as risk objects (the others as threat
 * objects), the score Impact × Confidence / 100 (or `tags.risk_score`).
 */
export interface RiskSpec {
  readonly message: string;
  readonly riskObjects: readonly RiskObjectSpec[];
  readonly threatObjects: readonly ThreatObjectSpec[];
  /** "rba": contentctl checks its fields in every test; "tags": only used for risk events. */
  readonly origin: "rba" | "tags";
}

/** One dataset of a test, as written in the test file. */
export interface DataRef {
  /** How the test file wrote it, for messages. */
  readonly written: string;
  /**
   * "local": a path relative to the test file's folder, which must stay inside that folder;
   * "attack_data": an attack_data download URL or a path inside the `--attack-data DIR` folder.
   */
  readonly kind: "local" | "attack_data";
  /** The relative path (local), or the path inside the attack data folder. */
  readonly ref: string;
  readonly sourcetype?: string;
  readonly source?: string;
  readonly host?: string;
  readonly index?: string;
}

/** A value a row must have: text with `*` wildcards, a number, a list (a multivalue, in order), or null (absent). */
export type PatternValue = string | number | boolean | null | ReadonlyArray<string | number | boolean>;
export type RowPattern = Readonly<Record<string, PatternValue>>;

/** What a test states beyond contentctl's rule. Absent: contentctl's rule alone. */
export interface Expectation {
  /** Exactly this many rows (replaces "at least one"). */
  readonly rows?: number;
  /** No rows at all (replaces "at least one"). */
  readonly none?: boolean;
  /** Each pattern matches at least one row. */
  readonly present: readonly RowPattern[];
  /** No row matches any of these. */
  readonly absent: readonly RowPattern[];
}

export interface TestCase {
  readonly name: string;
  readonly data: readonly DataRef[];
  readonly expect?: Expectation;
  /** The test's own macro definitions (`macros:`), over the library; one the search does not use is warned about. */
  readonly macros: readonly MacroDefinition[];
  /** Definitions read from `macros_file:` (a whole file of macros: unused ones are not warned about). */
  readonly macroFiles: readonly MacroDefinition[];
  readonly now?: string;
  readonly earliest?: string;
  readonly latest?: string;
  readonly tz?: string;
  /** Not run, with this reason. */
  readonly skip?: string;
}

/** A baseline (support search) a detection needs, run first into the test's model folder. */
export interface BaselineRef {
  /** The baseline's file. */
  readonly file: string;
  /** Its display name. */
  readonly name: string;
  readonly search: string;
  readonly stem: string;
  /** Its own datasets; empty: the datasets of the test that needs it. */
  readonly data: readonly DataRef[];
  /** The folder its data paths are relative to. */
  readonly dir: string;
  /** Its time range (a baseline is usually fitted on the days before those the detection runs on). */
  readonly earliest?: string;
  readonly latest?: string;
}

export interface Schedule {
  readonly cron: string;
  readonly earliest: string;
  readonly latest: string;
}

/** ESCU's defaults for scheduled detections: hourly, over the hour that ended ten minutes ago. */
export const DEFAULT_SCHEDULE: Schedule = { cron: "0 * * * *", earliest: "-70m@m", latest: "-10m@m" };

/** An Elastic rule (elastic/detection-rules TOML) tested with a sidecar; run by src/cli/elastic.ts. */
export interface ElasticRuleRef {
  /** The rule file (.toml). */
  readonly rule: string;
  /** ECS mapping files or folders the test file names (`mappings:`), beside the shipped mappings/. */
  readonly mappings: readonly string[];
}

export interface Detection {
  /** The search file (.spl or .yml), or the Elastic rule file (.toml), as found. */
  readonly file: string;
  /** The sidecar `<stem>.test.yml`, if there is one. */
  readonly sidecar?: string;
  /** The folder of the test file: its data paths resolve here and may not leave it. */
  readonly dir: string;
  readonly name: string;
  readonly stem: string;
  /** The search (empty for an Elastic rule). */
  readonly search: string;
  readonly kind: "detection" | "baseline" | "correlation";
  /** Set when the detection is an Elastic rule: its tests run the rule and check its alert rows. */
  readonly elastic?: ElasticRuleRef;
  readonly status?: string;
  readonly risk?: RiskSpec;
  readonly tests: readonly TestCase[];
  readonly needs: readonly BaselineRef[];
  /** Names of detections a security_content baseline supports (`tags.detections`). */
  readonly supports: readonly string[];
  readonly schedule: Schedule;
  /** Problems with the test file itself: every test of the detection fails with them. */
  readonly problems: readonly string[];
}
