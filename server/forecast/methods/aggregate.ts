/**
 * Temporal aggregation methods: ADIDA (aggregate demand into buckets of the mean inter-demand interval,
 * smooth, disaggregate) and IMAPA (average the same over several aggregation levels). Buckets are aligned
 * on the training end; α is optimised within 0.1–0.3 as in statsforecast.
 */
import { sesScan } from './smoothing.js';

const AGG_ALPHAS = [0.1, 0.15, 0.2, 0.25, 0.3];

/** Mean periods per demand over y[0..end): end / number of demand periods (0 when none). */
export function adiOf(y: Float64Array, end: number): number {
  let nz = 0;
  for (let t = 0; t < end; t++) if (y[t] > 0) nz++;
  return nz ? end / nz : 0;
}

/** Per-period forecast from SES on non-overlapping k-period sums ending at `end` (mean when < 2 buckets). */
export function aggregatedSes(y: Float64Array, end: number, k: number): number {
  const m = Math.floor(end / k);
  if (m < 2) {
    let s = 0;
    for (let t = 0; t < end; t++) s += y[t];
    return end ? s / end : 0;
  }
  const b = new Float64Array(m);
  const start = end - m * k;
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let t = start + j * k, u = t + k; t < u; t++) s += y[t];
    b[j] = s;
  }
  return sesScan(b, [m], AGG_ALPHAS)[0] / k;
}

export function adidaAt(y: Float64Array, end: number): number {
  const adi = adiOf(y, end);
  if (adi === 0) return 0;
  return aggregatedSes(y, end, Math.max(1, Math.round(adi)));
}

/** Aggregation levels 1..round(ADI); more than 6 levels are thinned geometrically to 6. */
export function imapaLevels(adi: number): number[] {
  const K = Math.max(1, Math.round(adi));
  if (K <= 6) return Array.from({ length: K }, (_, i) => i + 1);
  const set = new Set<number>();
  for (let i = 0; i < 6; i++) set.add(Math.round(Math.pow(K, i / 5)));
  return [...set].sort((a, b) => a - b);
}

export function imapaAt(y: Float64Array, end: number): number {
  const adi = adiOf(y, end);
  if (adi === 0) return 0;
  const levels = imapaLevels(adi);
  let s = 0;
  for (const k of levels) s += aggregatedSes(y, end, k);
  return s / levels.length;
}
