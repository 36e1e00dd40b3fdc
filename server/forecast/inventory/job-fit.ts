/**
 * The job's lead-time-demand parameters, fitted once in the read phase from the engine's backtest windows of
 * the job sample (choose/backtest-windows.ts), and how well they cover in those windows.
 * Once per job, not per task: a task is a chunk of a site whose size depends on the thread count, and a
 * chunk of a few hundred series has too few windows for a group's dispersion or its level map (300 and 3000
 * windows), so per-task fits would make the plan depend on how a site is split. The sample is the one the
 * job-level combination weights learn from (choose/prior.ts), so the fit costs no extra backtests.
 */
import { calibrationFor } from './calibrate.js';
import { quantiles } from './dist.js';
import { distOf, fitPooled, fitWindows, paramsFor, type PooledParams } from './fit.js';
import { readLevel } from './ltd.js';
import type { PlanSettings } from './settings.js';
import { collectWindows, type Windows } from './windows.js';

/** Coverage of the fitted model in its own backtest windows (in-sample: the level map was fitted there). */
export interface BacktestCoverage {
  target: number;
  /** share of windows whose demand was ≤ the order-up-to level at the target; null without windows */
  coverage: number | null;
  windows: number;
}

/** Everything a partition task needs to plan its series (structured-clonable, plain JSON). */
export interface InventoryContext {
  pooled: PooledParams;
  settings: PlanSettings;
  backtest: BacktestCoverage;
}

/** Fewer engine windows than this (a group's minimum) and the fit falls back to reference windows. */
const MIN_ENGINE_WINDOWS = 300;

/**
 * From the engine's windows; when they are too few (P much longer than the backtest reaches: origins go back
 * about two horizons), from reference-forecaster windows of the same sample's histories (fitPooled: no mean
 * correction, which is learned for the engine's forecasts only).
 */
export function fitInventory(
  w: Windows,
  settings: PlanSettings,
  histories: readonly ArrayLike<number>[],
  periods: readonly number[],
): InventoryContext {
  if (w.size >= MIN_ENGINE_WINDOWS || periods.length === 0) {
    const pooled = fitWindows(w, { meanCorrection: 'full', calibrate: true });
    return { pooled, settings, backtest: backtestCoverage(w, pooled, settings.defaults.target) };
  }
  const ref = collectWindows(histories, { periods });
  const pooled = fitPooled(histories, { periods });
  return { pooled, settings, backtest: backtestCoverage(ref, pooled, settings.defaults.target) };
}

export function backtestCoverage(w: Windows, pooled: PooledParams, target: number): BacktestCoverage {
  let n = 0,
    hit = 0;
  for (let i = 0; i < w.size; i++) {
    if (!(w.mu[i] > 0 || w.rate[i] > 0)) continue;
    const group = w.groups[w.gid[i]];
    const dist = distOf(pooled.form, paramsFor(pooled, group), w, i);
    const q = quantiles(dist, [readLevel(calibrationFor(pooled, group), target)])[0];
    n++;
    if (w.d[i] <= q) hit++;
  }
  return { target, coverage: n ? Math.round((hit / n) * 1e4) / 1e4 : null, windows: n };
}
