/**
 * Per-series forecasting: candidate methods by demand class, rolling-origin backtest (origins one horizon
 * apart, scored by squared error — the series' scale is common to every candidate, so this ranks like
 * RMSSE), obsolescence guard, and an honest holdout (the choice for the holdout is made without it).
 */
import { aliveProbability, classify, type DemandClass } from './classify.js';
import { runMethod, type MethodEnv, type MethodName } from './methods/index.js';

export const CANDIDATES: Record<Exclude<DemandClass, 'no_demand'>, readonly MethodName[]> = {
  smooth: ['naive', 'snaive', 'ma', 'mean', 'ses', 'ets', 'comb'],
  erratic: ['ma', 'mean', 'ses', 'ets', 'tsb', 'comb'],
  intermittent: ['ma', 'mean', 'ses', 'croston', 'sba', 'tsb', 'adida', 'imapa', 'comb'],
  lumpy: ['ma', 'mean', 'ses', 'croston', 'sba', 'tsb', 'adida', 'imapa', 'comb'],
};
/** Used when the history is too short for a backtest. */
export const DEFAULT_METHOD: MethodName = 'comb';
/** Backtest origins (besides the holdout). */
export const ORIGINS = 3;
/** Fewest periods (from the first demand) a backtest origin must have before it. */
export const MIN_TRAIN = 4;

export interface SelectOptions {
  h: number;
  env: MethodEnv;
  /** 'auto' or one method. */
  method: 'auto' | MethodName;
  /** Average life of a part, in periods (obsolescence prior). */
  lifePeriods: number;
  /** Also forecast the holdout (last h periods) for metrics. */
  holdout: boolean;
  /** Extra methods whose holdout forecasts are wanted (baselines). */
  baselines: readonly MethodName[];
}

export interface SeriesForecast {
  method: MethodName | 'none';
  cls: DemandClass;
  /** h mean forecasts (≥ 0). */
  mean: Float64Array;
  /** Standard deviation of the one-horizon error (from the backtest, else of the history). */
  sigma: number;
  /** Holdout forecasts (of the method chosen without the holdout), and of each baseline; null when none. */
  holdout: { chosen: Float64Array; base: Float64Array[]; end: number } | null;
}

function sqErr(y: Float64Array, end: number, f: Float64Array): number {
  let s = 0;
  for (let k = 0; k < f.length; k++) { const e = y[end + k] - f[k]; s += e * e; }
  return s;
}

/** y: dense demand from the model start; fd: index of the first demand. */
export function forecastSeries(y: Float64Array, fd: number, o: SelectOptions): SeriesForecast {
  const n = y.length, h = o.h;
  const { cls } = classify(y, fd, n);
  if (cls === 'no_demand') return { method: 'none', cls, mean: new Float64Array(h), sigma: 0, holdout: null };
  // ends: [E_{K+1}, ..., E_1 (holdout start), n]
  const bt: number[] = [];
  for (let k = ORIGINS + 1; k >= 1; k--) { const e = n - k * h; if (e >= fd + MIN_TRAIN) bt.push(e); }
  const ends = [...bt, n];
  const cands: readonly MethodName[] = o.method === 'auto' ? CANDIDATES[cls] : [o.method];
  const cache = new Map<MethodName, Float64Array[]>();
  const alive = ends.map((e) => aliveProbability(y, fd, e, o.lifePeriods));
  const fcOf = (m: MethodName): Float64Array[] => {
    const key = `g:${m}` as MethodName;
    const hit = cache.get(key);
    if (hit) return hit;
    const raw = runMethod(m, y, ends, h, o.env, cache);
    const g = raw.map((f, i) => (alive[i] === 1 ? f : f.map((v) => v * alive[i])));
    cache.set(key, g);
    return g;
  };
  const nb = bt.length;
  const errs = cands.map((m) => { const f = fcOf(m); return bt.map((e, i) => sqErr(y, e, f[i])); });
  const pick = (from: number, to: number): number => {
    if (to <= from) return Math.max(0, cands.indexOf(DEFAULT_METHOD));
    let best = 0, bestV = Infinity;
    for (let c = 0; c < cands.length; c++) {
      let v = 0;
      for (let i = from; i < to; i++) v += errs[c][i];
      if (v < bestV - 1e-9) { best = c; bestV = v; }
    }
    return best;
  };
  // final choice: the K most recent origins (including the holdout's); holdout choice: the origins before it
  const hasHoldout = nb > 0 && bt[nb - 1] === n - h;
  const finalIdx = o.method === 'auto' ? pick(Math.max(0, nb - ORIGINS), nb) : 0;
  const method = cands[finalIdx] ?? DEFAULT_METHOD;
  const mean = (cands[finalIdx] ? fcOf(method) : fcOf(DEFAULT_METHOD))[ends.length - 1];
  let sigma: number;
  const used = Math.min(ORIGINS, nb);
  if (used > 0) {
    let s = 0;
    for (let i = nb - used; i < nb; i++) s += errs[finalIdx][i];
    sigma = Math.sqrt(s / (used * h));
  } else {
    let s = 0, s2 = 0;
    for (let t = fd; t < n; t++) { s += y[t]; s2 += y[t] * y[t]; }
    const m = n - fd;
    sigma = Math.sqrt(Math.max(0, s2 / m - (s / m) ** 2));
  }
  let holdout: SeriesForecast['holdout'] = null;
  if (o.holdout && hasHoldout) {
    const hi = o.method === 'auto' ? pick(Math.max(0, nb - 1 - ORIGINS), nb - 1) : 0;
    const hm = cands[hi] ?? DEFAULT_METHOD;
    holdout = { chosen: fcOf(hm)[nb - 1], base: o.baselines.map((b) => runMethod(b, y, ends, h, o.env, cache)[nb - 1]), end: n - h };
  }
  return { method, cls, mean, sigma, holdout };
}
