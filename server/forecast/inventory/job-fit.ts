/**
 * The job's lead-time-demand parameters, fitted once in the read phase from the engine's backtest windows of
 * the job sample (choose/backtest-windows.ts), and how well the same procedure covers out of sample.
 * Once per job, not per task: a task is a chunk of a site whose size depends on the thread count, and a
 * chunk of a few hundred series has too few windows for a group's dispersion or its level map (300 and 3000
 * windows), so per-task fits would make the plan depend on how a site is split. The sample is the one the
 * job-level combination weights learn from (choose/prior.ts), so the fit costs no extra backtests.
 */
import { fitPooled, fitWindows, type FitOptions, type PooledParams } from './fit.js';
import { holdoutCoverage, type BacktestCoverage } from './holdout.js';
import type { HurdleModel } from './hurdle.js';
import type { PlanSettings } from './settings.js';
import { collectWindows, type Windows } from './windows.js';

export type { BacktestCoverage } from './holdout.js';

/** Everything a partition task needs to plan its series (structured-clonable, plain JSON). */
export interface InventoryContext {
  pooled: PooledParams;
  settings: PlanSettings;
  backtest: BacktestCoverage;
}

/** Fewer engine windows than this (a group's minimum) and the fit falls back to reference windows. */
const MIN_ENGINE_WINDOWS = 300;

/**
 * The fit of the engine's windows. The backtest origins have shorter histories than the final origin (auto-sb:
 * 4-18 periods against 24), so the dispersion's dependence on history length is fitted (the plan then reads it
 * at the series' full length). No mean correction: the windows' means are already the job's one expected
 * demand (hurdle.ts, applied upstream to the forecast as well), and the plan must not move it; the hurdle's
 * chance of no demand within P is the mixture's zero (params.ts zeroOf). The mean correction (b, r) this fit
 * had before put the plan and the forecast CSV apart on 82 % (carparts) and 96 % (auto-sb) of series.
 */
const ENGINE_FIT: Omit<FitOptions, 'periods'> = {
  calibrate: true,
  historyTerm: true,
};

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
  hurdle?: HurdleModel,
): InventoryContext {
  const target = settings.defaults.target;
  if (w.size >= MIN_ENGINE_WINDOWS || periods.length === 0) {
    const pooled = fitWindows(w, ENGINE_FIT);
    if (hurdle) pooled.hurdle = hurdle;
    return { pooled, settings, backtest: holdoutCoverage(w, ENGINE_FIT, target) };
  }
  const ref = collectWindows(histories, { periods });
  const pooled = fitPooled(histories, { periods });
  if (hurdle) pooled.hurdle = hurdle;
  return { pooled, settings, backtest: holdoutCoverage(ref, {}, target) };
}
