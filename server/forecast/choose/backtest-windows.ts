/**
 * The engine's own backtest forecasts as windows: at each backtest origin of a series, the final combination's
 * mean (Chosen.bt) against the demand that followed. hurdleWindows: over the horizon, for the hurdle
 * (inventory/hurdle.ts) that turns the engine's mean into the job's one expected demand; backtestWindows: summed
 * over each protection interval P, with the hurdle's mean, for the plan's spread. Every window lies inside
 * the training history, so nothing after the forecast origin is read.
 */
import { RunningStats } from '../inventory/features.js';
import { featuresOf, fitHurdle, HurdleWindows, type HurdleFeatures, type HurdleModel } from '../inventory/hurdle.js';
import { WindowSet } from '../inventory/windows.js';
import type { Chosen } from './choose.js';
import type { JobSample } from './prior.js';
import { originEnds } from './select.js';

/** One backtest origin of a sample series: its history from the first demand, the origin, the engine's level. */
export interface SampleOrigin {
  history: Float64Array;
  origin: number;
  level: number;
  /** the statistics of history[0 .. origin-1] and, when it holds a demand, their hurdle features */
  st: RunningStats;
  f: HurdleFeatures | null;
}

/**
 * Each origin of the sample once, in the order chooseAll combined them (per series, descending). The
 * prefix statistics are taken in one pass per series (the origins ascending, a snapshot at each), not once
 * per origin, and are shared by the hurdle's fit and the plan's windows: the same pushes in the same order,
 * so the same numbers as a fresh RunningStats per origin.
 */
export function sampleOrigins(sample: JobSample, chosen: readonly Chosen[], h: number): SampleOrigin[] {
  const out: SampleOrigin[] = [];
  sample.hist.forEach(({ y, fd }, i) => {
    const bt = chosen[i].bt;
    if (bt.length === 0) return;
    // the origins chooseAll combined, in the same (descending) order; the history starts at the first demand
    const ends = originEnds(y.length, fd, h);
    const history = y.subarray(fd);
    const k = Math.min(bt.length, ends.length);
    const snaps: RunningStats[] = new Array<RunningStats>(k);
    const st = new RunningStats();
    let t = 0;
    for (let j = k - 1; j >= 0; j--) {
      const origin = ends[j] - fd;
      for (; t < origin; t++) st.push(history[t]);
      snaps[j] = Object.assign(new RunningStats(), st);
    }
    for (let j = 0; j < k; j++) {
      const s = snaps[j];
      out.push({ history, origin: ends[j] - fd, level: bt[j], st: s, f: s.nonzero > 0 ? featuresOf(s) : null });
    }
  });
  return out;
}

/** The job's hurdle, from the sample's backtest origins over the horizon h. */
export function fitJobHurdle(origins: readonly SampleOrigin[], h: number): HurdleModel {
  const w = new HurdleWindows(h);
  for (const o of origins) if (o.f) w.addFeatures(o.f, o.history, o.origin, o.level);
  return fitHurdle(w);
}

export function backtestWindows(origins: readonly SampleOrigin[], periods: number[], hurdle?: HurdleModel): WindowSet {
  const set = new WindowSet();
  if (periods.length === 0) return set;
  const level = new Float64Array(1);
  for (const o of origins) {
    level[0] = o.level;
    set.addStats(o.st, o.history, o.origin, level, periods, hurdle, o.f ?? undefined);
  }
  return set;
}
