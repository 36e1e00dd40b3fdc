/**
 * Per-series evaluation: candidate methods by demand class, rolling-origin backtest (origins one horizon
 * apart, each scored by its RMSSE on the series' scale), obsolescence guard on every forecast. The choice
 * itself is made in choose.ts (per series, or pooled over the series of a class). The holdout (last h
 * periods) is kept out of the scores used to choose its forecast.
 */
import { aliveProbability, classify, type DemandClass } from './classify.js';
import { scales } from './metrics.js';
import { runMethod, type MethodEnv, type MethodName } from './methods/index.js';

export const CANDIDATES: Record<Exclude<DemandClass, 'no_demand'>, readonly MethodName[]> = {
  smooth: ['naive', 'snaive', 'ma', 'mean', 'ses', 'ets', 'comb'],
  erratic: ['ma', 'mean', 'ses', 'ets', 'tsb', 'comb'],
  intermittent: ['ma', 'mean', 'ses', 'croston', 'sba', 'tsb', 'adida', 'imapa', 'comb'],
  lumpy: ['ma', 'mean', 'ses', 'croston', 'sba', 'tsb', 'adida', 'imapa', 'comb'],
};
/** Used when the history is too short for a backtest. */
export const DEFAULT_METHOD: MethodName = 'comb';
/** Backtest origins used for a choice. */
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
  /** Methods whose unguarded holdout forecasts are wanted (baselines for the metrics). */
  baselines: readonly MethodName[];
}

export interface Evaluated {
  cls: DemandClass;
  cands: readonly MethodName[];
  /** Per candidate: forecast from the full history (h values, ≥ 0). */
  final: Float64Array[];
  /** Per candidate: sum of origin RMSSEs over the origins for the final choice, and their count. */
  sFinal: Float64Array;
  nFinal: number;
  /** Per candidate: mean squared error over those origins (for the interval). */
  mse: Float64Array;
  /** Per candidate, when a holdout exists: its forecast and its score over the origins before it. */
  hold: Float64Array[] | null;
  sHold: Float64Array;
  nHold: number;
  /** Unguarded baseline forecasts of the holdout. */
  base: Float64Array[] | null;
  holdEnd: number;
  /** Standard deviation of the history (interval fallback). */
  sd: number;
}

export function evaluateSeries(y: Float64Array, fd: number, o: SelectOptions): Evaluated {
  const n = y.length, h = o.h;
  const { cls } = classify(y, fd, n);
  const cands: readonly MethodName[] = cls === 'no_demand' ? [] : o.method === 'auto' ? CANDIDATES[cls] : [o.method];
  const bt: number[] = [];
  for (let k = ORIGINS + 1; k >= 1; k--) { const e = n - k * h; if (e >= fd + MIN_TRAIN) bt.push(e); }
  const nb = bt.length;
  const hasHold = nb > 0 && bt[nb - 1] === n - h;
  const ends = [...bt, n];
  const sc = hasHold ? scales(y, fd, n - h) : scales(y, fd, n);
  const s2 = sc ? sc.s2 : 0;
  const alive = ends.map((e) => aliveProbability(y, fd, e, o.lifePeriods));
  const cache = new Map<MethodName, Float64Array[]>();
  const C = cands.length;
  const ev: Evaluated = {
    cls, cands, final: [], sFinal: new Float64Array(C), nFinal: Math.min(ORIGINS, nb), mse: new Float64Array(C),
    hold: hasHold ? [] : null, sHold: new Float64Array(C), nHold: hasHold ? Math.min(ORIGINS, nb - 1) : 0,
    base: null, holdEnd: n - h, sd: 0,
  };
  for (let c = 0; c < C; c++) {
    const raw = runMethod(cands[c], y, ends, h, o.env, cache);
    const f = raw.map((x, i) => (alive[i] === 1 ? x : x.map((v) => v * alive[i])));
    ev.final.push(f[nb]);
    if (ev.hold) ev.hold.push(f[nb - 1]);
    let sse = 0;
    for (let i = 0; i < nb; i++) {
      let se = 0;
      const fi = f[i], e = bt[i];
      for (let k = 0; k < h; k++) { const d = y[e + k] - fi[k]; se += d * d; }
      const r = s2 > 0 ? Math.sqrt(se / h / s2) : Math.sqrt(se / h);
      if (i >= nb - ev.nFinal) { ev.sFinal[c] += r; sse += se; }
      if (hasHold && i < nb - 1 && i >= nb - 1 - ev.nHold) ev.sHold[c] += r;
    }
    ev.mse[c] = ev.nFinal ? sse / (ev.nFinal * h) : 0;
  }
  if (hasHold) ev.base = o.baselines.map((b) => runMethod(b, y, ends, h, o.env, cache)[nb - 1]);
  let s = 0, q = 0;
  for (let t = fd; t < n; t++) { s += y[t]; q += y[t] * y[t]; }
  ev.sd = Math.sqrt(Math.max(0, q / (n - fd) - (s / (n - fd)) ** 2));
  return ev;
}
