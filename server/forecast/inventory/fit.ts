/**
 * Pooled parameters of the lead-time-demand model, fitted once per job (or partition) from the backtest
 * windows of many series, like a prior:
 *  - the variance of a negative binomial around the reference mean mu over P periods:
 *    Var = a * SI * mu + c * mu^2 ('size' form). SI is the series' own size index (E[X^2]/E[X] of its
 *    non-zero demands): a compound Poisson demand has exactly Var = SI * mu, so lumpy parts get wide
 *    distributions and unit sellers narrow ones without a per-series fit; c * mu^2 is the error of the
 *    mean itself, which does not average out over the interval. The 'period' form (Var = mu + (a / P + c)
 *    mu^2, one dispersion per group) is kept as the comparison. Either extrapolates to any P;
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
 *    a correction learned on the reference forecaster does not apply to the engine's mean;
 *  - a map from target level to the level to read the model at (calibrate.ts).
 */
import { calibrate, type Calibration } from './calibrate.js';
import { mixtureWithMean, nbLogPmf, type LtdDist } from './dist.js';
import { fallbacks } from './features.js';
import { meanCorrection, type MeanCorrection } from './mean.js';
import { collectWindows, type WindowOptions, type Windows } from './windows.js';

export interface GroupParams {
  a: number;
  c: number;
  zero: number;
  windows: number;
  /** mean correction: mean = b * mu + r * P * rate (absent: b = 1, r = 0) */
  b?: number;
  r?: number;
}
export interface PooledParams {
  /** by group key ('lumpy/quiet'), class ('lumpy') and '*' (always present) */
  groups: Record<string, GroupParams>;
  calibration: Record<string, Calibration>;
  minWindows: number;
  form: DispersionForm;
}
export type DispersionForm = 'size' | 'period';
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
}

export const DEFAULT_LEVELS = [0.5, 0.8, 0.9, 0.95, 0.975, 0.99];
/** Fewer windows than this and a group borrows its parent's parameters. */
const MIN_WINDOWS = 300;
/** The likelihood of a group is evaluated on at most this many windows (evenly thinned). */
const FIT_CAP = 1500;

/** The default pooled parameters when nothing can be fitted: mildly overdispersed, no zero mass, no map. */
export const PRIOR: GroupParams = { a: 0.5, c: 0.1, zero: 0, windows: 0 };

/** The plan's mean over P periods from the forecast mean mu and the history's mean rate per period. */
export function meanAt(g: GroupParams, mu: number, P: number, rate: number): number {
  return (g.b ?? 1) * mu + (g.r ?? 0) * P * rate;
}

/** NB dispersion alpha (Var = mu + alpha mu^2) of a series with size index si over P periods. */
export function alphaAt(form: DispersionForm, g: GroupParams, P: number, mu: number, si: number): number {
  if (form === 'period') return g.a / Math.max(P, 1) + g.c;
  return Math.max(0, g.a * si - 1) / Math.max(mu, 1e-9) + g.c;
}

/** The most specific group with enough windows. */
export function paramsFor(pooled: PooledParams, group: string): GroupParams {
  for (const k of fallbacks(group)) {
    const g = pooled.groups[k];
    if (g && g.windows >= pooled.minWindows) return g;
  }
  return pooled.groups['*'] ?? PRIOR;
}

/** The pooled parameters from reference-forecaster windows inside the histories (no engine needed). */
export function fitPooled(histories: readonly ArrayLike<number>[], opt: FitOptions): PooledParams {
  return fitWindows(collectWindows(histories, opt), opt);
}

/**
 * The pooled parameters from any backtest windows, e.g. the engine's own forecasts at in-history origins
 * (WindowSet.addOrigin): then the dispersion is that of the errors the plan will actually meet.
 */
export function fitWindows(w: Windows, opt: Omit<FitOptions, keyof WindowOptions> = {}): PooledParams {
  const members = new Map<string, number[]>();
  for (let i = 0; i < w.size; i++) {
    if (!(w.mu[i] > 0 || (opt.meanCorrection && w.rate[i] > 0))) continue;
    for (const k of fallbacks(w.groups[w.gid[i]])) {
      let a = members.get(k);
      if (!a) members.set(k, (a = []));
      a.push(i);
    }
  }
  const form = opt.form ?? 'size';
  const pooled: PooledParams = { groups: {}, calibration: {}, minWindows: MIN_WINDOWS, form };
  for (const [k, idx] of members) {
    if (idx.length < MIN_WINDOWS) continue;
    const mean: MeanCorrection = opt.meanCorrection ? meanCorrection(w, idx, opt.meanCorrection) : {};
    const fit = fitGroup(w, thin(idx, FIT_CAP), opt.zeroMass ?? true, form, mean);
    pooled.groups[k] = { ...fit, ...mean, windows: idx.length };
  }
  if (!pooled.groups['*']) pooled.groups['*'] = PRIOR;
  if (opt.calibrate ?? false) calibrate(w, members, pooled, opt.levels ?? DEFAULT_LEVELS);
  return pooled;
}

export function thin(idx: number[], cap: number): number[] {
  if (idx.length <= cap) return idx;
  const out: number[] = [];
  const step = idx.length / cap;
  for (let j = 0; j < cap; j++) out.push(idx[Math.floor(j * step)]);
  return out;
}

export function distOf(form: DispersionForm, g: GroupParams, w: Windows, i: number): LtdDist {
  const m = meanAt(g, w.mu[i], w.p[i], w.rate[i]);
  return mixtureWithMean(m, alphaAt(form, g, w.p[i], m, w.si[i]), g.zero);
}

/** -Σ logPmf(d, distOf(...)) over the windows, inlined: the fit's hot loop, no object per window. */
export function negLogLik(w: Windows, idx: number[], g: GroupParams, form: DispersionForm): number {
  const b = g.b ?? 1;
  const r = g.r ?? 0;
  const z = Math.min(Math.max(g.zero, 0), 0.999);
  const logKeep = Math.log1p(-z);
  let s = 0;
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j];
    const d = w.d[i];
    const m = b * w.mu[i] + r * w.p[i] * w.rate[i];
    if (!(m > 0)) {
      // mixtureWithMean's point mass at 0 (zero = 1)
      s -= d === 0 ? 0 : -Infinity;
      continue;
    }
    const alpha = Math.max(alphaAt(form, g, w.p[i], m, w.si[i]), 0);
    const nb = nbLogPmf(d, m / (1 - z), alpha);
    s -= d !== 0 || z <= 0 ? logKeep + nb : Math.log(z + (1 - z) * Math.exp(nb));
  }
  return s;
}

/** Coordinate descent with golden-section steps; a and c on a log scale (both may be near 0). */
function fitGroup(w: Windows, idx: number[], zeroMass: boolean, form: DispersionForm, mean: MeanCorrection) {
  const g: GroupParams = { ...PRIOR, a: form === 'size' ? 1 : PRIOR.a, ...mean };
  const nll = (x: GroupParams) => negLogLik(w, idx, x, form);
  const LOG_LO = Math.log(1e-4);
  const LOG_HI = Math.log(50);
  for (let round = 0; round < 2; round++) {
    g.a = Math.exp(golden(LOG_LO, LOG_HI, (x) => nll({ ...g, a: Math.exp(x) })));
    g.c = Math.exp(golden(LOG_LO, LOG_HI, (x) => nll({ ...g, c: Math.exp(x) })));
    if (zeroMass) g.zero = golden(0, 0.95, (z) => nll({ ...g, zero: z }));
  }
  return { a: g.a, c: g.c, zero: g.zero };
}

function golden(lo: number, hi: number, f: (x: number) => number, iters = 14): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - r * (hi - lo);
  let x2 = lo + r * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let k = 0; k < iters; k++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - r * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + r * (hi - lo);
      f2 = f(x2);
    }
  }
  return (lo + hi) / 2;
}
