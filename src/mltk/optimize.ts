/**
 * The two optimisers behind `scipy.stats.beta.fit`, ported step for step so that the beta fit
 * takes the same path as scipy's:
 * - `fsolve`: MINPACK's `hybrd` (Powell's hybrid method, forward-difference Jacobian, Broyden
 *   rank-1 updates), with scipy's defaults (xtol 1.49012e-8, maxfev 200(n+1), factor 100, dense
 *   Jacobian, epsfcn = machine epsilon). Used for the moment-matching start of `beta._fitstart`.
 * - `fmin`: scipy's Nelder-Mead (`_minimize_neldermead`, non-adaptive, xatol = fatol = 1e-4,
 *   200n iterations and calls), which `rv_continuous.fit` runs on the penalised likelihood.
 * Arrays below are 1-based (index 0 unused) to follow the Fortran line by line.
 */

const EPSMCH = 2.220446049250313e-16;
const GIANT = Number.MAX_VALUE;
const RDWARF = 3.834e-20;
const RGIANT = 1.304e19;

/** Fortran MAX/MIN of two values: the non-NaN one when one is NaN. */
const fmax = (a: number, b: number): number => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : a > b ? a : b);
const fmin2 = (a: number, b: number): number => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : a < b ? a : b);

/** MINPACK enorm of x[start .. start+n-1] (1-based start), with its three-sum overflow guard. */
function enorm(n: number, x: Float64Array, start = 1): number {
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let x1max = 0;
  let x3max = 0;
  const agiant = RGIANT / n;
  for (let i = 0; i < n; i++) {
    const xabs = Math.abs(x[start + i]!);
    if (xabs > RDWARF && xabs < agiant) s2 += xabs * xabs;
    else if (xabs <= RDWARF) {
      if (xabs <= x3max) {
        if (xabs !== 0) s3 += (xabs / x3max) ** 2;
      } else {
        s3 = 1 + s3 * (x3max / xabs) ** 2;
        x3max = xabs;
      }
    } else if (xabs <= x1max) s1 += (xabs / x1max) ** 2;
    else {
      s1 = 1 + s1 * (x1max / xabs) ** 2;
      x1max = xabs;
    }
  }
  if (s1 !== 0) return x1max * Math.sqrt(s1 + s2 / x1max / x1max);
  if (s2 === 0) return x3max * Math.sqrt(s3);
  if (s2 >= x3max) return Math.sqrt(s2 * (1 + (x3max / s2) * (x3max * s3)));
  return Math.sqrt(x3max * (s2 / x3max + x3max * s3));
}

/** A column-major n×m matrix with 1-based (i, j). */
class Mat {
  readonly a: Float64Array;
  constructor(
    readonly ld: number,
    cols: number,
  ) {
    this.a = new Float64Array(ld * cols);
  }
  get(i: number, j: number): number {
    return this.a[(j - 1) * this.ld + (i - 1)]!;
  }
  set(i: number, j: number, v: number): void {
    this.a[(j - 1) * this.ld + (i - 1)] = v;
  }
  /** Column j from row i on, as a 1-based view for enorm. */
  column(i: number, j: number): [Float64Array, number] {
    return [this.a, (j - 1) * this.ld + (i - 1)];
  }
}

function qrfac(m: number, n: number, a: Mat, rdiag: Float64Array, acnorm: Float64Array, wa: Float64Array): void {
  for (let j = 1; j <= n; j++) {
    const [arr, off] = a.column(1, j);
    acnorm[j] = enorm(m, arr, off);
    rdiag[j] = acnorm[j]!;
    wa[j] = rdiag[j]!;
  }
  const minmn = Math.min(m, n);
  for (let j = 1; j <= minmn; j++) {
    const [arr, off] = a.column(j, j);
    let ajnorm = enorm(m - j + 1, arr, off);
    if (ajnorm !== 0) {
      if (a.get(j, j) < 0) ajnorm = -ajnorm;
      for (let i = j; i <= m; i++) a.set(i, j, a.get(i, j) / ajnorm);
      a.set(j, j, a.get(j, j) + 1);
      for (let k = j + 1; k <= n; k++) {
        let sum = 0;
        for (let i = j; i <= m; i++) sum += a.get(i, j) * a.get(i, k);
        const temp = sum / a.get(j, j);
        for (let i = j; i <= m; i++) a.set(i, k, a.get(i, k) - temp * a.get(i, j));
      }
    }
    rdiag[j] = -ajnorm;
  }
}

function qform(m: number, n: number, q: Mat, wa: Float64Array): void {
  const minmn = Math.min(m, n);
  for (let j = 2; j <= minmn; j++) for (let i = 1; i <= j - 1; i++) q.set(i, j, 0);
  for (let j = n + 1; j <= m; j++) {
    for (let i = 1; i <= m; i++) q.set(i, j, 0);
    q.set(j, j, 1);
  }
  for (let l = 1; l <= minmn; l++) {
    const k = minmn - l + 1;
    for (let i = k; i <= m; i++) {
      wa[i] = q.get(i, k);
      q.set(i, k, 0);
    }
    q.set(k, k, 1);
    if (wa[k] !== 0) {
      for (let j = k; j <= m; j++) {
        let sum = 0;
        for (let i = k; i <= m; i++) sum += q.get(i, j) * wa[i]!;
        const temp = sum / wa[k]!;
        for (let i = k; i <= m; i++) q.set(i, j, q.get(i, j) - temp * wa[i]!);
      }
    }
  }
}

function dogleg(n: number, r: Float64Array, diag: Float64Array, qtb: Float64Array, delta: number, x: Float64Array, wa1: Float64Array, wa2: Float64Array): void {
  let jj = (n * (n + 1)) / 2 + 1;
  for (let k = 1; k <= n; k++) {
    const j = n - k + 1;
    jj -= k;
    let l = jj + 1;
    let sum = 0;
    for (let i = j + 1; i <= n; i++) {
      sum += r[l]! * x[i]!;
      l++;
    }
    let temp = r[jj]!;
    if (temp === 0) {
      l = j;
      for (let i = 1; i <= j; i++) {
        temp = fmax(temp, Math.abs(r[l]!));
        l = l + n - i;
      }
      temp = EPSMCH * temp;
      if (temp === 0) temp = EPSMCH;
    }
    x[j] = (qtb[j]! - sum) / temp;
  }
  for (let j = 1; j <= n; j++) {
    wa1[j] = 0;
    wa2[j] = diag[j]! * x[j]!;
  }
  const qnorm = enorm(n, wa2);
  if (!(qnorm > delta)) return;
  let l = 1;
  for (let j = 1; j <= n; j++) {
    const temp = qtb[j]!;
    for (let i = j; i <= n; i++) {
      wa1[i] = wa1[i]! + r[l]! * temp;
      l++;
    }
    wa1[j] = wa1[j]! / diag[j]!;
  }
  const gnorm = enorm(n, wa1);
  let sgnorm = 0;
  let alpha = delta / qnorm;
  if (gnorm !== 0) {
    for (let j = 1; j <= n; j++) wa1[j] = wa1[j]! / gnorm / diag[j]!;
    l = 1;
    for (let j = 1; j <= n; j++) {
      let sum = 0;
      for (let i = j; i <= n; i++) {
        sum += r[l]! * wa1[i]!;
        l++;
      }
      wa2[j] = sum;
    }
    const temp0 = enorm(n, wa2);
    sgnorm = gnorm / temp0 / temp0;
    alpha = 0;
    if (sgnorm < delta) {
      const bnorm = enorm(n, qtb);
      let temp = (bnorm / gnorm) * (bnorm / qnorm) * (sgnorm / delta);
      temp = temp - (delta / qnorm) * (sgnorm / delta) ** 2 + Math.sqrt((temp - delta / qnorm) ** 2 + (1 - (delta / qnorm) ** 2) * (1 - (sgnorm / delta) ** 2));
      alpha = ((delta / qnorm) * (1 - (sgnorm / delta) ** 2)) / temp;
    }
  }
  const temp = (1 - alpha) * fmin2(sgnorm, delta);
  for (let j = 1; j <= n; j++) x[j] = temp * wa1[j]! + alpha * x[j]!;
}

/** r1updt(m=n, n): s is the upper triangle of r stored by rows (= lower trapezoid by columns). */
function r1updt(m: number, n: number, s: Float64Array, u: Float64Array, v: Float64Array, w: Float64Array): boolean {
  let jj = (n * (2 * m - n + 1)) / 2 - (m - n);
  let l = jj;
  for (let i = n; i <= m; i++) {
    w[i] = s[l]!;
    l++;
  }
  const nm1 = n - 1;
  for (let nmj = 1; nmj <= nm1; nmj++) {
    const j = n - nmj;
    jj -= m - j + 1;
    w[j] = 0;
    if (v[j] !== 0) {
      let cos: number;
      let sin: number;
      let tau: number;
      if (Math.abs(v[n]!) >= Math.abs(v[j]!)) {
        const tan = v[j]! / v[n]!;
        cos = 0.5 / Math.sqrt(0.25 + 0.25 * tan * tan);
        sin = cos * tan;
        tau = sin;
      } else {
        const cotan = v[n]! / v[j]!;
        sin = 0.5 / Math.sqrt(0.25 + 0.25 * cotan * cotan);
        cos = sin * cotan;
        tau = 1;
        if (Math.abs(cos) * GIANT > 1) tau = 1 / cos;
      }
      v[n] = sin * v[j]! + cos * v[n]!;
      v[j] = tau;
      l = jj;
      for (let i = j; i <= m; i++) {
        const temp = cos * s[l]! - sin * w[i]!;
        w[i] = sin * s[l]! + cos * w[i]!;
        s[l] = temp;
        l++;
      }
    }
  }
  for (let i = 1; i <= m; i++) w[i] = w[i]! + v[n]! * u[i]!;
  let sing = false;
  for (let j = 1; j <= nm1; j++) {
    if (w[j] !== 0) {
      let cos: number;
      let sin: number;
      let tau: number;
      if (Math.abs(s[jj]!) >= Math.abs(w[j]!)) {
        const tan = w[j]! / s[jj]!;
        cos = 0.5 / Math.sqrt(0.25 + 0.25 * tan * tan);
        sin = cos * tan;
        tau = sin;
      } else {
        const cotan = s[jj]! / w[j]!;
        sin = 0.5 / Math.sqrt(0.25 + 0.25 * cotan * cotan);
        cos = sin * cotan;
        tau = 1;
        if (Math.abs(cos) * GIANT > 1) tau = 1 / cos;
      }
      l = jj;
      for (let i = j; i <= m; i++) {
        const temp = cos * s[l]! + sin * w[i]!;
        w[i] = -sin * s[l]! + cos * w[i]!;
        s[l] = temp;
        l++;
      }
      w[j] = tau;
    }
    if (s[jj] === 0) sing = true;
    jj += m - j + 1;
  }
  l = jj;
  for (let i = n; i <= m; i++) {
    s[l] = w[i]!;
    l++;
  }
  if (s[jj] === 0) sing = true;
  return sing;
}

/** r1mpyq on an m×n matrix given as get/set with 1-based indices. */
function r1mpyq(m: number, n: number, get: (i: number, j: number) => number, set: (i: number, j: number, v: number) => void, v: Float64Array, w: Float64Array): void {
  const nm1 = n - 1;
  if (nm1 < 1) return;
  for (let nmj = 1; nmj <= nm1; nmj++) {
    const j = n - nmj;
    let cos: number;
    let sin: number;
    if (Math.abs(v[j]!) > 1) {
      cos = 1 / v[j]!;
      sin = Math.sqrt(1 - cos * cos);
    } else {
      sin = v[j]!;
      cos = Math.sqrt(1 - sin * sin);
    }
    for (let i = 1; i <= m; i++) {
      const temp = cos * get(i, j) - sin * get(i, n);
      set(i, n, sin * get(i, j) + cos * get(i, n));
      set(i, j, temp);
    }
  }
  for (let j = 1; j <= nm1; j++) {
    let cos: number;
    let sin: number;
    if (Math.abs(w[j]!) > 1) {
      cos = 1 / w[j]!;
      sin = Math.sqrt(1 - cos * cos);
    } else {
      sin = w[j]!;
      cos = Math.sqrt(1 - sin * sin);
    }
    for (let i = 1; i <= m; i++) {
      const temp = cos * get(i, j) + sin * get(i, n);
      set(i, n, -sin * get(i, j) + cos * get(i, n));
      set(i, j, temp);
    }
  }
}

export interface FsolveResult {
  readonly x: number[];
  /** MINPACK's info: 1 converged, 2 too many calls, 3 xtol too small, 4/5 not making progress. */
  readonly info: number;
  readonly nfev: number;
}

/** scipy.optimize.fsolve(func, x0) with its defaults (MINPACK hybrd, mode 1). */
export function fsolve(func: (x: readonly number[]) => number[], x0: readonly number[], xtol = 1.49012e-8): FsolveResult {
  const n = x0.length;
  const maxfev = 200 * (n + 1);
  const factor = 100;
  const epsfcn = EPSMCH;
  const x = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) x[i + 1] = x0[i]!;
  const fvec = new Float64Array(n + 1);
  const diag = new Float64Array(n + 1);
  const fjac = new Mat(n, n);
  const lr = (n * (n + 1)) / 2;
  const r = new Float64Array(lr + 1);
  const qtf = new Float64Array(n + 1);
  const wa1 = new Float64Array(n + 1);
  const wa2 = new Float64Array(n + 1);
  const wa3 = new Float64Array(n + 1);
  const wa4 = new Float64Array(n + 1);
  const fcn = (xin: Float64Array, out: Float64Array): void => {
    const f = func(Array.from(xin.subarray(1, n + 1)));
    for (let i = 0; i < n; i++) out[i + 1] = f[i]!;
  };

  let info = 0;
  fcn(x, fvec);
  let nfev = 1;
  let fnorm = enorm(n, fvec);
  const msum = n; // dense Jacobian: min(ml + mu + 1, n) with ml = mu = n - 1
  let iter = 1;
  let ncsuc = 0;
  let ncfail = 0;
  let nslow1 = 0;
  let nslow2 = 0;
  let delta = 0;
  let xnorm = 0;

  outer: for (let outerGuard = 0; outerGuard < 10 * maxfev; outerGuard++) {
    let jeval = true;
    // fdjac1, dense.
    const eps = Math.sqrt(fmax(epsfcn, EPSMCH));
    for (let j = 1; j <= n; j++) {
      const temp = x[j]!;
      let h = eps * Math.abs(temp);
      if (h === 0) h = eps;
      x[j] = temp + h;
      fcn(x, wa1);
      x[j] = temp;
      for (let i = 1; i <= n; i++) fjac.set(i, j, (wa1[i]! - fvec[i]!) / h);
    }
    nfev += msum;
    qrfac(n, n, fjac, wa1, wa2, wa3);
    if (iter === 1) {
      for (let j = 1; j <= n; j++) {
        diag[j] = wa2[j]!;
        if (wa2[j] === 0) diag[j] = 1;
      }
      for (let j = 1; j <= n; j++) wa3[j] = diag[j]! * x[j]!;
      xnorm = enorm(n, wa3);
      delta = factor * xnorm;
      if (delta === 0) delta = factor;
    }
    for (let i = 1; i <= n; i++) qtf[i] = fvec[i]!;
    for (let j = 1; j <= n; j++) {
      if (fjac.get(j, j) !== 0) {
        let sum = 0;
        for (let i = j; i <= n; i++) sum += fjac.get(i, j) * qtf[i]!;
        const temp = -sum / fjac.get(j, j);
        for (let i = j; i <= n; i++) qtf[i] = qtf[i]! + fjac.get(i, j) * temp;
      }
    }
    for (let j = 1; j <= n; j++) {
      let l = j;
      for (let i = 1; i <= j - 1; i++) {
        r[l] = fjac.get(i, j);
        l = l + n - i;
      }
      r[l] = wa1[j]!;
    }
    qform(n, n, fjac, wa1);
    for (let j = 1; j <= n; j++) diag[j] = fmax(diag[j]!, wa2[j]!);

    for (;;) {
      dogleg(n, r, diag, qtf, delta, wa1, wa2, wa3);
      for (let j = 1; j <= n; j++) {
        wa1[j] = -wa1[j]!;
        wa2[j] = x[j]! + wa1[j]!;
        wa3[j] = diag[j]! * wa1[j]!;
      }
      const pnorm = enorm(n, wa3);
      if (iter === 1) delta = fmin2(delta, pnorm);
      fcn(wa2, wa4);
      nfev++;
      const fnorm1 = enorm(n, wa4);
      let actred = -1;
      if (fnorm1 < fnorm) actred = 1 - (fnorm1 / fnorm) ** 2;
      let l = 1;
      for (let i = 1; i <= n; i++) {
        let sum = 0;
        for (let j = i; j <= n; j++) {
          sum += r[l]! * wa1[j]!;
          l++;
        }
        wa3[i] = qtf[i]! + sum;
      }
      const temp = enorm(n, wa3);
      let prered = 0;
      if (temp < fnorm) prered = 1 - (temp / fnorm) ** 2;
      let ratio = 0;
      if (prered > 0) ratio = actred / prered;
      if (ratio < 0.1) {
        ncsuc = 0;
        ncfail++;
        delta = 0.5 * delta;
      } else {
        ncfail = 0;
        ncsuc++;
        if (ratio >= 0.5 || ncsuc > 1) delta = fmax(delta, pnorm / 0.5);
        if (Math.abs(ratio - 1) <= 0.1) delta = pnorm / 0.5;
      }
      if (ratio >= 1e-4) {
        for (let j = 1; j <= n; j++) {
          x[j] = wa2[j]!;
          wa2[j] = diag[j]! * x[j]!;
          fvec[j] = wa4[j]!;
        }
        xnorm = enorm(n, wa2);
        fnorm = fnorm1;
        iter++;
      }
      nslow1++;
      if (actred >= 0.001) nslow1 = 0;
      if (jeval) nslow2++;
      if (actred >= 0.1) nslow2 = 0;
      if (delta <= xtol * xnorm || fnorm === 0) info = 1;
      if (info !== 0) break outer;
      if (nfev >= maxfev) info = 2;
      if (0.1 * fmax(0.1 * delta, pnorm) <= EPSMCH * xnorm) info = 3;
      if (nslow2 === 5) info = 4;
      if (nslow1 === 10) info = 5;
      if (info !== 0) break outer;
      if (ncfail === 2) continue outer;
      for (let j = 1; j <= n; j++) {
        let sum = 0;
        for (let i = 1; i <= n; i++) sum += fjac.get(i, j) * wa4[i]!;
        wa2[j] = (sum - wa3[j]!) / pnorm;
        wa1[j] = diag[j]! * ((diag[j]! * wa1[j]!) / pnorm);
        if (ratio >= 1e-4) qtf[j] = sum;
      }
      r1updt(n, n, r, wa1, wa2, wa3);
      r1mpyq(n, n, (i, j) => fjac.get(i, j), (i, j, v) => fjac.set(i, j, v), wa2, wa3);
      r1mpyq(1, n, (_i, j) => qtf[j]!, (_i, j, v) => (qtf[j] = v), wa2, wa3);
      jeval = false;
    }
  }
  return { x: Array.from(x.subarray(1, n + 1)), info, nfev };
}

export interface FminResult {
  readonly x: number[];
  readonly fun: number;
  readonly nfev: number;
  readonly nit: number;
}

class MaxCalls extends Error {}

/** scipy.optimize.fmin(func, x0, disp=0): Nelder-Mead with scipy's simplex, coefficients and stopping rule. */
export function fmin(func: (x: readonly number[]) => number, x0: readonly number[], xatol = 1e-4, fatol = 1e-4): FminResult {
  const N = x0.length;
  const rho = 1;
  const chi = 2;
  const psi = 0.5;
  const sigma = 0.5;
  const maxiter = N * 200;
  const maxfun = N * 200;
  let fcalls = 0;
  const f = (x: number[]): number => {
    if (fcalls >= maxfun) throw new MaxCalls();
    fcalls++;
    return func(x);
  };
  let sim: number[][] = [x0.slice()];
  for (let k = 0; k < N; k++) {
    const y = x0.slice();
    y[k] = y[k] !== 0 ? (1 + 0.05) * y[k]! : 0.00025;
    sim.push(y);
  }
  let fsim: number[] = new Array<number>(N + 1).fill(Infinity);
  const sortSimplex = (): void => {
    // numpy argsort of N+1 <= 16 values is an insertion sort: stable.
    const idx = fsim.map((_, i) => i);
    idx.sort((a, b) => {
      const fa = fsim[a]!;
      const fb = fsim[b]!;
      if (fa < fb) return -1;
      if (fa > fb) return 1;
      if (Number.isNaN(fa) !== Number.isNaN(fb)) return Number.isNaN(fa) ? 1 : -1;
      return a - b;
    });
    sim = idx.map((i) => sim[i]!);
    fsim = idx.map((i) => fsim[i]!);
  };
  try {
    for (let k = 0; k <= N; k++) fsim[k] = f(sim[k]!);
  } catch (e) {
    if (!(e instanceof MaxCalls)) throw e;
  }
  sortSimplex();
  let iterations = 1;
  const comb = (a: number, xa: number[], b: number, xb: number[]): number[] => xa.map((v, i) => a * v + b * xb[i]!);
  while (fcalls < maxfun && iterations < maxiter) {
    try {
      let xspread = -Infinity;
      let fspread = -Infinity;
      for (let j = 1; j <= N; j++) {
        for (let i = 0; i < N; i++) {
          const d = Math.abs(sim[j]![i]! - sim[0]![i]!);
          xspread = Number.isNaN(d) || Number.isNaN(xspread) ? NaN : Math.max(xspread, d);
        }
        const d = Math.abs(fsim[0]! - fsim[j]!);
        fspread = Number.isNaN(d) || Number.isNaN(fspread) ? NaN : Math.max(fspread, d);
      }
      if (xspread <= xatol && fspread <= fatol) break;
      const xbar = new Array<number>(N).fill(0);
      for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) xbar[i] = (j === 0 ? 0 : xbar[i]!) + sim[j]![i]!;
      for (let i = 0; i < N; i++) xbar[i] = xbar[i]! / N;
      const worst = sim[N]!;
      const xr = comb(1 + rho, xbar, -rho, worst);
      const fxr = f(xr);
      let doshrink = false;
      if (fxr < fsim[0]!) {
        const xe = comb(1 + rho * chi, xbar, -rho * chi, worst);
        const fxe = f(xe);
        if (fxe < fxr) {
          sim[N] = xe;
          fsim[N] = fxe;
        } else {
          sim[N] = xr;
          fsim[N] = fxr;
        }
      } else if (fxr < fsim[N - 1]!) {
        sim[N] = xr;
        fsim[N] = fxr;
      } else if (fxr < fsim[N]!) {
        const xc = comb(1 + psi * rho, xbar, -psi * rho, worst);
        const fxc = f(xc);
        if (fxc <= fxr) {
          sim[N] = xc;
          fsim[N] = fxc;
        } else doshrink = true;
      } else {
        const xcc = comb(1 - psi, xbar, psi, worst);
        const fxcc = f(xcc);
        if (fxcc < fsim[N]!) {
          sim[N] = xcc;
          fsim[N] = fxcc;
        } else doshrink = true;
      }
      if (doshrink) {
        for (let j = 1; j <= N; j++) {
          sim[j] = sim[0]!.map((v, i) => v + sigma * (sim[j]![i]! - v));
          fsim[j] = f(sim[j]!);
        }
      }
      iterations++;
    } catch (e) {
      if (!(e instanceof MaxCalls)) throw e;
    } finally {
      sortSimplex();
    }
  }
  return { x: sim[0]!.slice(), fun: Math.min(...fsim), nfev: fcalls, nit: iterations };
}
