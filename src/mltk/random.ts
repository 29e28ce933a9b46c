/**
 * The random source of the DensityFunction port: the Mersenne Twister MT19937 with the draws of
 * numpy's legacy `RandomState` (what MLTK's `np.random.seed(random_state)` sets up): `random_sample`
 * (53-bit doubles), `standard_normal` (polar Box-Muller with the cached second value),
 * `standard_exponential`, masked-rejection `randint`, `permutation` (Fisher-Yates from the end),
 * `choice` with and without probabilities, `beta` and `standard_gamma` (Johnk / Marsaglia-Tsang).
 * The same seed gives the same stream of draws as numpy's `RandomState(seed)` up to the last bit of
 * the library `log`/`pow`, which is what makes `random_state=N` reproduce MLTK's random choices.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** Seeds must be integers in [0, 2^32 - 1], as numpy's legacy seeding requires. */
export const MAX_SEED = 0xffffffff;

export class RandomState {
  private readonly mt = new Uint32Array(N);
  private pos = N;
  private hasGauss = false;
  private gauss = 0;

  constructor(seed: number) {
    this.seed(seed);
  }

  /** numpy `RandomState.seed(int)`: `mt19937_seed` (init_genrand) and the Gaussian cache reset. */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError("Seed must be between 0 and 2**32 - 1");
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.mt[i] = s;
      // 1812433253 * (s ^ (s >>> 30)) + i + 1, modulo 2^32.
      const x = (s ^ (s >>> 30)) >>> 0;
      s = (Math.imul(1812433253, x) + i + 1) >>> 0;
    }
    this.pos = N;
    this.hasGauss = false;
    this.gauss = 0;
  }

  private generate(): void {
    const mt = this.mt;
    let kk = 0;
    let y: number;
    for (; kk < N - M; kk++) {
      y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
      mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (mt[N - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
    mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** The next 32-bit output (genrand_int32). */
  nextUint32(): number {
    if (this.pos >= N) this.generate();
    let y = this.mt[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits (genrand_res53, numpy `random_sample`). */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** numpy `legacy_gauss`: the polar method, keeping the second value for the next call. */
  standardNormal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const g = this.gauss;
      this.gauss = 0;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** numpy `legacy_standard_exponential`: -log(1 - U). */
  standardExponential(): number {
    return -Math.log(1 - this.randomSample());
  }

  /** An integer in [0, max] by masked rejection (numpy `random_interval`, and `randint` for ranges below 2^32). */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > MAX_SEED) throw new RangeError("ranges of 2^32 or more are not supported");
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const v = (this.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }

  /** numpy `randint(0, n, size)` (legacy, masked). */
  randint(n: number, size: number): Uint32Array {
    const out = new Uint32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.interval(n - 1);
    return out;
  }

  /** numpy `permutation(n)`: arange(n) shuffled from the end (legacy `_shuffle_raw`). */
  permutation(n: number): Uint32Array {
    const a = new Uint32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }

  /** numpy `choice(n, size, replace=True, p=weights)`: inverse CDF over the cumulative weights. */
  choiceWeighted(weights: Float64Array, size: number): Uint32Array {
    const cdf = new Float64Array(weights.length);
    let acc = 0;
    for (let i = 0; i < weights.length; i++) {
      acc += weights[i]!;
      cdf[i] = acc;
    }
    const last = cdf[cdf.length - 1]!;
    for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i]! / last;
    const out = new Uint32Array(size);
    for (let k = 0; k < size; k++) {
      const u = this.randomSample();
      // searchsorted(cdf, u, side="right"): the first index with cdf[i] > u.
      let lo = 0;
      let hi = cdf.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid]! <= u) lo = mid + 1;
        else hi = mid;
      }
      out[k] = lo;
    }
    return out;
  }

  /** numpy `legacy_standard_gamma`. */
  standardGamma(shape: number): number {
    if (shape === 1) return this.standardExponential();
    if (shape === 0) return 0;
    if (shape < 1) {
      for (let guard = 0; guard < 1_000_000; guard++) {
        const u = this.randomSample();
        const v = this.standardExponential();
        if (u <= 1 - shape) {
          const x = Math.pow(u, 1 / shape);
          if (x <= v) return x;
        } else {
          const y = -Math.log((1 - u) / shape);
          const x = Math.pow(1 - shape + shape * y, 1 / shape);
          if (x <= v + y) return x;
        }
      }
      return NaN;
    }
    const b = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * b);
    for (let guard = 0; guard < 1_000_000; guard++) {
      let x: number;
      let v: number;
      do {
        x = this.standardNormal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.randomSample();
      if (u < 1 - 0.0331 * (x * x) * (x * x)) return b * v;
      if (Math.log(u) < 0.5 * x * x + b * (1 - v + Math.log(v))) return b * v;
    }
    return NaN;
  }

  /** numpy `legacy_beta`. */
  beta(a: number, b: number): number {
    if (a <= 1 && b <= 1) {
      for (let guard = 0; guard < 1_000_000; guard++) {
        const u = this.randomSample();
        const v = this.randomSample();
        const x = Math.pow(u, 1 / a);
        const y = Math.pow(v, 1 / b);
        if (x + y <= 1 && u + v > 0) {
          if (x + y > 0) return x / (x + y);
          let logX = Math.log(u) / a;
          let logY = Math.log(v) / b;
          const logM = logX > logY ? logX : logY;
          logX -= logM;
          logY -= logM;
          return Math.exp(logX - Math.log(Math.exp(logX) + Math.exp(logY)));
        }
      }
      return NaN;
    }
    const ga = this.standardGamma(a);
    const gb = this.standardGamma(b);
    return ga / (ga + gb);
  }
}
