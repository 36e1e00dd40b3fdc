/**
 * Pooled parameters of the lead-time-demand model, fitted once per job (or partition) from the backtest
 * windows of many series, like a prior:
 *  - the variance of a negative binomial around the reference mean mu over P periods:
 *    Var = a * SI * mu + c * mu^2 ('size' form). SI is the series' own size index (E[X^2]/E[X] of its
 *    non-zero demands): a compound Poisson demand has exactly Var = SI * mu, so lumpy parts get wide
 *    distributions and unit sellers narrow ones without a per-series fit; c * mu^2 is the error of the
 *    mean itself, which does not average out over the interval. The 'period' form (Var = mu + (a / P + c)
 *    mu^2, one dispersion per group) is kept as the comparison. Either extrapolates to any P. Optionally
 *    (historyTerm, on for the engine's windows) + e * SI * mu * P / n for a history of n periods: the
 *    forecast's own estimation noise, so widths learned at short backtest origins shrink at the final one;
 *  - a point mass at 0 (the part is gone), which the data can set to 0;
 *  both by maximum likelihood per group (demand class x staleness), falling back to the class and to all
 *  series where a group has too few windows;
 *  - optionally a correction of the forecast's mean per group, mean = b * mu + r * P * rate (rate = the
 *    prefix's mean demand per period): the engine's forecasts are biased conditionally on the group, as
 *    any point forecast is on features it does not use this way. In-history backtests on carparts: parts
 *    silent for > 4 intervals sold 3-8 x what the engine forecast (its obsolescence guard takes most of
 *    them to ~0, yet some revive at a fraction of their old rate), active ones 0.55-0.8 x (regression to
 *    the mean after a busy spell). A distribution around a mean that is off by that much cannot cover,
 *    whatever its dispersion. Fitted by least squares (mean.ts), not with the likelihood: by maximum
 *    likelihood the mean rose to widen the tails (in-sample sum d / sum mean 0.53-0.97, bias +13-15 %).
 *    Only for windows of the forecaster whose forecast the plan is built on (the engine's backtests):
 *    a correction learned on the reference forecaster does not apply to the engine's mean. A group's
 *    correction can be shrunk toward its parent's by its window count (meanShrink);
 *  - a map from target level to the level to read the model at (calibrate.ts).
 */
import { calibrate } from './calibrate.js';
import { fallbacks } from './features.js';
import { fitGroup } from './likelihood.js';
import { meanCorrection, type MeanCorrection } from './mean.js';
import { PRIOR, thin, type DispersionForm, type PooledParams } from './params.js';
import { collectWindows, type WindowOptions, type Windows } from './windows.js';

export { negLogLik } from './likelihood.js';
export {
  alphaAt,
  distOf,
  meanAt,
  paramsFor,
  PRIOR,
  type DispersionForm,
  type GroupParams,
  type PooledParams,
} from './params.js';
export interface FitOptions extends WindowOptions {
  /** levels to calibrate (the plan interpolates between them); default 0.5 .. 0.99 and the 0.975 */
  levels?: readonly number[];
  /** fit the point mass at 0 (default true) */
  zeroMass?: boolean;
  /**
   * calibrate the levels (default false: with reference windows it lowered in-history holdout scores on
   * both sets; with the engine's windows and the mean correction it raised them a little on both)
   */
  calibrate?: boolean;
  /** default 'size' */
  form?: DispersionForm;
  /** the mean correction per group: 'full' b and r, 'revival' r only (b = 1), default none */
  meanCorrection?: 'full' | 'revival';
  /** fit the dispersion's dependence on history length (params.ts, e); default false */
  historyTerm?: boolean;
  /** weight each window of the mean correction by the length of its origin's history; default false */
  meanByLength?: boolean;
  /** shrink a group's mean correction toward its parent's with this many pseudo-windows; default 0 */
  meanShrink?: number;
  /**
   * fit on the windows whose origin had at least this share of its series' whole history (the origins most
   * like the final one), where enough windows are left; default 0 (all)
   */
  minHistoryShare?: number;
}
type PoolOptions = Omit<FitOptions, keyof WindowOptions>;

const DEFAULT_LEVELS = [0.5, 0.8, 0.9, 0.95, 0.975, 0.99];
/** Fewer windows than this and a group borrows its parent's parameters. */
const MIN_WINDOWS = 300;
/** The likelihood of a group is evaluated on at most this many windows (evenly thinned). */
const FIT_CAP = 1500;

/** The pooled parameters from reference-forecaster windows inside the histories (no engine needed). */
export function fitPooled(histories: readonly ArrayLike<number>[], opt: FitOptions): PooledParams {
  return fitWindows(collectWindows(histories, opt), opt);
}

/** The windows a fit may use (usable ones, optionally restricted to the longer origins), by group and parent. */
function membersOf(w: Windows, opt: PoolOptions, keep: (i: number) => boolean): Map<string, number[]> {
  const share = opt.minHistoryShare ?? 0;
  const usable = (i: number) => keep(i) && (w.mu[i] > 0 || (!!opt.meanCorrection && w.rate[i] > 0));
  let long = 0;
  for (let i = 0; i < w.size; i++) if (usable(i) && w.len[i] >= share * (w.len[i] + w.left[i])) long++;
  const min = long >= MIN_WINDOWS ? share : 0;
  const members = new Map<string, number[]>();
  for (let i = 0; i < w.size; i++) {
    if (!usable(i) || w.len[i] < min * (w.len[i] + w.left[i])) continue;
    for (const k of fallbacks(w.groups[w.gid[i]])) {
      let a = members.get(k);
      if (!a) members.set(k, (a = []));
      a.push(i);
    }
  }
  return members;
}

/**
 * The pooled parameters from any backtest windows, e.g. the engine's own forecasts at in-history origins
 * (WindowSet.addOrigin): then the dispersion is that of the errors the plan will actually meet. `keep`
 * restricts the fit to some windows (a holdout fits on the earlier ones).
 */
export function fitWindows(w: Windows, opt: PoolOptions = {}, keep: (i: number) => boolean = () => true): PooledParams {
  const members = membersOf(w, opt, keep);
  const form = opt.form ?? 'size';
  const pooled: PooledParams = { groups: {}, calibration: {}, minWindows: MIN_WINDOWS, form };
  const means = meanCorrections(w, members, opt);
  const gopt = { zeroMass: opt.zeroMass ?? true, form, historyTerm: opt.historyTerm ?? false };
  for (const [k, idx] of members) {
    if (idx.length < MIN_WINDOWS) continue;
    const mean = means.get(k) ?? {};
    pooled.groups[k] = { ...fitGroup(w, thin(idx, FIT_CAP), gopt, mean), ...mean, windows: idx.length };
  }
  if (!pooled.groups['*']) pooled.groups['*'] = PRIOR;
  if (opt.calibrate ?? false) calibrate(w, members, pooled, opt.levels ?? DEFAULT_LEVELS);
  return pooled;
}

/**
 * The mean correction of every group with enough windows, most general first, each shrunk toward its
 * parent's by evidence (meanShrink pseudo-windows): a class x staleness group of a few hundred windows
 * borrows from its class, a group of many thousands keeps its own.
 */
function meanCorrections(w: Windows, members: Map<string, number[]>, opt: PoolOptions): Map<string, MeanCorrection> {
  const out = new Map<string, MeanCorrection>();
  if (!opt.meanCorrection) return out;
  const weight = opt.meanByLength ? (i: number) => w.len[i] : undefined;
  const k0 = opt.meanShrink ?? 0;
  const keys = [...members.keys()].filter((k) => members.get(k)!.length >= MIN_WINDOWS);
  for (const k of keys.sort((x, y) => depth(x) - depth(y))) {
    const own = meanCorrection(w, members.get(k)!, opt.meanCorrection, weight);
    const parent = k === '*' ? undefined : out.get(fallbacks(k)[1]);
    if (!parent || k0 <= 0) {
      out.set(k, own);
      continue;
    }
    const n = members.get(k)!.length;
    const f = n / (n + k0);
    out.set(k, { b: f * own.b + (1 - f) * (parent.b ?? 1), r: f * own.r + (1 - f) * (parent.r ?? 0) });
  }
  return out;
}
const depth = (k: string) => (k === '*' ? 0 : k.includes('/') ? 2 : 1);
