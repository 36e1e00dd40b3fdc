/** The pooled fit's likelihood and its optimiser (fit.ts): the hot loop of the read phase. */
import { nbLogPmf } from './dist.js';
import { alphaAt, PRIOR, zeroOf, type DispersionForm, type GroupParams } from './params.js';
import type { MeanCorrection } from './mean.js';
import type { Windows } from './windows.js';

/**
 * Each window's mixture zero (params.ts zeroOf, clamped as the likelihood reads it) and log(1 − zero), for
 * one group zero: they change only when the zero does, while the optimiser moves a, e and c many times.
 */
export interface WindowZeros {
  zero: number;
  z: Float64Array;
  logKeep: Float64Array;
}

export function windowZeros(w: Windows, idx: number[], zero: number, into?: WindowZeros): WindowZeros {
  const out = into ?? { zero, z: new Float64Array(idx.length), logKeep: new Float64Array(idx.length) };
  out.zero = zero;
  for (let j = 0; j < idx.length; j++) {
    const z = Math.min(Math.max(zeroOf({ zero }, w.pi?.[idx[j]] ?? 1), 0), 0.999);
    out.z[j] = z;
    out.logKeep[j] = Math.log1p(-z);
  }
  return out;
}

/**
 * -Σ logPmf(d, distOf(...)) over the windows, inlined: the fit's hot loop, no object per window. `zeros`,
 * when given, is windowZeros(w, idx, g.zero).
 */
export function negLogLik(
  w: Windows,
  idx: number[],
  g: GroupParams,
  form: DispersionForm,
  zeros: WindowZeros = windowZeros(w, idx, g.zero),
): number {
  const b = g.b ?? 1;
  const r = g.r ?? 0;
  const zs = zeros.z;
  const keeps = zeros.logKeep;
  let s = 0;
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j];
    const d = w.d[i];
    const z = zs[j];
    const logKeep = keeps[j];
    const m = b * w.mu[i] + r * w.p[i] * w.rate[i];
    if (!(m > 0)) {
      // mixtureWithMean's point mass at 0 (zero = 1)
      s -= d === 0 ? 0 : -Infinity;
      continue;
    }
    const alpha = Math.max(alphaAt(form, g, w.p[i], m, w.si[i], w.len[i]), 0);
    const nb = nbLogPmf(d, m / (1 - z), alpha);
    s -= d !== 0 || z <= 0 ? logKeep + nb : Math.log(z + (1 - z) * Math.exp(nb));
  }
  return s;
}

export interface GroupFitOptions {
  zeroMass: boolean;
  form: DispersionForm;
  /** fit the history-length term e ('size' form only) */
  historyTerm: boolean;
}

/** Coordinate descent with golden-section steps; a, e and c on a log scale (all may be near 0). */
export function fitGroup(w: Windows, idx: number[], o: GroupFitOptions, mean: MeanCorrection): GroupParams {
  const size = o.form === 'size';
  const g: GroupParams = { ...PRIOR, a: size ? 1 : PRIOR.a, ...mean };
  if (size && o.historyTerm) g.e = 1;
  // the windows' zeros for the current group zero, recomputed only when the zero moves
  let zeros = windowZeros(w, idx, g.zero);
  const nll = (x: GroupParams) => {
    if (!Object.is(x.zero, zeros.zero)) zeros = windowZeros(w, idx, x.zero, zeros);
    return negLogLik(w, idx, x, o.form, zeros);
  };
  const LOG_LO = Math.log(1e-4);
  const LOG_HI = Math.log(50);
  // a and e trade off against each other: one more round when both are free
  for (let round = 0; round < (g.e === undefined ? 2 : 3); round++) {
    g.a = Math.exp(golden(LOG_LO, LOG_HI, (x) => nll({ ...g, a: Math.exp(x) })));
    if (g.e !== undefined) g.e = Math.exp(golden(LOG_LO, LOG_HI, (x) => nll({ ...g, e: Math.exp(x) })));
    g.c = Math.exp(golden(LOG_LO, LOG_HI, (x) => nll({ ...g, c: Math.exp(x) })));
    if (o.zeroMass) g.zero = golden(0, 0.95, (z) => nll({ ...g, zero: z }));
  }
  const out: GroupParams = { a: g.a, c: g.c, zero: g.zero, windows: 0 };
  if (g.e !== undefined) out.e = g.e;
  return out;
}

function golden(lo: number, hi: number, f: (x: number) => number, iters = 14): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - r * (hi - lo);
  let x2 = lo + r * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let k = 0; k < iters; k++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - r * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + r * (hi - lo);
      f2 = f(x2);
    }
  }
  return (lo + hi) / 2;
}
