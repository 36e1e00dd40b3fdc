/**
 * The spread of a forecast period for its 80 % interval. The backtest error (or, without backtests, the
 * history's spread) can be 0 on a short or intermittent series (one demand: nothing varies yet), and an
 * interval of width 0 would claim certainty. Demand is a count: sizes X arriving as a Poisson stream with mean
 * μ per period have variance μ·E[X²]/E[X] (compound Poisson), so that is the least spread of a period whose
 * mean is μ; E[X²]/E[X] comes from the series' own demand sizes.
 */
import type { Evaluated } from './evaluated.js';

/** Standard deviation of one period's demand around the mean `model` (0 only when the mean is 0). */
export function periodSd(mse: number, ev: Pick<Evaluated, 'sd' | 'size2'>, model: number): number {
  const backtest = Number.isFinite(mse) ? mse : ev.sd * ev.sd;
  return Math.sqrt(Math.max(backtest, Math.max(0, model) * ev.size2));
}
