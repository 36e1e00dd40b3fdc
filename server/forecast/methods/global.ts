/**
 * The global model: one ridge regression across a chunk's series (or the job sample) predicting the mean
 * demand over the next h periods, in units of each series' scale, from scale-free features at the origin
 * (the members' levels, recent window means, zero runs, demand share, CV²; see GF_*). One intermittent series
 * is too short to learn from; across series the features tell which deserve more and which less. It is
 * fitted on the in-history origins with the stack's loss and shrunk toward the members' mean. Fitted that
 * way it under-forecasts intermittent series by 20 % and more in total, so its totals are rescaled to the
 * members' total: it only redistributes demand between series. Its values at the stack's origins are
 * cross-fitted (each half of the series predicted by the other half's model): the stack sees no in-sample fits.
 */
import type { Evaluated } from '../choose/evaluated.js';

/** Row layout of Evaluated.gf (per end): scale², then the scale-free descriptors, then raw window means. */
export const GF_S2 = 0;
/** Descriptors: log1p(trailing zeros / ADI), 1 / ADI, recent share of demand periods, log1p(CV²). */
export const GF_DESC = 4;
/** Raw means over the last h, 2h and 4h periods (divided by the scale in the design). */
const GF_WIN = 3;
export const GF_WIDTH = 1 + GF_DESC + GF_WIN;

/** Label of the global model as a member of the combination. */
export const GLOBAL_MEMBER = 'global';
/** Ridge weight toward the members' mean, in series-equivalents per coefficient. */
const GLOBAL_RIDGE = 1;
const IRLS_ROUNDS = 3;
const U_FLOOR = 0.01;

/**
 * Feature rows at each end (ascending or not), written into out[i·GF_WIDTH ..]: see GF_* above. The history
 * is y[fd..e); `w` is the recent window (the moving-average window).
 */
export function endFeatures(y: Float64Array, fd: number, ends: readonly number[], h: number, w: number): Float64Array {
  const n = y.length;
  const cs = new Float64Array(n + 1),
    c2 = new Float64Array(n + 1),
    nzc = new Int32Array(n + 1),
    d2 = new Float64Array(n + 1);
  const lastNz = new Int32Array(n + 1).fill(-1); // last demand position before t
  for (let t = 0; t < n; t++) {
    const v = y[t];
    cs[t + 1] = cs[t] + v;
    c2[t + 1] = c2[t] + v * v;
    nzc[t + 1] = nzc[t] + (v > 0 ? 1 : 0);
    lastNz[t + 1] = v > 0 ? t : lastNz[t];
    d2[t + 1] = d2[t] + (t > fd ? (v - y[t - 1]) ** 2 : 0);
  }
  const out = new Float64Array(ends.length * GF_WIDTH);
  ends.forEach((e, i) => {
    const o = i * GF_WIDTH,
      len = e - fd;
    out[o + GF_S2] = len >= 2 ? d2[e] / (len - 1) : 0;
    const nz = nzc[e] - nzc[fd];
    const adi = nz ? len / nz : len + 1;
    const last = lastNz[e];
    const Z = last >= fd ? e - 1 - last : len;
    out[o + 1] = Math.log1p(Z / adi);
    out[o + 2] = 1 / adi;
    const ww = Math.min(w, len);
    out[o + 3] = ww > 0 ? (nzc[e] - nzc[e - ww]) / ww : 0;
    const s = cs[e] - cs[fd],
      q = c2[e] - c2[fd];
    const m = nz ? s / nz : 0;
    out[o + 4] = nz > 1 && m > 0 ? Math.log1p(Math.max(0, (q / nz - m * m) * (nz / (nz - 1))) / (m * m)) : 0;
    for (let k = 0; k < GF_WIN; k++) {
      const win = Math.min(len, h << k);
      out[o + 1 + GF_DESC + k] = win > 0 ? (cs[e] - cs[e - win]) / win : 0;
    }
  });
  return out;
}

/** Number of coefficients for C members. */
export const designWidth = (C: number) => C + GF_WIN + GF_DESC;

/** Design row for one end: gf row at `go`, member levels L[lo..lo+C). Returns the scale (0: unusable). */
function design(gf: Float64Array, go: number, L: Float64Array, lo: number, C: number, x: Float64Array): number {
  const s2 = gf[go + GF_S2];
  if (!(s2 > 0)) return 0;
  const sig = Math.sqrt(s2);
  let p = 0,
    mbar = 0;
  for (let c = 0; c < C; c++) {
    const v = L[lo + c] / sig;
    x[p++] = v;
    mbar += v / C;
  }
  for (let k = 0; k < GF_WIN; k++) x[p++] = gf[go + 1 + GF_DESC + k] / sig;
  for (let k = 0; k < GF_DESC; k++) x[p++] = mbar * gf[go + 1 + k];
  return sig;
}

/** Coefficients of the members' equal-weight mean (the ridge target). */
export function meanCoefficients(C: number): Float64Array {
  const b = new Float64Array(designWidth(C));
  for (let c = 0; c < C; c++) b[c] = 1 / C;
  return b;
}

/** Solves the symmetric positive definite system A x = b (Cholesky; A is overwritten). */
export function solveSpd(A: Float64Array, b: Float64Array, P: number): Float64Array {
  for (let j = 0; j < P; j++) {
    let d = A[j * P + j];
    for (let k = 0; k < j; k++) d -= A[j * P + k] ** 2;
    d = Math.sqrt(Math.max(d, 1e-12));
    A[j * P + j] = d;
    for (let i = j + 1; i < P; i++) {
      let s = A[i * P + j];
      for (let k = 0; k < j; k++) s -= A[i * P + k] * A[j * P + k];
      A[i * P + j] = s / d;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < P; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= A[i * P + k] * x[k];
    x[i] = s / A[i * P + i];
  }
  for (let i = P - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < P; k++) s -= A[k * P + i] * x[k];
    x[i] = s / A[i * P + i];
  }
  return x;
}

/** Training samples of one model: design rows, target a/σ, window variance / σ², series share. */
interface Samples {
  n: number;
  P: number;
  X: Float64Array;
  t: Float64Array;
  v: Float64Array;
  w: Float64Array;
  sig: Float64Array;
  fold: Uint8Array;
}

/** Fits the ridge regression on the samples with fold ≠ skip (skip 2: all); returns the coefficients. */
function fit(S: Samples, skip: number, C: number): Float64Array {
  const P = S.P,
    b0 = meanCoefficients(C);
  let b = Float64Array.from(b0);
  for (let round = 0; round < IRLS_ROUNDS; round++) {
    const A = new Float64Array(P * P),
      c = new Float64Array(P),
      g = new Float64Array(P);
    let series = 0,
      d = 0;
    for (let i = 0; i < S.n; i++) {
      if (S.fold[i] === skip) continue;
      const o = i * P;
      let f = 0;
      for (let k = 0; k < P; k++) f += S.X[o + k] * b[k];
      const e = Math.max(0, f) - S.t[i];
      const wi = S.w[i] / Math.sqrt(Math.max(U_FLOOR, S.v[i] + e * e));
      series += S.w[i];
      d += S.w[i] * S.t[i] * S.sig[i];
      for (let r = 0; r < P; r++) g[r] += S.w[i] * S.sig[i] * S.X[o + r];
      for (let r = 0; r < P; r++) {
        const xr = wi * S.X[o + r];
        if (xr === 0) continue;
        c[r] += xr * S.t[i];
        for (let k = r; k < P; k++) A[r * P + k] += xr * S.X[o + k];
      }
    }
    if (!(series > 0)) return b0;
    // normalise to the mean IRLS weight so the ridge counts in series-equivalents
    let tr = 0;
    for (let r = 0; r < P; r++) tr += A[r * P + r];
    const lam = (GLOBAL_RIDGE * (tr / P)) / series;
    for (let r = 0; r < P; r++) {
      for (let k = r; k < P; k++) A[k * P + r] = A[r * P + k];
      A[r * P + r] += lam;
      c[r] += lam * b0[r];
    }
    // calibration: the fitted demand summed over the training windows equals the actual demand (no bias)
    const bu = solveSpd(Float64Array.from(A), c, P),
      q = solveSpd(A, g, P);
    const mu = (d - dot(g, bu)) / dot(g, q);
    b = bu.map((v, k) => v + mu * q[k]) as Float64Array<ArrayBuffer>;
  }
  return b;
}

const dot = (x: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let k = 0; k < b.length; k++) s += x[k] * b[k];
  return s;
};

/**
 * The global model's value where it has no features to use (no scale yet: a history of one period, or no
 * change in it): the members' median. Not their mean: one member that follows the last value (naive) would
 * turn a single demand in the last period into a rate of half its size.
 */
export function medianOf(v: ArrayLike<number>): number {
  const s = Array.from(v).sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length === 0 ? 0 : s.length & 1 ? s[k] : (s[k - 1] + s[k]) / 2;
}

/**
 * The series with the global model as one more member: for the final forecast (hold false: trained on every
 * origin) or for the holdout (hold true: trained on origins before the holdout, predicting at its start).
 * Series without candidates, with a single candidate or without feature rows are returned as they are.
 */
export function withGlobal(evs: Evaluated[], hold: boolean, h: number): Evaluated[] {
  const use = evs.map((ev) => ev.cands.length > 1 && ev.gf !== null);
  const C = evs.find((ev, i) => use[i])?.cands.length ?? 0;
  if (!C) return evs;
  const P = designWidth(C);
  // samples
  let N = 0;
  evs.forEach((ev, i) => {
    if (use[i] && ev.cands.length === C) for (let j = 0; j < ev.J; j++) if (!hold || ev.forHold[j]) N++;
  });
  const S: Samples = {
    n: 0,
    P,
    X: new Float64Array(N * P),
    t: new Float64Array(N),
    v: new Float64Array(N),
    w: new Float64Array(N),
    sig: new Float64Array(N),
    fold: new Uint8Array(N),
  };
  const x = new Float64Array(P);
  const rowsOf: Int32Array[] = evs.map(() => new Int32Array(0));
  let si = 0;
  evs.forEach((ev, i) => {
    if (!use[i] || ev.cands.length !== C) return;
    const rows: number[] = [];
    for (let j = 0; j < ev.J; j++) {
      if (hold && !ev.forHold[j]) continue;
      const sig = design(ev.gf!, j * GF_WIDTH, ev.fMean, j * C, C, x);
      rows.push(sig > 0 ? S.n : -1);
      if (!(sig > 0)) continue;
      S.X.set(x, S.n * P);
      S.t[S.n] = ev.aMean[j] / sig;
      S.v[S.n] = ev.aVar[j] / (sig * sig);
      S.sig[S.n] = sig;
      S.fold[S.n] = si & 1;
      S.n++;
    }
    const k = rows.filter((r) => r >= 0).length;
    for (const r of rows) if (r >= 0) S.w[r] = 1 / k;
    rowsOf[i] = Int32Array.from(rows);
    si++;
  });
  const full = fit(S, 2, C),
    byFold = [fit(S, 1, C), fit(S, 0, C)]; // byFold[f]: fitted without fold f
  const L = new Float64Array(C);
  const res = evs.map((ev, i) => {
    if (!use[i] || ev.cands.length !== C) return ev;
    const J = ev.J,
      C1 = C + 1;
    const fMean = new Float64Array(J * C1),
      se = new Float64Array(J * C1);
    const rows = rowsOf[i];
    let r = 0;
    for (let j = 0; j < J; j++) {
      for (let c = 0; c < C; c++) {
        fMean[j * C1 + c] = ev.fMean[j * C + c];
        se[j * C1 + c] = ev.se[j * C + c];
      }
      let g = medianOf(ev.fMean.subarray(j * C, (j + 1) * C));
      if (!hold || ev.forHold[j]) {
        const row = rows[r++];
        if (row >= 0)
          g = Math.max(
            0,
            dot(S.X.subarray(row * P, (row + 1) * P), byFold[S.fold[row]]) * Math.sqrt(ev.gf![j * GF_WIDTH + GF_S2]),
          );
      }
      fMean[j * C1 + C] = g;
      se[j * C1 + C] = h * (ev.aVar[j] + (ev.aMean[j] - g) ** 2);
    }
    const at = (slot: number, fs: Float64Array[]) => {
      for (let c = 0; c < C; c++)
        L[c] = fs[c].length === 1 ? fs[c][0] : fs[c].reduce((a, v) => a + v, 0) / fs[c].length;
      const sig = design(ev.gf!, slot * GF_WIDTH, L, 0, C, x);
      return sig > 0 ? Math.max(0, dot(x, full) * sig) : medianOf(L);
    };
    const out: Evaluated = { ...ev, cands: [...ev.cands, GLOBAL_MEMBER], lives: [...ev.lives, NaN], fMean, se };
    if (hold) {
      if (ev.hold) out.hold = [...ev.hold, Float64Array.of(at(J, ev.hold))];
    } else out.final = [...ev.final, Float64Array.of(at(J + 1, ev.final))];
    return out;
  });
  {
    // totals follow the members' mean: per set of ends (origins; the forecast end), Σ global = Σ members' mean
    let go = 0,
      mo = 0,
      gf = 0,
      mf = 0;
    res.forEach((ev, i) => {
      if (ev === evs[i]) return;
      const C1 = C + 1;
      for (let j = 0; j < ev.J; j++) {
        if (hold && !ev.forHold[j]) continue;
        go += ev.fMean[j * C1 + C];
        for (let c = 0; c < C; c++) mo += ev.fMean[j * C1 + c] / C;
      }
      const fs = hold ? ev.hold : ev.final;
      if (fs) {
        gf += fs[C][0];
        for (let c = 0; c < C; c++) mf += fs[c].reduce((a, v) => a + v, 0) / fs[c].length / C;
      }
    });
    const ro = go > 0 ? mo / go : 1,
      rf = gf > 0 ? mf / gf : 1;
    res.forEach((ev, i) => {
      if (ev === evs[i]) return;
      const C1 = C + 1;
      for (let j = 0; j < ev.J; j++) {
        const k = j * C1 + C;
        ev.fMean[k] *= ro;
        ev.se[k] = h * (ev.aVar[j] + (ev.aMean[j] - ev.fMean[k]) ** 2);
      }
      const fs = hold ? ev.hold : ev.final;
      if (fs) fs[C] = Float64Array.of(fs[C][0] * rf);
    });
  }
  return res;
}
