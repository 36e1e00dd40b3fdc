/**
 * The pooled parameters of one group of the lead-time-demand model (fit.ts) and how a series' distribution
 * follows from them: its mean over P periods and its NB dispersion.
 */
import { mixtureWithMean, type LtdDist } from './dist.js';
import { fallbacks } from './features.js';
import type { HurdleModel } from './hurdle.js';
import type { Windows } from './windows.js';

export type DispersionForm = 'size' | 'period';

/** A map from target level to the level to read the model at (calibrate.ts fits it). */
export interface Calibration {
  levels: number[];
  read: number[];
  windows: number;
}

export interface GroupParams {
  a: number;
  c: number;
  zero: number;
  windows: number;
  /** mean correction: mean = b * mu + r * P * rate (absent: b = 1, r = 0) */
  b?: number;
  r?: number;
  /**
   * the forecast's own estimation noise ('size' form), Var += e * SI * mu * P / n for a history of n periods:
   * a rate estimated from n periods of compound-Poisson demand errs by SI * mu * P / n over P periods, so
   * the same part is planned tighter once it has a longer history than the backtest origins had (absent: 0)
   */
  e?: number;
}

/** The default pooled parameters when nothing can be fitted: mildly overdispersed, no zero mass, no map. */
export const PRIOR: GroupParams = { a: 0.5, c: 0.1, zero: 0, windows: 0 };

export interface PooledParams {
  /** by group key ('lumpy/quiet'), class ('lumpy') and '*' (always present) */
  groups: Record<string, GroupParams>;
  calibration: Record<string, Calibration>;
  minWindows: number;
  form: DispersionForm;
  /** the job's hurdle (hurdle.ts): the chance of any demand within P, the mixture's zero */
  hurdle?: HurdleModel;
}

/** The most specific group with enough windows. */
export function paramsFor(pooled: PooledParams, group: string): GroupParams {
  for (const k of fallbacks(group)) {
    const g = pooled.groups[k];
    if (g && g.windows >= pooled.minWindows) return g;
  }
  return pooled.groups['*'] ?? PRIOR;
}

/** At most `cap` of the indices, evenly spaced. */
export function thin(idx: number[], cap: number): number[] {
  if (idx.length <= cap) return idx;
  const out: number[] = [];
  const step = idx.length / cap;
  for (let j = 0; j < cap; j++) out.push(idx[Math.floor(j * step)]);
  return out;
}

/** The plan's mean over P periods from the forecast mean mu and the history's mean rate per period. */
export function meanAt(g: GroupParams, mu: number, P: number, rate: number): number {
  return (g.b ?? 1) * mu + (g.r ?? 0) * P * rate;
}

/**
 * NB dispersion alpha (Var = mu + alpha mu^2) of a series with size index si over P periods, after a history
 * of n periods (the estimation-noise term vanishes for an infinite one).
 */
export function alphaAt(form: DispersionForm, g: GroupParams, P: number, mu: number, si: number, n = Infinity): number {
  if (form === 'period') return g.a / Math.max(P, 1) + g.c;
  const k = g.a + (g.e ?? 0) * (Math.max(P, 1) / Math.max(n, 1));
  return Math.max(0, k * si - 1) / Math.max(mu, 1e-9) + g.c;
}

/**
 * The mixture's zero: no demand within P because the hurdle says none recurs (1 − pi), or because the part
 * is gone (the group's own zero, which the data can set to 0).
 */
export const zeroOf = (g: Pick<GroupParams, 'zero'>, pi: number) => 1 - Math.min(1, Math.max(0, pi)) * (1 - g.zero);

export function distOf(form: DispersionForm, g: GroupParams, w: Windows, i: number): LtdDist {
  const m = meanAt(g, w.mu[i], w.p[i], w.rate[i]);
  return mixtureWithMean(m, alphaAt(form, g, w.p[i], m, w.si[i], w.len[i]), zeroOf(g, w.pi?.[i] ?? 1));
}
