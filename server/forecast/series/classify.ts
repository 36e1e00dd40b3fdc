/** Demand classes (Syntetos–Boylan: ADI 1.32, CV² 0.49) and the obsolescence guard. */

export const ADI_CUT = 1.32;
export const CV2_CUT = 0.49;
// the value set lives in the contract: the pages word each class
export type { DemandClass } from '../../contract/vocab.js';
import type { DemandClass } from '../../contract/vocab.js';

/** Class of y[from..end): ADI = periods / demand periods (one demand: see below), CV² of the non-zero sizes. */
export function classify(y: Float64Array, from: number, end: number): { cls: DemandClass; adi: number; cv2: number } {
  let nz = 0,
    s = 0,
    s2 = 0;
  for (let t = from; t < end; t++) {
    const v = y[t];
    if (v > 0) {
      nz++;
      s += v;
      s2 += v * v;
    }
  }
  if (nz === 0) return { cls: 'no_demand', adi: Infinity, cv2: 0 };
  // one demand shows no interval between demands: the only gap, before it, is censored (the history starts
  // at or before it), so the ADI is unknown and at least the span; such a series is never smooth or erratic
  const adi = nz > 1 ? (end - from) / nz : Math.max(ADI_CUT, end - from);
  const mean = s / nz;
  const cv2 = nz > 1 ? Math.max(0, (s2 / nz - mean * mean) * (nz / (nz - 1))) / (mean * mean) : 0;
  const cls: DemandClass =
    adi < ADI_CUT ? (cv2 < CV2_CUT ? 'smooth' : 'erratic') : cv2 < CV2_CUT ? 'intermittent' : 'lumpy';
  return { cls, adi, cv2 };
}

/**
 * Probability that the part is still in demand after its trailing run of zeros (Bayes, two states).
 * Alive, a period has demand with probability p (estimated from the history up to the last demand, with one
 * extra empty period as a Laplace guard); each period the part may fall out of use with hazard δ (prior:
 * a part stays in use `lifePeriods` on average). A run of zeros that is unlikely for a live part pulls the
 * forecast down; a run that is typical for the part barely moves it.
 */
export function aliveProbability(y: Float64Array, from: number, end: number, lifePeriods: number): number {
  let last = -1,
    nz = 0;
  for (let t = from; t < end; t++)
    if (y[t] > 0) {
      nz++;
      last = t;
    }
  return aliveFrom(last, nz, from, end, lifePeriods);
}

/** aliveProbability at every end (ascending) for every life: one pass over the series. out[l][i]. */
export function aliveAtEnds(
  y: Float64Array,
  from: number,
  ends: readonly number[],
  lives: readonly number[],
): Float64Array[] {
  const out = lives.map(() => new Float64Array(ends.length));
  let last = -1,
    nz = 0,
    t = from;
  for (let i = 0; i < ends.length; i++) {
    for (; t < ends[i]; t++)
      if (y[t] > 0) {
        nz++;
        last = t;
      }
    for (let l = 0; l < lives.length; l++) out[l][i] = aliveFrom(last, nz, from, ends[i], lives[l]);
  }
  return out;
}

function aliveFrom(last: number, nz: number, from: number, end: number, lifePeriods: number): number {
  if (last < 0) return 0;
  const Z = end - 1 - last;
  if (Z === 0) return 1;
  const p = nz / (last - from + 2);
  const d = 1 / lifePeriods;
  const r = (1 - d) * (1 - p);
  const A = Math.pow(r, Z);
  const D = (d * (1 - A)) / (1 - r);
  return A / (A + D);
}
