/** Models persist in the model directory as versioned JSON, written atomically, read back or refused with the reason. */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyDensityFunction, fitDensityFunction, type ColumnLike } from "../../src/mltk/densityfunction.js";
import { parseDensityFunctionOptions, type DensityFunctionParams } from "../../src/mltk/options.js";
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, ModelStore, ModelStoreError } from "../../src/mltk/store.js";
import { expectations, num } from "./_expectations.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "spelunk-models-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const params = (o: Record<string, string> = {}, mode: "fit" | "apply" = "fit"): DensityFunctionParams => {
  const r = parseDensityFunctionOptions(o, mode);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const values = expectations.datasets.bimodal!.values.map(num);
const col = (v: number[]): ColumnLike => ({ length: v.length, get: (r) => v[r] ?? null });
const fitModel = (o: Record<string, string> = {}) => fitDensityFunction({ feature: "bytes", values: col(values), rows: values.length }, { params: params(o), into: "m" }).model;

describe("saving and loading", () => {
  it("a saved model applies after loading exactly as before (KDE data, thresholds and all)", async () => {
    const store = new ModelStore(join(dir, "models"));
    const model = fitModel({ dist: "gaussian_kde", threshold: "0.01,0.05" });
    await store.save("bytes_model", model);
    const loaded = await store.load("bytes_model");
    expect(loaded).toEqual(model);
    const probe = { feature: "bytes", values: col([0, 10, 15, 40]), rows: 4 };
    const a = applyDensityFunction(model, probe, { params: params({}, "apply") });
    const b = applyDensityFunction(loaded, probe, { params: params({}, "apply") });
    expect(b).toEqual(a);
    expect(await store.list()).toEqual(["bytes_model"]);
  });

  it("writes atomically: no temporary file is left, and saving again replaces the model", async () => {
    const store = new ModelStore(dir);
    await store.save("m1", fitModel({ dist: "norm" }));
    await store.save("m1", fitModel({ dist: "expon" }));
    expect(await readdir(dir)).toEqual(["m1.model.json"]);
    expect((await store.load("m1")).dist).toBe("expon");
    const file = JSON.parse(await readFile(join(dir, "m1.model.json"), "utf8"));
    expect(file).toMatchObject({ format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, algorithm: "DensityFunction", name: "m1" });
  });

  it("keeps non-finite numbers (JSON has none)", async () => {
    const store = new ModelStore(dir);
    const model = fitModel({ dist: "norm" });
    const odd = { ...model, groups: [{ ...model.groups[0]!, model: { ...model.groups[0]!.model, distance: NaN } }] };
    await store.save("odd", odd);
    expect((await store.load("odd")).groups[0]!.model.distance).toBeNaN();
  });

  it("delete removes the model; summary reads it", async () => {
    const store = new ModelStore(dir);
    await store.save("m2", fitModel({ dist: "beta" }));
    expect((await store.summary("m2")).rows[0]!.type).toBe("Beta");
    await store.delete("m2");
    expect(await store.list()).toEqual([]);
    await expect(store.delete("m2")).rejects.toThrow('Model "m2" does not exist');
  });
});

describe("clear errors", () => {
  const expectError = async (p: Promise<unknown>, code: string, message: RegExp) => {
    const e = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ModelStoreError);
    expect((e as ModelStoreError).code).toBe(code);
    expect((e as Error).message).toMatch(message);
  };

  it("a missing model", async () => {
    await expectError(new ModelStore(dir).load("nope"), "not-found", /^Model "nope" does not exist/);
  });
  it("a corrupt file", async () => {
    await writeFile(join(dir, "bad.model.json"), '{"format": "spelunk-mltk-model", "vers');
    await expectError(new ModelStore(dir).load("bad"), "corrupt", /^Model "bad" cannot be read: .* is not valid JSON/);
  });
  it("a foreign file", async () => {
    await writeFile(join(dir, "other.model.json"), JSON.stringify({ hello: "world" }));
    await expectError(new ModelStore(dir).load("other"), "foreign", /is not a spelunk model file/);
  });
  it("a model from a newer spelunk", async () => {
    await writeFile(join(dir, "future.model.json"), JSON.stringify({ format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION + 1, algorithm: "DensityFunction", model: {} }));
    await expectError(new ModelStore(dir).load("future"), "newer-version", /saved by a newer spelunk \(model format version 2; this spelunk reads versions up to 1\)/);
  });
  it("an incomplete model", async () => {
    await writeFile(join(dir, "half.model.json"), JSON.stringify({ format: MODEL_FORMAT, version: 1, algorithm: "DensityFunction", model: { algorithm: "DensityFunction" } }));
    await expectError(new ModelStore(dir).load("half"), "corrupt", /does not hold a complete DensityFunction model/);
  });
  it.each(["../etc/passwd", "a/b", "1abc", "", "a-b", "a.b", "model name"])("the name %j is refused (no paths)", async (name) => {
    await expectError(new ModelStore(dir).save(name, fitModel({ dist: "norm" })), "bad-name", /^Invalid model name/);
    await expectError(new ModelStore(dir).load(name), "bad-name", /^Invalid model name/);
  });
});
