/**
 * The engine's own backtest forecasts as windows: at each backtest origin of a series, the final combination's
 * mean (Chosen.bt) against the demand that followed. hurdleWindows: over the horizon, for the hurdle
 * (inventory/hurdle.ts) that turns the engine's mean into the job's one expected demand; backtestWindows: summed
 * over each protection interval P, with the hurdle's mean, for the plan's spread. Every window lies inside
 * the training history, so nothing after the forecast origin is read.
 */
import { fitHurdle, HurdleWindows, type HurdleModel } from '../inventory/hurdle.js';
import { WindowSet } from '../inventory/windows.js';
import type { Chosen } from './choose.js';
import type { JobSample } from './prior.js';
import { originEnds } from './select.js';

/** Each origin of the sample once: the history from its first demand, the origin in it, the engine's level. */
function eachOrigin(
  sample: JobSample,
  chosen: readonly Chosen[],
  h: number,
  f: (history: Float64Array, origin: number, level: number) => void,
): void {
  sample.hist.forEach(({ y, fd }, i) => {
    const bt = chosen[i].bt;
    if (bt.length === 0) return;
    // the origins chooseAll combined, in the same (descending) order; the history starts at the first demand
    const ends = originEnds(y.length, fd, h);
    const history = y.subarray(fd);
    for (let j = 0; j < bt.length && j < ends.length; j++) f(history, ends[j] - fd, bt[j]);
  });
}

/** The job's hurdle, from the sample's backtest origins over the horizon h. */
export function fitJobHurdle(sample: JobSample, chosen: readonly Chosen[], h: number): HurdleModel {
  const w = new HurdleWindows(h);
  eachOrigin(sample, chosen, h, (history, origin, level) => w.addOrigin(history, origin, level));
  return fitHurdle(w);
}

export function backtestWindows(
  sample: JobSample,
  chosen: readonly Chosen[],
  h: number,
  periods: number[],
  hurdle?: HurdleModel,
): WindowSet {
  const set = new WindowSet();
  if (periods.length === 0) return set;
  const level = new Float64Array(1);
  eachOrigin(sample, chosen, h, (history, origin, lv) => {
    level[0] = lv;
    set.addOrigin(history, origin, level, periods, hurdle);
  });
  return set;
}
