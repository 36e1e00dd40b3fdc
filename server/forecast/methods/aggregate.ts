/**
 * Temporal aggregation methods: ADIDA (aggregate demand into buckets of the mean inter-demand interval,
 * smooth, disaggregate) and IMAPA (average the same over several aggregation levels). Buckets are aligned
 * on the training end; α is chosen within 0.1–0.3 (as statsforecast bounds it) by one-step squared error.
 * Prefix sums make every end cheap.
 */

import { sesScan } from './smoothing.js';

const AGG_ALPHAS = [0.1, 0.15, 0.2, 0.25, 0.3];

export interface Prefix {
  /** cs[t] = y[0] + … + y[t-1]. */
  cs: Float64Array;
  /** nz[t] = number of demand periods in y[0..t). */
  nz: Int32Array;
}

export function prefixOf(y: Float64Array): Prefix {
  const cs = new Float64Array(y.length + 1),
    nz = new Int32Array(y.length + 1);
  for (let t = 0; t < y.length; t++) {
    cs[t + 1] = cs[t] + y[t];
    nz[t + 1] = nz[t] + (y[t] > 0 ? 1 : 0);
  }
  return { cs, nz };
}

/** Mean periods per demand over y[0..end): end / number of demand periods (0 when none). */
function adiOf(p: Prefix, end: number): number {
  const nz = p.nz[end];
  return nz ? end / nz : 0;
}

/** Per-period forecast from SES on non-overlapping k-period sums ending at `end` (mean when < 2 buckets). */
export function aggregatedSes(p: Prefix, end: number, k: number): number {
  const m = Math.floor(end / k);
  if (m < 2) return end ? p.cs[end] / end : 0;
  const start = end - m * k;
  const G = AGG_ALPHAS.length;
  const first = p.cs[start + k] - p.cs[start];
  const lev = [first, first, first, first, first],
    sse = [0, 0, 0, 0, 0];
  for (let j = 1; j < m; j++) {
    const v = p.cs[start + (j + 1) * k] - p.cs[start + j * k];
    for (let g = 0; g < G; g++) {
      const e = v - lev[g];
      sse[g] += e * e;
      lev[g] += AGG_ALPHAS[g] * e;
    }
  }
  let best = 0;
  for (let g = 1; g < G; g++) if (sse[g] < sse[best] - 1e-12) best = g;
  return lev[best] / k;
}

/**
 * aggregatedSes(·, end, 1) at every end (ascending) in one pass: with one-period buckets the alignment does
 * not depend on the end, so one scan serves all ends (the costliest level of IMAPA).
 */
export function aggregatedSesK1(y: Float64Array, ends: readonly number[]): Float64Array {
  const out = new Float64Array(ends.length);
  let e = 0;
  while (e < ends.length && ends[e] < 2) {
    out[e] = ends[e] ? y[0] : 0;
    e++;
  } // fewer than 2 buckets: the mean
  out.set(sesScan(y, ends.slice(e), AGG_ALPHAS), e);
  return out;
}

/** `k1`, when given, is aggregatedSes(p, end, 1) (from aggregatedSesK1). */
export function adidaAt(p: Prefix, end: number, k1?: number): number {
  const adi = adiOf(p, end);
  if (adi === 0) return 0;
  const k = Math.max(1, Math.round(adi));
  return k === 1 && k1 !== undefined ? k1 : aggregatedSes(p, end, k);
}

/** Aggregation levels 1..round(ADI); more than 6 levels are thinned geometrically to 6. */
export function imapaLevels(adi: number): number[] {
  const K = Math.max(1, Math.round(adi));
  if (K <= 6) return Array.from({ length: K }, (_, i) => i + 1);
  const set = new Set<number>();
  for (let i = 0; i < 6; i++) set.add(Math.round(Math.pow(K, i / 5)));
  return [...set].sort((a, b) => a - b);
}

export function imapaAt(p: Prefix, end: number, k1?: number): number {
  const adi = adiOf(p, end);
  if (adi === 0) return 0;
  const levels = imapaLevels(adi);
  let s = 0;
  for (const k of levels) s += k === 1 && k1 !== undefined ? k1 : aggregatedSes(p, end, k);
  return s / levels.length;
}
