/**
 * The model directory: one versioned JSON file per model (`<name>.model.json`), written atomically
 * (a temporary file in the same folder, flushed, then renamed over the old one), read back with
 * checks that say why a file cannot be used (not JSON, not a spelunk model, a newer format).
 * Model names are MLTK's (`^[A-Za-z_][A-Za-z0-9_]*$`), so a name is never a path.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { join } from "node:path";
import { summarizeDensityFunction, type SavedDensityFunction, type SummaryTable } from "./densityfunction.js";

/** The `format` field of every model file. */
export const MODEL_FORMAT = "spelunk-mltk-model";
/** The newest format version this spelunk writes and reads. Older versions are read (upgraded) here. */
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_SUFFIX = ".model.json";

const MODEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type SavedModel = SavedDensityFunction;

/** A model file could not be written, read or found; the message says which model and why. */
export class ModelStoreError extends Error {
  constructor(
    message: string,
    readonly code: "bad-name" | "not-found" | "corrupt" | "foreign" | "newer-version" | "io",
  ) {
    super(message);
  }
}

export function checkModelName(name: string): void {
  if (!MODEL_NAME.test(name)) {
    throw new ModelStoreError(
      `Invalid model name "${name}": a model name starts with a letter or underscore and has only letters, digits and underscores`,
      "bad-name",
    );
  }
}

/** JSON has no NaN or ±Infinity: they are written as {"$float": "NaN"} and read back. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return { $float: String(value) };
  return value;
}
function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "$float") {
      const t = (value as { $float: unknown }).$float;
      if (t === "NaN") return NaN;
      if (t === "Infinity") return Infinity;
      if (t === "-Infinity") return -Infinity;
    }
  }
  return value;
}

interface ModelFile {
  readonly format: string;
  readonly version: number;
  readonly algorithm: string;
  readonly name: string;
  readonly savedAt: string;
  readonly model: unknown;
}

export class ModelStore {
  constructor(readonly dir: string) {}

  path(name: string): string {
    checkModelName(name);
    return join(this.dir, name + MODEL_SUFFIX);
  }

  /** Write the model: to a temporary file in the same folder, flushed to disk, then renamed into place. */
  async save(name: string, model: SavedModel): Promise<void> {
    const target = this.path(name);
    await mkdir(this.dir, { recursive: true });
    const file: ModelFile = { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, algorithm: model.algorithm, name, savedAt: new Date().toISOString(), model };
    const text = JSON.stringify(file, replacer) + "\n";
    const temp = join(this.dir, `.${name}${MODEL_SUFFIX}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      const handle = await open(temp, "wx");
      try {
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw new ModelStoreError(`Cannot save model "${name}" in ${this.dir}: ${(e as Error).message}`, "io");
    }
  }

  /** Read a model, or say why it cannot be used. */
  async load(name: string): Promise<SavedModel> {
    const path = this.path(name);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new ModelStoreError(`Model "${name}" does not exist (no ${path})`, "not-found");
      throw new ModelStoreError(`Cannot read model "${name}" (${path}): ${(e as Error).message}`, "io");
    }
    return parseModelFile(name, path, text);
  }

  /** The names of the models in the folder, sorted. */
  async list(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new ModelStoreError(`Cannot list models in ${this.dir}: ${(e as Error).message}`, "io");
    }
    return entries
      .filter((f) => f.endsWith(MODEL_SUFFIX))
      .map((f) => f.slice(0, -MODEL_SUFFIX.length))
      .filter((n) => MODEL_NAME.test(n))
      .sort();
  }

  async delete(name: string): Promise<void> {
    const path = this.path(name);
    try {
      await unlink(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new ModelStoreError(`Model "${name}" does not exist (no ${path})`, "not-found");
      throw new ModelStoreError(`Cannot delete model "${name}" (${path}): ${(e as Error).message}`, "io");
    }
  }

  /** `| summary <model>` rows. */
  async summary(name: string): Promise<SummaryTable> {
    return summarizeDensityFunction(await this.load(name));
  }
}

/** Check and upgrade the text of a model file. */
export function parseModelFile(name: string, path: string, text: string): SavedModel {
  let data: unknown;
  try {
    data = JSON.parse(text, reviver);
  } catch (e) {
    throw new ModelStoreError(`Model "${name}" cannot be read: ${path} is not valid JSON (${(e as Error).message}); fit the model again`, "corrupt");
  }
  if (data === null || typeof data !== "object" || Array.isArray(data) || (data as { format?: unknown }).format !== MODEL_FORMAT) {
    throw new ModelStoreError(`Model "${name}" cannot be read: ${path} is not a spelunk model file (no "format": "${MODEL_FORMAT}")`, "foreign");
  }
  const file = data as Partial<ModelFile>;
  if (typeof file.version !== "number" || !Number.isInteger(file.version) || file.version < 1) {
    throw new ModelStoreError(`Model "${name}" cannot be read: ${path} has no valid format version`, "corrupt");
  }
  if (file.version > MODEL_FORMAT_VERSION) {
    throw new ModelStoreError(
      `Model "${name}" was saved by a newer spelunk (model format version ${file.version}; this spelunk reads versions up to ${MODEL_FORMAT_VERSION}): upgrade spelunk or fit the model again`,
      "newer-version",
    );
  }
  if (file.algorithm !== "DensityFunction") {
    throw new ModelStoreError(`Model "${name}" uses algorithm ${JSON.stringify(file.algorithm)}, which spelunk cannot apply (only DensityFunction)`, "foreign");
  }
  const model = upgrade(file.version, file.model);
  if (!isSavedDensityFunction(model)) {
    throw new ModelStoreError(`Model "${name}" cannot be read: ${path} does not hold a complete DensityFunction model; fit the model again`, "corrupt");
  }
  return model;
}

/** Older format versions are converted here, one step at a time (version 1 is the first). */
function upgrade(version: number, model: unknown): unknown {
  let m = model;
  for (let v = version; v < MODEL_FORMAT_VERSION; v++) m = UPGRADES[v]!(m);
  return m;
}
const UPGRADES: Record<number, (m: unknown) => unknown> = {};

function isSavedDensityFunction(m: unknown): m is SavedDensityFunction {
  if (m === null || typeof m !== "object") return false;
  const x = m as Partial<SavedDensityFunction>;
  return (
    x.algorithm === "DensityFunction" &&
    typeof x.feature === "string" &&
    Array.isArray(x.by) &&
    typeof x.threshold === "object" &&
    Array.isArray(x.groups) &&
    x.groups.every(
      (g) =>
        g !== null &&
        typeof g === "object" &&
        typeof g.key === "string" &&
        Array.isArray(g.fields) &&
        g.model !== null &&
        typeof g.model === "object" &&
        typeof g.model.dist === "string" &&
        ["norm", "expon", "gaussian_kde", "beta"].includes(g.model.dist) &&
        typeof g.model.mean === "number" &&
        typeof g.model.std === "number" &&
        (g.model.dist !== "gaussian_kde" || Array.isArray(g.model.kdeData)) &&
        (g.model.dist !== "beta" || (typeof g.model.alpha === "number" && typeof g.model.beta === "number")),
    )
  );
}
