/**
 * Reading detections and their tests (searches/README.md describes the formats):
 *
 * - a security_content detection or baseline `.yml` (name, search, type, status, rba or tags,
 *   tests[].attack_data[] — or the flattened tests[]{data, sourcetype, source} of the corpus dump —
 *   deployment.scheduling; a baseline's tags.detections names the detections it supports);
 * - a `.spl` search with a sidecar `<stem>.test.yml`; a `.yml` detection may have one too, whose
 *   tests are added to its own;
 * - an Elastic rule file (`.toml`, elastic/detection-rules' format, read as it is) with a sidecar:
 *   `<stem>.test.yml` beside it, or a test file naming it with `rule:` (inside the test file's
 *   folder). Its tests check the alert rows (`spelunk run RULE.toml`'s table); the keys that only
 *   mean something for SPL (rba, needs, schedule, macros) are problems in such a test file.
 *
 * A sidecar is checked strictly (an unknown key is a problem, so a typo such as `expects:` cannot
 * silently turn a test into "at least one row"); security_content's YAML is read leniently (its
 * schema is contentctl's, most keys do not matter here). Problems with a test file do not stop the
 * run: they make that detection's tests fail with the message.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import { attackDataRepoPath } from "../ingest/manifest.js";
import type { MacroDefinition } from "../macros/library.js";
import { loadMacroDir, parseMacroYaml, parseMacrosConf } from "../macros/load.js";
import { parseTimeArg } from "../time/relative.js";
import {
  DEFAULT_SCHEDULE,
  type BaselineRef,
  type DataRef,
  type Detection,
  type ElasticRuleRef,
  type Expectation,
  type PatternValue,
  type RiskSpec,
  type RowPattern,
  type Schedule,
  type TestCase,
} from "./model.js";
import { resolveInTree, TestPathError } from "./paths.js";
import { checkCron } from "./schedule.js";

/** A PATH given to `spelunk test` that cannot be read at all. */
export class DetectionLoadError extends Error {}

const MAX_DEPTH = 8;
const MAX_FILES = 50_000;
const MAX_TESTS = 1000;
const MAX_PATTERNS = 10_000;
const MAX_FILE_BYTES = 8 * 1024 * 1024;

const SIDECAR = /\.test\.ya?ml$/i;
const SEARCH_FILE = /\.(spl|ya?ml|toml)$/i;
/** The files a sidecar `<stem>.test.yml` may belong to, in this order. */
const SEARCH_EXTENSIONS = [".spl", ".yml", ".yaml", ".toml"];

const isRuleFile = (path: string) => extname(path).toLowerCase() === ".toml";

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

/** Detections of the given files and folders, in the order found (folders sorted). */
export function loadDetections(paths: readonly string[]): Detection[] {
  const searchFiles: Array<{ path: string; explicit: boolean }> = [];
  const orphanSidecars: string[] = [];
  const seen = new Set<string>();
  const addSearch = (path: string, explicit: boolean) => {
    const key = resolve(path);
    if (!seen.has(key)) (seen.add(key), searchFiles.push({ path, explicit }));
  };
  const addOrphan = (path: string) => {
    const key = `sidecar\u0000${resolve(path)}`;
    if (!seen.has(key)) (seen.add(key), orphanSidecars.push(path));
  };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new DetectionLoadError(`cannot read ${path}: no such file or folder`);
    }
    if (stat.isDirectory()) {
      const found = { files: [] as string[], sidecars: [] as string[] };
      walk(path, 0, found);
      for (const f of found.files) addSearch(f, false);
      for (const s of found.sidecars) if (!searchFileFor(s)) addOrphan(s);
    } else if (SIDECAR.test(path)) {
      const search = searchFileFor(path);
      if (search) addSearch(search, true);
      else addOrphan(path);
    } else {
      addSearch(path, true);
    }
  }

  const detections: Detection[] = [];
  for (const { path, explicit } of searchFiles) {
    const d = readDetection(path, explicit);
    if (d) detections.push(d);
  }
  for (const s of orphanSidecars) detections.push(readOrphanSidecar(s));
  // A rule that a test file elsewhere in the tree names with `rule:` is tested there, not listed again as untested.
  const claimed = new Set(detections.filter((d) => d.elastic && d.sidecar && !isBeside(d.sidecar, d.file)).map((d) => resolve(d.file)));
  return linkBaselines(detections.filter((d) => !(d.elastic && !d.sidecar && claimed.has(resolve(d.file)))));
}

function isBeside(sidecar: string, file: string): boolean {
  return resolve(dirname(sidecar)) === resolve(dirname(file)) && basename(sidecar).replace(SIDECAR, "") === basename(file, extname(file));
}

/**
 * A sidecar with no search file beside it: the test file of the Elastic rule its `rule:` key names
 * (a path inside its folder), or a problem.
 */
function readOrphanSidecar(s: string): Detection {
  const stem = basename(s).replace(SIDECAR, "");
  const dir = dirname(s);
  const failed = (problem: string): Detection => ({
    file: s, sidecar: s, dir, name: stem, stem, search: "", kind: "detection", tests: [], needs: [], supports: [], schedule: DEFAULT_SCHEDULE,
    problems: [problem],
  });
  let doc: unknown;
  try {
    doc = parseYaml(readText(s));
  } catch (e) {
    return failed(`${s}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const written = isDict(doc) ? doc["rule"] : undefined;
  if (written === undefined || written === null) {
    return failed(`${s}: no search file beside it (expected ${stem}.spl, ${stem}.yml or ${stem}.toml in ${dir}, or rule: naming an Elastic rule file)`);
  }
  if (typeof written !== "string") return failed(`${s}: rule should be the path of an Elastic rule file (.toml)`);
  let path: string;
  try {
    path = resolveInTree(dir, written, "rule", s);
  } catch (e) {
    if (e instanceof TestPathError) return failed(e.message);
    throw e;
  }
  if (!isRuleFile(path)) return failed(`${s}: rule ${written} is not an Elastic rule file (.toml)`);
  if (!isFile(path)) return failed(`${s}: rule ${written}: no such file (no ${path})`);
  return readElasticDetection(path, s, true)!;
}

function walk(dir: string, depth: number, found: { files: string[]; sidecars: string[] }): void {
  if (depth > MAX_DEPTH) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    throw new DetectionLoadError(`cannot read folder ${dir}: ${(e as Error).message}`);
  }
  for (const entry of entries) {
    if (found.files.length + found.sidecars.length >= MAX_FILES) throw new DetectionLoadError(`more than ${MAX_FILES} files under ${dir}; give narrower folders`);
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, depth + 1, found);
    else if (entry.isFile() && SIDECAR.test(entry.name)) found.sidecars.push(path);
    else if (entry.isFile() && SEARCH_FILE.test(entry.name)) found.files.push(path);
  }
}

function searchFileFor(sidecar: string): string | undefined {
  const stem = basename(sidecar).replace(SIDECAR, "");
  for (const ext of SEARCH_EXTENSIONS) {
    const p = join(dirname(sidecar), stem + ext);
    if (isFile(p)) return p;
  }
  return undefined;
}

/** The sidecar of a search or rule file: `<stem>.test.yml` beside it, unless it belongs to a file of the same stem that comes first. */
function sidecarFor(file: string): string | undefined {
  const stem = basename(file, extname(file));
  for (const ext of [".test.yml", ".test.yaml"]) {
    const p = join(dirname(file), stem + ext);
    if (isFile(p)) {
      const owner = searchFileFor(p);
      return owner === undefined || resolve(owner) === resolve(file) ? p : undefined;
    }
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function readText(path: string): string {
  const size = statSync(path).size;
  if (size > MAX_FILE_BYTES) throw new Error(`${size} bytes is too big for a search or test file`);
  return readFileSync(path, "utf8");
}

/**
 * One search file and its sidecar. A .yml found in a folder that is not a detection (a macro, a
 * story, an attack_data manifest: no `search:` key) is not one and is passed over.
 */
function readDetection(file: string, explicit: boolean): Detection | undefined {
  if (isRuleFile(file)) return readElasticDetection(file, sidecarFor(file), explicit);
  const stem = basename(file, extname(file));
  const dir = dirname(file);
  const problems: string[] = [];
  let text: string;
  try {
    text = readText(file);
  } catch (e) {
    throw new DetectionLoadError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  let base: Mutable;
  if (extname(file).toLowerCase() === ".spl") {
    base = { name: stem, search: text, kind: inBaselinesFolder(file) ? "baseline" : "detection", tests: [], needs: [], supports: [], schedule: DEFAULT_SCHEDULE };
  } else {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      if (!explicit) return undefined;
      throw new DetectionLoadError(`${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    if (!isDict(doc) || typeof doc["search"] !== "string") {
      if (!explicit) return undefined;
      throw new DetectionLoadError(`${file}: no search: key (expected a security_content detection or baseline)`);
    }
    base = readContentYaml(doc, file, stem, problems);
  }
  const sidecar = sidecarFor(file);
  if (sidecar) applySidecar(base, sidecar, problems, undefined);
  return {
    file,
    ...(sidecar ? { sidecar } : {}),
    dir: sidecar ? dirname(sidecar) : dir,
    name: base.name,
    stem,
    search: base.search,
    kind: base.kind,
    ...(base.status !== undefined ? { status: base.status } : {}),
    ...(base.risk ? { risk: base.risk } : {}),
    tests: base.tests,
    needs: base.needs,
    supports: base.supports,
    schedule: base.schedule,
    problems,
  };
}

interface Mutable {
  name: string;
  search: string;
  kind: Detection["kind"];
  status?: string;
  risk?: RiskSpec;
  tests: TestCase[];
  needs: BaselineRef[];
  supports: string[];
  schedule: Schedule;
}

/**
 * An Elastic rule file and its test file. The rule is only glanced at here (its name, and whether it
 * is a rule at all: a `[rule]` table); running it reads it fully, and a broken rule fails its tests
 * with the error located in the file. A `.toml` found in a folder that is not a rule (a
 * pyproject.toml ...) and has no test file is passed over.
 */
function readElasticDetection(file: string, sidecar: string | undefined, explicit: boolean): Detection | undefined {
  const stem = basename(file, extname(file));
  const problems: string[] = [];
  let text: string | undefined;
  try {
    text = readText(file);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    if (!sidecar) throw new DetectionLoadError(`cannot read ${file}: ${why}`);
    problems.push(`cannot read the rule ${file}: ${why}`);
  }
  const glance = text === undefined ? { isRule: true } : glanceAtRule(text);
  // Not valid TOML: a rule file named on purpose is run anyway, so that the error is shown where it is.
  if (glance === undefined && !explicit && !sidecar) return undefined;
  if (glance?.isRule === false) {
    if (!explicit && !sidecar) return undefined;
    const problem = `${file}: not an Elastic rule file (no [rule] table)`;
    if (!sidecar) throw new DetectionLoadError(problem);
    problems.push(problem);
  }
  const name = glance?.name;
  const base: Mutable = { name: name ?? stem, search: "", kind: "detection", tests: [], needs: [], supports: [], schedule: DEFAULT_SCHEDULE };
  const elastic: { rule: string; mappings: string[] } = { rule: file, mappings: [] };
  if (sidecar) applySidecar(base, sidecar, problems, elastic);
  const ref: ElasticRuleRef = elastic;
  return {
    file,
    ...(sidecar ? { sidecar } : {}),
    dir: sidecar ? dirname(sidecar) : dirname(file),
    name: base.name,
    stem,
    search: "",
    kind: "detection",
    elastic: ref,
    tests: base.tests,
    needs: [],
    supports: [],
    schedule: DEFAULT_SCHEDULE,
    problems,
  };
}

/** Whether a TOML text is a rule (has a `[rule]` table) and its name; undefined when it is not TOML. */
function glanceAtRule(text: string): { isRule: boolean; name?: string } | undefined {
  let doc: unknown;
  try {
    doc = parseToml(text);
  } catch {
    return undefined;
  }
  const rule = isDict(doc) ? doc["rule"] : undefined;
  if (!isDict(rule)) return { isRule: false };
  return typeof rule["name"] === "string" && rule["name"].trim() !== "" ? { isRule: true, name: rule["name"] } : { isRule: true };
}

function inBaselinesFolder(file: string): boolean {
  return resolve(file).split(/[\\/]/).slice(0, -1).includes("baselines");
}

// ---------------------------------------------------------------------------------------------
// security_content YAML

function readContentYaml(doc: Dict, file: string, stem: string, problems: string[]): Mutable {
  const type = typeof doc["type"] === "string" ? doc["type"] : "";
  const kind: Detection["kind"] =
    type.toLowerCase() === "baseline" || inBaselinesFolder(file) ? "baseline" : type.toLowerCase() === "correlation" ? "correlation" : "detection";
  const tags = isDict(doc["tags"]) ? doc["tags"] : {};
  const out: Mutable = {
    name: typeof doc["name"] === "string" && doc["name"].trim() !== "" ? doc["name"] : stem,
    search: doc["search"] as string,
    kind,
    tests: [],
    needs: [],
    supports: Array.isArray(tags["detections"]) ? tags["detections"].filter((d): d is string => typeof d === "string") : [],
    schedule: contentSchedule(doc, file, problems),
  };
  if (typeof doc["status"] === "string") out.status = doc["status"];
  const risk = doc["rba"] !== undefined && doc["rba"] !== null ? readRba(doc["rba"], `${file}: rba`, problems) : legacyRisk(tags);
  if (risk) out.risk = risk;
  const tests = doc["tests"];
  if (Array.isArray(tests)) {
    // The corpus dump flattens tests[].attack_data[] into one entry per file, with the test's name repeated.
    const byName = new Map<string, DataRef[]>();
    const order: string[] = [];
    tests.slice(0, MAX_TESTS).forEach((t, i) => {
      const where = `${file}: tests[${i}]`;
      if (!isDict(t)) return void problems.push(`${where}: expected a mapping with name and attack_data`);
      const name = typeof t["name"] === "string" ? t["name"] : `test ${i + 1}`;
      const entries = Array.isArray(t["attack_data"]) ? t["attack_data"] : t["data"] !== undefined ? [t] : [];
      if (entries.length === 0) problems.push(`${where} (${name}): no attack_data`);
      const refs = entries.map((e, j) => readDataRef(e, `${where} attack_data[${j}]`, problems, false)).filter((r): r is DataRef => r !== undefined);
      if (!byName.has(name)) (byName.set(name, []), order.push(name));
      byName.get(name)!.push(...refs);
    });
    for (const name of order) out.tests.push({ name, data: byName.get(name)!, macros: [], macroFiles: [] });
  } else if (tests !== undefined && tests !== null) {
    problems.push(`${file}: tests should be a list`);
  }
  return out;
}

/** Older ESCU content: `deployment: {scheduling: {cron_schedule, earliest_time, latest_time}}`. */
function contentSchedule(doc: Dict, file: string, problems: string[]): Schedule {
  const deployment = doc["deployment"];
  const scheduling = isDict(deployment) && isDict(deployment["scheduling"]) ? deployment["scheduling"] : undefined;
  if (!scheduling) return DEFAULT_SCHEDULE;
  return readSchedule({ cron: scheduling["cron_schedule"], earliest: scheduling["earliest_time"], latest: scheduling["latest_time"] }, `${file}: deployment.scheduling`, problems);
}

function readRba(v: unknown, where: string, problems: string[]): RiskSpec | undefined {
  if (!isDict(v)) return void problems.push(`${where}: expected a mapping with message, risk_objects, threat_objects`);
  const message = typeof v["message"] === "string" ? v["message"] : "";
  if (typeof v["message"] !== "string") problems.push(`${where}: message should be text`);
  const riskObjects: Array<{ field: string; type: string; score: number }> = [];
  const threatObjects: Array<{ field: string; type: string }> = [];
  const list = (key: string): unknown[] => {
    const l = v[key];
    if (l === undefined || l === null) return [];
    if (!Array.isArray(l)) return problems.push(`${where}.${key}: should be a list`), [];
    return l;
  };
  list("risk_objects").forEach((o, i) => {
    const at = `${where}.risk_objects[${i}]`;
    if (!isDict(o) || typeof o["field"] !== "string" || o["field"] === "") return void problems.push(`${at}: needs a field`);
    const score = typeof o["score"] === "number" ? o["score"] : Number(o["score"]);
    if (!Number.isFinite(score)) problems.push(`${at}: score should be a number`);
    riskObjects.push({ field: o["field"], type: typeof o["type"] === "string" ? o["type"] : "other", score: Number.isFinite(score) ? score : 0 });
  });
  list("threat_objects").forEach((o, i) => {
    const at = `${where}.threat_objects[${i}]`;
    if (!isDict(o) || typeof o["field"] !== "string" || o["field"] === "") return void problems.push(`${at}: needs a field`);
    threatObjects.push({ field: o["field"], type: typeof o["type"] === "string" ? o["type"] : "other" });
  });
  return { message, riskObjects, threatObjects, origin: "rba" };
}

/** Risk before `rba:` (ESCU 4.x): tags.message, tags.observable, tags.impact × tags.confidence / 100. */
function legacyRisk(tags: Dict): RiskSpec | undefined {
  const observables = Array.isArray(tags["observable"]) ? tags["observable"].filter(isDict) : [];
  if (observables.length === 0) return undefined;
  const impact = Number(tags["impact"]);
  const confidence = Number(tags["confidence"]);
  const score = Number.isFinite(impact) && Number.isFinite(confidence) ? (impact * confidence) / 100 : Number(tags["risk_score"]) || 0;
  const riskObjects: Array<{ field: string; type: string; score: number }> = [];
  const threatObjects: Array<{ field: string; type: string }> = [];
  for (const o of observables) {
    if (typeof o["name"] !== "string") continue;
    const roles = (Array.isArray(o["role"]) ? o["role"] : [o["role"]]).map((r) => String(r).toLowerCase());
    const type = typeof o["type"] === "string" ? o["type"] : "other";
    if (roles.includes("victim")) riskObjects.push({ field: o["name"], type: riskObjectType(type), score });
    else threatObjects.push({ field: o["name"], type: type.toLowerCase().replace(/\s+/g, "_") });
  }
  return { message: typeof tags["message"] === "string" ? tags["message"] : "", riskObjects, threatObjects, origin: "tags" };
}

function riskObjectType(observableType: string): string {
  const t = observableType.toLowerCase();
  if (["hostname", "ip address", "endpoint", "system", "url string"].includes(t)) return "system";
  if (["user", "user name", "email address", "email"].includes(t)) return "user";
  return "other";
}

// ---------------------------------------------------------------------------------------------
// sidecars

const SIDECAR_KEYS = new Set(["name", "rba", "needs", "schedule", "tz", "now", "earliest", "latest", "macros", "macros_file", "data", "tests"]);
const TEST_KEYS = new Set(["name", "data", "expect", "macros", "macros_file", "now", "earliest", "latest", "tz", "skip"]);
/** An Elastic rule's test file: no SPL settings; `rule:` (the rule file) and `mappings:` (ECS mappings) instead. */
const ELASTIC_SIDECAR_KEYS = new Set(["name", "rule", "mappings", "tz", "now", "earliest", "latest", "data", "tests"]);
const ELASTIC_TEST_KEYS = new Set(["name", "data", "expect", "now", "earliest", "latest", "tz", "skip"]);
/** Keys of a search's test file that mean nothing for an Elastic rule, and why. */
const NOT_FOR_ELASTIC: Readonly<Record<string, string>> = {
  rba: "an Elastic rule's alerts carry its own risk_score and severity",
  needs: "an Elastic rule needs no baseline",
  schedule: "the rule's own interval and from are its schedule; bound its runs with earliest and latest",
  macros: "an Elastic rule has no macros",
  macros_file: "an Elastic rule has no macros",
};
const DATA_KEYS = new Set(["path", "attack_data", "data", "sourcetype", "source", "host", "index"]);
const EXPECT_KEYS = new Set(["rows", "none", "present", "absent"]);

/**
 * Reads a sidecar into `base`. `elastic` is set when the sidecar is an Elastic rule's: `rule:` must
 * then name that rule, and the ECS mappings it names are added to `elastic.mappings`.
 */
function applySidecar(base: Mutable, sidecar: string, problems: string[], elastic: { rule: string; mappings: string[] } | undefined): void {
  const dir = dirname(sidecar);
  let doc: unknown;
  try {
    doc = parseYaml(readText(sidecar));
  } catch (e) {
    return void problems.push(`${sidecar}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) return void problems.push(`${sidecar}: empty test file`);
  if (!isDict(doc)) return void problems.push(`${sidecar}: expected a mapping with tests:`);
  if (elastic) return applyElasticSidecar(base, doc, sidecar, problems, elastic);
  if (doc["rule"] !== undefined) {
    problems.push(`${sidecar}: rule: names an Elastic rule, but this test file belongs to the search ${searchFileFor(sidecar) ?? base.name} beside it`);
    delete doc["rule"];
  }
  unknownKeys(doc, SIDECAR_KEYS, sidecar, problems);
  if (doc["name"] !== undefined) {
    if (typeof doc["name"] === "string" && doc["name"].trim() !== "") base.name = doc["name"];
    else problems.push(`${sidecar}: name should be text`);
  }
  if (doc["rba"] !== undefined) {
    const risk = readRba(doc["rba"], `${sidecar}: rba`, problems);
    if (risk) base.risk = risk;
  }
  if (doc["schedule"] !== undefined) {
    if (!isDict(doc["schedule"])) problems.push(`${sidecar}: schedule should be a mapping with cron, earliest, latest`);
    else {
      unknownKeys(doc["schedule"], new Set(["cron", "earliest", "latest"]), `${sidecar}: schedule`, problems);
      base.schedule = readSchedule(doc["schedule"], `${sidecar}: schedule`, problems, base.schedule);
    }
  }
  if (doc["needs"] !== undefined) base.needs.push(...readNeeds(doc["needs"], dir, sidecar, problems));
  const shared = {
    ...readMacros(doc, dir, sidecar, problems),
    tz: readTz(doc["tz"], `${sidecar}: tz`, problems),
    now: readTime(doc["now"], `${sidecar}: now`, problems),
    earliest: readTime(doc["earliest"], `${sidecar}: earliest`, problems),
    latest: readTime(doc["latest"], `${sidecar}: latest`, problems),
    data: doc["data"] === undefined ? undefined : readDataList(doc["data"], `${sidecar}: data`, problems),
  };
  readSidecarTests(base, doc["tests"], dir, sidecar, problems, shared, false);
}

type SharedSettings = { macros: MacroDefinition[]; macroFiles: MacroDefinition[]; tz?: string | undefined; now?: string | undefined; earliest?: string | undefined; latest?: string | undefined; data?: DataRef[] | undefined };

function readSidecarTests(base: Mutable, tests: unknown, dir: string, sidecar: string, problems: string[], shared: SharedSettings, elastic: boolean): void {
  if (tests === undefined || tests === null) return void problems.push(`${sidecar}: no tests: list`);
  if (!Array.isArray(tests)) return void problems.push(`${sidecar}: tests should be a list`);
  if (tests.length > MAX_TESTS) problems.push(`${sidecar}: more than ${MAX_TESTS} tests; only the first ${MAX_TESTS} are read`);
  const names = new Set<string>();
  tests.slice(0, MAX_TESTS).forEach((t, i) => {
    const test = readSidecarTest(t, i, dir, sidecar, problems, shared, elastic);
    if (!test) return;
    if (names.has(test.name)) problems.push(`${sidecar}: two tests are named "${test.name}"`);
    names.add(test.name);
    base.tests.push(test);
  });
}

/** An Elastic rule's test file: name, rule, mappings, tz/now/earliest/latest, data, tests. */
function applyElasticSidecar(base: Mutable, doc: Dict, sidecar: string, problems: string[], elastic: { rule: string; mappings: string[] }): void {
  const dir = dirname(sidecar);
  notForElastic(doc, sidecar, problems);
  unknownKeys(doc, ELASTIC_SIDECAR_KEYS, sidecar, problems, Object.keys(NOT_FOR_ELASTIC));
  if (doc["name"] !== undefined) {
    if (typeof doc["name"] === "string" && doc["name"].trim() !== "") base.name = doc["name"];
    else problems.push(`${sidecar}: name should be text`);
  }
  const rule = doc["rule"];
  if (rule !== undefined && rule !== null) {
    if (typeof rule !== "string") problems.push(`${sidecar}: rule should be the path of an Elastic rule file (.toml)`);
    else {
      try {
        const path = resolveInTree(dir, rule, "rule", sidecar);
        if (resolve(path) !== resolve(elastic.rule)) problems.push(`${sidecar}: rule ${rule} is not ${elastic.rule}, the rule this test file sits beside (remove rule:, or rename the test file)`);
      } catch (e) {
        if (e instanceof TestPathError) problems.push(e.message);
        else throw e;
      }
    }
  }
  const mappings = doc["mappings"];
  if (mappings !== undefined && mappings !== null) {
    const list = Array.isArray(mappings) ? mappings : [mappings];
    for (const m of list) {
      if (typeof m !== "string") {
        problems.push(`${sidecar}: mappings should be a path or a list of paths (ECS mapping files or folders)`);
        continue;
      }
      try {
        const path = resolveInTree(dir, m, "mappings", sidecar);
        if (!existsSync(path)) problems.push(`${sidecar}: mappings ${m}: no such file or folder (no ${path})`);
        else elastic.mappings.push(path);
      } catch (e) {
        if (e instanceof TestPathError) problems.push(e.message);
        else throw e;
      }
    }
  }
  const shared: SharedSettings = {
    macros: [],
    macroFiles: [],
    tz: readTz(doc["tz"], `${sidecar}: tz`, problems),
    now: readTime(doc["now"], `${sidecar}: now`, problems),
    earliest: readTime(doc["earliest"], `${sidecar}: earliest`, problems),
    latest: readTime(doc["latest"], `${sidecar}: latest`, problems),
    data: doc["data"] === undefined ? undefined : readDataList(doc["data"], `${sidecar}: data`, problems),
  };
  readSidecarTests(base, doc["tests"], dir, sidecar, problems, shared, true);
}

function notForElastic(doc: Dict, where: string, problems: string[]): void {
  for (const [key, why] of Object.entries(NOT_FOR_ELASTIC)) {
    if (doc[key] !== undefined) problems.push(`${where}: ${key} does not apply to an Elastic rule (${why})`);
  }
}

function readSidecarTest(
  t: unknown,
  i: number,
  dir: string,
  sidecar: string,
  problems: string[],
  shared: SharedSettings,
  elastic: boolean,
): TestCase | undefined {
  let where = `${sidecar}: tests[${i}]`;
  if (!isDict(t)) return void problems.push(`${where}: expected a mapping with name, data, expect`);
  const name = typeof t["name"] === "string" && t["name"].trim() !== "" ? t["name"] : `test ${i + 1}`;
  if (typeof t["name"] !== "string") problems.push(`${where}: name should be text`);
  where = `${sidecar}: test "${name}"`;
  if (elastic) notForElastic(t, where, problems);
  unknownKeys(t, elastic ? ELASTIC_TEST_KEYS : TEST_KEYS, where, problems, elastic ? Object.keys(NOT_FOR_ELASTIC) : []);
  const data = t["data"] !== undefined ? readDataList(t["data"], `${where}: data`, problems) : shared.data;
  if (!data) problems.push(`${where}: no data (give data: [{path, sourcetype}] in the test or at the top of the file)`);
  const own = elastic ? { macros: [], macroFiles: [] } : readMacros(t, dir, where, problems);
  const macros = [...shared.macros, ...own.macros];
  const macroFiles = [...shared.macroFiles, ...own.macroFiles];
  const tz = readTz(t["tz"], `${where}: tz`, problems) ?? shared.tz;
  const now = readTime(t["now"], `${where}: now`, problems) ?? shared.now;
  const earliest = readTime(t["earliest"], `${where}: earliest`, problems) ?? shared.earliest;
  const latest = readTime(t["latest"], `${where}: latest`, problems) ?? shared.latest;
  const expect = t["expect"] === undefined ? undefined : readExpect(t["expect"], `${where}: expect`, problems);
  let skip: string | undefined;
  if (t["skip"] !== undefined && t["skip"] !== false) skip = typeof t["skip"] === "string" ? t["skip"] : "skip: true in the test file";
  return {
    name,
    data: data ?? [],
    ...(expect ? { expect } : {}),
    macros,
    macroFiles,
    ...(tz !== undefined ? { tz } : {}),
    ...(now !== undefined ? { now } : {}),
    ...(earliest !== undefined ? { earliest } : {}),
    ...(latest !== undefined ? { latest } : {}),
    ...(skip !== undefined ? { skip } : {}),
  };
}

function unknownKeys(doc: Dict, known: ReadonlySet<string>, where: string, problems: string[], reported: readonly string[] = []): void {
  for (const key of Object.keys(doc)) {
    if (!known.has(key) && !reported.includes(key)) problems.push(`${where}: unknown key ${key} (expected one of ${[...known].join(", ")})`);
  }
}

function readDataList(v: unknown, where: string, problems: string[]): DataRef[] | undefined {
  const list = Array.isArray(v) ? v : isDict(v) ? [v] : undefined;
  if (!list) return void problems.push(`${where}: expected a list of {path, sourcetype}`);
  if (list.length === 0) return void problems.push(`${where}: the list is empty`);
  return list.map((e, i) => readDataRef(e, `${where}[${i}]`, problems, true)).filter((r): r is DataRef => r !== undefined);
}

/** One dataset: `path` (local), `attack_data` (URL or path in --attack-data), or security_content's `data` (URL or local path). */
function readDataRef(e: unknown, where: string, problems: string[], strict: boolean): DataRef | undefined {
  if (!isDict(e)) return void problems.push(`${where}: expected a mapping with path and sourcetype`);
  if (strict) unknownKeys(e, DATA_KEYS, where, problems);
  const given = ["path", "attack_data", "data"].filter((k) => e[k] !== undefined && e[k] !== null);
  if (given.length !== 1) return void problems.push(`${where}: give exactly one of path, attack_data or data`);
  const key = given[0]!;
  const raw = e[key];
  if (typeof raw !== "string" || raw.trim() === "") return void problems.push(`${where}: ${key} should be text`);
  const written = raw.trim();
  const text = (k: string): string | undefined => {
    const v = e[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string" && typeof v !== "number") return void problems.push(`${where}: ${k} should be text`);
    return String(v);
  };
  const sourcetype = text("sourcetype");
  const isManifest = /\.ya?ml$/i.test(written);
  if (sourcetype === undefined && !isManifest) return void problems.push(`${where}: ${written}: no sourcetype`);
  let kind: DataRef["kind"];
  let ref: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(written)) {
    const repoPath = attackDataRepoPath(written);
    if (repoPath === undefined) return void problems.push(`${where}: ${written} is a URL but not an attack_data one; spelunk reads local files (download it and give its path)`);
    kind = "attack_data";
    ref = repoPath;
  } else if (key === "attack_data") {
    kind = "attack_data";
    ref = written;
  } else {
    kind = "local";
    ref = written;
  }
  const optional = (k: "source" | "host" | "index") => {
    const v = text(k);
    return v !== undefined ? { [k]: v } : {};
  };
  return { written, kind, ref, ...(sourcetype !== undefined ? { sourcetype } : {}), ...optional("source"), ...optional("host"), ...optional("index") };
}

function readExpect(v: unknown, where: string, problems: string[]): Expectation | undefined {
  if (!isDict(v)) return void problems.push(`${where}: expected a mapping with rows, none, present or absent`);
  unknownKeys(v, EXPECT_KEYS, where, problems);
  const out: { rows?: number; none?: boolean; present: RowPattern[]; absent: RowPattern[] } = { present: [], absent: [] };
  if (v["rows"] !== undefined) {
    if (typeof v["rows"] === "number" && Number.isSafeInteger(v["rows"]) && v["rows"] >= 0) out.rows = v["rows"];
    else problems.push(`${where}: rows should be a whole number (0 or more)`);
  }
  if (v["none"] !== undefined) {
    if (typeof v["none"] === "boolean") out.none = v["none"];
    else problems.push(`${where}: none should be true or false`);
  }
  for (const key of ["present", "absent"] as const) {
    const l = v[key];
    if (l === undefined || l === null) continue;
    const list = Array.isArray(l) ? l : [l];
    if (list.length > MAX_PATTERNS) problems.push(`${where}: more than ${MAX_PATTERNS} ${key} rows`);
    list.slice(0, MAX_PATTERNS).forEach((p, i) => {
      const pattern = readPattern(p, `${where}: ${key}[${i}]`, problems);
      if (pattern) out[key].push(pattern);
    });
  }
  if (out.none && out.rows !== undefined && out.rows !== 0) problems.push(`${where}: none: true and rows: ${out.rows} contradict each other`);
  if ((out.none || out.rows === 0) && out.present.length > 0) problems.push(`${where}: present rows cannot be found when no rows are expected`);
  return out;
}

function readPattern(p: unknown, where: string, problems: string[]): RowPattern | undefined {
  if (!isDict(p) || Object.keys(p).length === 0) return void problems.push(`${where}: expected a mapping of field: value`);
  const out: Record<string, PatternValue> = {};
  for (const [field, value] of Object.entries(p)) {
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) out[field] = value as PatternValue;
    else if (Array.isArray(value) && value.every((x) => ["string", "number", "boolean"].includes(typeof x))) out[field] = value as PatternValue;
    else problems.push(`${where}: ${field} should be a value, a list of values, or null`);
  }
  return out;
}

/** `macros: {name: definition}` (a key `name(a, b)` declares arguments) and `macros_file: path | [paths]`. */
function readMacros(doc: Dict, dir: string, where: string, problems: string[]): { macros: MacroDefinition[]; macroFiles: MacroDefinition[] } {
  const macros: MacroDefinition[] = [];
  const out: MacroDefinition[] = [];
  const map = doc["macros"];
  if (map !== undefined && map !== null) {
    if (!isDict(map)) problems.push(`${where}: macros should be a mapping of macro name: definition`);
    else macros.push(...macroMap(map, `${where} macros`, problems));
  }
  const files = doc["macros_file"];
  if (files !== undefined && files !== null) {
    const list = Array.isArray(files) ? files : [files];
    for (const f of list) {
      if (typeof f !== "string") {
        problems.push(`${where}: macros_file should be a path or a list of paths`);
        continue;
      }
      try {
        const path = resolveInTree(dir, f, "macros_file", where);
        out.push(...readMacroFile(path, f, problems));
      } catch (e) {
        if (e instanceof TestPathError) problems.push(e.message);
        else throw e;
      }
    }
  }
  return { macros, macroFiles: out };
}

const MACRO_NAME = /^[^\s`()"]+$/;
const ARG_NAME = /^[A-Za-z0-9_-]+$/;

/** A `name` or `name(a, b)` macro key and its definition, or the problem. */
export function macroFromKey(key: string, definition: string, definedAt: string): MacroDefinition | string {
  const m = /^\s*([^\s(]+)\s*(?:\(([^)]*)\))?\s*$/.exec(key);
  if (!m || !MACRO_NAME.test(m[1]!)) return `"${key}" is not a macro name (write name or name(arg1, arg2))`;
  const args = m[2] === undefined || m[2].trim() === "" ? [] : m[2].split(",").map((a) => a.trim());
  const bad = args.find((a) => !ARG_NAME.test(a));
  if (bad !== undefined) return `macro ${key}: argument name "${bad}" may only contain letters, digits, "_" and "-"`;
  return { name: m[1]!, args, definition, iseval: false, definedAt };
}

function macroMap(map: Dict, where: string, problems: string[]): MacroDefinition[] {
  const out: MacroDefinition[] = [];
  for (const [key, def] of Object.entries(map)) {
    if (typeof def !== "string") {
      problems.push(`${where}: ${key}: the definition should be text (quote values such as "false")`);
      continue;
    }
    const m = macroFromKey(key, def, where);
    if (typeof m === "string") problems.push(`${where}: ${m}`);
    else out.push(m);
  }
  return out;
}

/** A macros.conf, a security_content macro .yml, a YAML mapping of name: definition, or a folder of them. */
function readMacroFile(path: string, written: string, problems: string[]): MacroDefinition[] {
  let result;
  try {
    if (statSync(path).isDirectory()) result = loadMacroDir(path, written);
    else {
      const text = readText(path);
      if (/\.conf$/i.test(path)) result = parseMacrosConf(text, written);
      else {
        const doc: unknown = parseYaml(text);
        if (isDict(doc) && doc["definition"] === undefined) return macroMap(doc, written, problems);
        result = parseMacroYaml(text, written);
      }
    }
  } catch (e) {
    problems.push(`macros_file ${written}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message.split("\n")[0]}`);
    return [];
  }
  for (const p of result.problems) problems.push(`${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`);
  return result.definitions;
}

function readNeeds(v: unknown, dir: string, where: string, problems: string[]): BaselineRef[] {
  const list = Array.isArray(v) ? v : [v];
  const out: BaselineRef[] = [];
  list.forEach((n, i) => {
    const at = `${where}: needs[${i}]`;
    let file: unknown = n;
    let data: DataRef[] = [];
    let range: { earliest?: string; latest?: string } = {};
    if (isDict(n)) {
      unknownKeys(n, new Set(["search", "data", "earliest", "latest"]), at, problems);
      file = n["search"];
      if (n["data"] !== undefined) data = readDataList(n["data"], `${at}.data`, problems) ?? [];
      const earliest = readTime(n["earliest"], `${at}.earliest`, problems);
      const latest = readTime(n["latest"], `${at}.latest`, problems);
      range = { ...(earliest !== undefined ? { earliest } : {}), ...(latest !== undefined ? { latest } : {}) };
    }
    if (typeof file !== "string") return void problems.push(`${at}: expected a baseline file (a path), or {search: path, data, earliest, latest}`);
    let path: string;
    try {
      path = resolveInTree(dir, file, "baseline", at);
    } catch (e) {
      if (e instanceof TestPathError) return void problems.push(e.message);
      throw e;
    }
    const baseline = readBaselineFile(path, file, at, problems);
    if (baseline) out.push({ ...baseline, data, dir, ...range });
  });
  return out;
}

function readBaselineFile(path: string, written: string, where: string, problems: string[]): Omit<BaselineRef, "data" | "dir"> | undefined {
  let text: string;
  try {
    text = readText(path);
  } catch (e) {
    return void problems.push(`${where}: baseline ${written}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  const stem = basename(path, extname(path));
  if (extname(path).toLowerCase() === ".spl") return { file: path, name: stem, search: text, stem };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    return void problems.push(`${where}: baseline ${written}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!isDict(doc) || typeof doc["search"] !== "string") return void problems.push(`${where}: baseline ${written} has no search: key`);
  return { file: path, name: typeof doc["name"] === "string" ? doc["name"] : stem, search: doc["search"], stem };
}

function readSchedule(v: Dict, where: string, problems: string[], base: Schedule = DEFAULT_SCHEDULE): Schedule {
  const text = (k: string, fallback: string): string => {
    const x = v[k];
    if (x === undefined || x === null) return fallback;
    if (typeof x !== "string" && typeof x !== "number") return problems.push(`${where}.${k}: should be text`), fallback;
    return String(x);
  };
  const out = { cron: text("cron", base.cron), earliest: text("earliest", base.earliest), latest: text("latest", base.latest) };
  const cronProblem = checkCron(out.cron);
  if (cronProblem) problems.push(`${where}.cron: ${cronProblem}`);
  for (const k of ["earliest", "latest"] as const) {
    if (parseTimeArg(out[k], 0, "UTC") === undefined) problems.push(`${where}.${k}: ${out[k]} is not a time (relative such as -70m@m, or absolute)`);
  }
  return out;
}

function readTime(v: unknown, where: string, problems: string[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString();
  if (typeof v !== "string" && typeof v !== "number") return void problems.push(`${where}: should be a time`);
  const s = String(v);
  if (parseTimeArg(s, 0, "UTC") === undefined) return void problems.push(`${where}: ${s} is not a time (epoch seconds, ISO-8601, or relative such as -24h@h)`);
  return s;
}

function readTz(v: unknown, where: string, problems: string[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || !isTimeZone(v)) return void problems.push(`${where}: ${String(v)} is not a time zone (use an IANA name such as UTC)`);
  return v;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * security_content links a baseline to the detections it supports by name (the baseline's
 * tags.detections); those detections need it, after the baselines their sidecars name.
 */
function linkBaselines(detections: Detection[]): Detection[] {
  const baselines = detections.filter((d) => d.kind === "baseline" && d.supports.length > 0);
  if (baselines.length === 0) return detections;
  return detections.map((d) => {
    const linked = baselines.filter((b) => b !== d && b.supports.includes(d.name) && !d.needs.some((n) => resolve(n.file) === resolve(b.file)));
    if (linked.length === 0) return d;
    return { ...d, needs: [...d.needs, ...linked.map((b) => ({ file: b.file, name: b.name, search: b.search, stem: b.stem, data: [], dir: b.dir }))] };
  });
}
