/**
 * The engine's own backtest forecasts as inventory windows: at each backtest origin of a series, the final
 * combination's mean (Chosen.bt) against the demand that followed, summed over each protection interval P.
 * Every window lies inside the training history, so nothing after the forecast origin is read.
 */
import { WindowSet } from '../inventory/windows.js';
import type { Chosen } from './choose.js';
import type { JobSample } from './prior.js';
import { originEnds } from './select.js';

export function backtestWindows(sample: JobSample, chosen: readonly Chosen[], h: number, periods: number[]): WindowSet {
  const set = new WindowSet();
  if (periods.length === 0) return set;
  const level = new Float64Array(1);
  sample.hist.forEach(({ y, fd }, i) => {
    const bt = chosen[i].bt;
    if (bt.length === 0) return;
    // the origins chooseAll combined, in the same (descending) order; the history starts at the first demand
    const ends = originEnds(y.length, fd, h);
    const history = y.subarray(fd);
    for (let j = 0; j < bt.length && j < ends.length; j++) {
      level[0] = bt[j];
      set.addOrigin(history, ends[j] - fd, level, periods);
    }
  });
  return set;
}
