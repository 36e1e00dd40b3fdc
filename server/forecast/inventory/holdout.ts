/**
 * Out-of-sample figures of the lead-time-demand fit for the job metrics: the same fit repeated on the
 * windows whose outcome ended by the latest backtest origin, scored on the windows starting at that origin
 * (per P: the latest origin a window of that length fits after).
 * Every series ends at the final origin, so `left` (periods from a window's origin to the end) orders the
 * origins in time across series; the scored windows are never seen by the fit they score, nor by its
 * level map.
 */
import { calibrationFor } from './calibrate.js';
import { quantiles } from './dist.js';
import { distOf, fitWindows, paramsFor, type FitOptions } from './fit.js';
import { PLAN_LEVELS, readLevel } from './ltd.js';
import type { Windows } from './windows.js';

export interface BacktestCoverage {
  target: number;
  /** share of the scored windows whose demand was ≤ the order-up-to level at the target; null: none scored */
  coverage: number | null;
  /** mean pinball loss at PLAN_LEVELS, each window scaled by P × its history's mean demand per period */
  spl: number | null;
  /** coverage at each of PLAN_LEVELS (same windows) */
  byLevel: number[];
  /** windows scored (from the latest backtest origin) and windows the holdout fit saw (earlier outcomes) */
  windows: number;
  fitWindows: number;
}

export function holdoutCoverage(w: Windows, opt: Omit<FitOptions, 'periods'>, target: number): BacktestCoverage {
  const usable = (i: number) => w.mu[i] > 0 || w.rate[i] > 0;
  // per P the latest origin whose window fits (a long P cannot reach the latest origins); the fit ends before
  // the earliest of them, so no scored outcome is seen by the fit whatever its P
  const latest = new Map<number, number>();
  for (let i = 0; i < w.size; i++)
    if (usable(i)) latest.set(w.p[i], Math.min(latest.get(w.p[i]) ?? Infinity, w.left[i]));
  const cut = Math.max(-Infinity, ...latest.values());
  const before = (i: number) => w.left[i] - w.p[i] >= cut;
  let fitN = 0;
  for (let i = 0; i < w.size; i++) if (usable(i) && before(i)) fitN++;
  const none: BacktestCoverage = { target, coverage: null, spl: null, byLevel: [], windows: 0, fitWindows: fitN };
  if (fitN === 0) return none;
  const pooled = fitWindows(w, opt, before);
  const levels = [...PLAN_LEVELS, target];
  let n = 0;
  let lossSum = 0;
  let scaled = 0;
  const hits = levels.map(() => 0);
  for (let i = 0; i < w.size; i++) {
    if (!usable(i) || w.left[i] !== latest.get(w.p[i])) continue;
    const group = w.groups[w.gid[i]];
    const cal = calibrationFor(pooled, group);
    const q = quantiles(
      distOf(pooled.form, paramsFor(pooled, group), w, i),
      levels.map((t) => readLevel(cal, t)),
    );
    n++;
    q.forEach((x, j) => (hits[j] += +(w.d[i] <= x)));
    const scale = w.p[i] * w.rate[i];
    if (!(scale > 0)) continue;
    let loss = 0;
    for (let j = 0; j < PLAN_LEVELS.length; j++) {
      const u = w.d[i] - q[j];
      loss += u >= 0 ? PLAN_LEVELS[j] * u : (PLAN_LEVELS[j] - 1) * u;
    }
    lossSum += loss / PLAN_LEVELS.length / scale;
    scaled++;
  }
  if (n === 0) return none;
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    target,
    coverage: round(hits[levels.length - 1] / n),
    spl: scaled ? round(lossSum / scaled) : null,
    byLevel: hits.slice(0, PLAN_LEVELS.length).map((h) => round(h / n)),
    windows: n,
    fitWindows: fitN,
  };
}
