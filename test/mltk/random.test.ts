/** random_state=N gives numpy's legacy RandomState(N) stream (values from make_expectations.py). */
import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/mltk/random.js";
import { expectations, num } from "./_expectations.js";

const R = expectations.random;
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-13 * Math.max(1, Math.abs(b));

describe("random_state reproduces numpy's draws", () => {
  it("the Mersenne Twister words and doubles", () => {
    const r = new RandomState(42);
    // numpy's randint(0, 2**32, dtype=uint64) takes one 32-bit word per draw.
    expect(Array.from({ length: 5 }, () => r.nextUint32())).toEqual(R.uint32!.map(num));
    const s = new RandomState(42);
    Array.from({ length: 5 }, () => s.randomSample()).forEach((v, i) => expect(v).toBe(num(R.random_sample![i]!)));
  });

  it("normal, exponential, randint, permutation, beta, gamma and weighted choice, in one stream", () => {
    const r = new RandomState(42);
    for (let i = 0; i < 5; i++) r.randomSample();
    R.standard_normal!.forEach((v) => expect(close(r.standardNormal(), num(v))).toBe(true));
    R.standard_exponential!.forEach((v) => expect(close(r.standardExponential(), num(v))).toBe(true));
    expect(Array.from(r.randint(1000, 10))).toEqual(R.randint_1000!.map(num));
    expect(Array.from(r.permutation(10))).toEqual(R.permutation_10!.map(num));
    R.beta_2_5!.forEach((v) => expect(close(r.beta(2, 5), num(v))).toBe(true));
    R.beta_half!.forEach((v) => expect(close(r.beta(0.5, 0.5), num(v))).toBe(true));
    R.gamma_0_3!.forEach((v) => expect(close(r.standardGamma(0.3), num(v))).toBe(true));
    expect(Array.from(r.choiceWeighted(new Float64Array(7).fill(1 / 7), 10))).toEqual(R.choice_p!.map(num));
  });

  it("refuses seeds numpy refuses", () => {
    expect(() => new RandomState(-1)).toThrow("Seed must be between 0 and 2**32 - 1");
    expect(() => new RandomState(2 ** 32)).toThrow("Seed must be between 0 and 2**32 - 1");
  });
});
