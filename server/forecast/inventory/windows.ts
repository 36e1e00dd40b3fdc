/**
 * Backtest windows of P-period sums inside the histories. A window at origin t sees only the history before
 * t (its group and size index come from that prefix); its outcome is the demand summed over periods
 * t .. t+P-1, all still inside the history. Nothing after the final origin is used.
 * Two sources of the window's mean: the simple reference forecaster (collectWindows, always available) or
 * the engine's own forecasts at its backtest origins (WindowSet.addOrigin), whose errors are the ones the
 * plan must cover at the final origin.
 */
import { RunningStats } from './features.js';
import { featuresOf, hurdleLevel, recurFor, type HurdleFeatures, type HurdleModel } from './hurdle.js';
import { forecastOverP } from './periods.js';

export interface Windows {
  /** the window's forecast mean over P periods */
  mu: Float64Array;
  /** demand summed over the P periods after the origin */
  d: Float64Array;
  p: Int32Array;
  /** the prefix's size index (features.ts) */
  si: Float64Array;
  /** the prefix's mean demand per period */
  rate: Float64Array;
  /** the hurdle's chance of any demand within P (hurdle.ts; 1 without it) */
  pi?: Float64Array;
  /** the prefix's length in periods (the history the window's forecast saw) */
  len: Int32Array;
  /** periods from the origin to the end of the history: all series end there, so it orders origins in time */
  left: Int32Array;
  /** index into groups */
  gid: Int32Array;
  groups: string[];
  size: number;
}

export interface WindowOptions {
  /** the protection intervals the plan needs (distinct values) */
  periods: readonly number[];
  /** at most this many origins per series, spread evenly: long daily histories would otherwise dominate */
  maxOrigins?: number;
  /** at most about this many windows in all (series are thinned evenly beyond it): the fit is a prior */
  maxWindows?: number;
}

/** A growable set of windows; `windows()` packs it for the fit. */
export class WindowSet {
  private mu: number[] = [];
  private d: number[] = [];
  private p: number[] = [];
  private si: number[] = [];
  private rate: number[] = [];
  private pi: number[] = [];
  private len: number[] = [];
  private left: number[] = [];
  private gid: number[] = [];
  private groups: string[] = [];
  private gidOf = new Map<string, number>();

  get size(): number {
    return this.mu.length;
  }

  /**
   * One window with the prefix statistics `st` (taken at the origin), forecast mean mu, outcome d, and `left`
   * periods from the origin to the end of the history.
   */
  add(st: RunningStats, P: number, mu: number, d: number, left: number, pi = 1): void {
    const g = st.group();
    let gid = this.gidOf.get(g);
    if (gid === undefined) {
      gid = this.groups.push(g) - 1;
      this.gidOf.set(g, gid);
    }
    this.mu.push(mu);
    this.d.push(Math.round(d));
    this.p.push(P);
    this.si.push(st.sizeIndex());
    this.rate.push(st.n > 0 ? st.sum / st.n : 0);
    this.pi.push(pi);
    this.len.push(st.n);
    this.left.push(left);
    this.gid.push(gid);
  }

  /**
   * The engine's forecast at a backtest origin of one series. `history` is the series' whole per-period
   * history (first demand .. final origin, zeros included), `origin` the index of the first forecast period
   * (the forecast used history[0 .. origin-1] only), `forecast` the engine's per-period mean from there.
   * One window per P in `periods` whose outcome lies inside the history; a prefix without demand adds none.
   * With the job's hurdle (hurdle.ts) the forecast is first turned into the hurdle's mean, as at the final
   * origin, and each window keeps its chance of any demand within P.
   */
  addOrigin(
    history: ArrayLike<number>,
    origin: number,
    forecast: ArrayLike<number>,
    periods: readonly number[],
    hurdle?: HurdleModel,
  ): void {
    if (!(origin >= 1 && origin < history.length) || forecast.length === 0) return;
    const st = new RunningStats();
    for (let t = 0; t < origin; t++) st.push(history[t]);
    this.addStats(st, history, origin, forecast, periods, hurdle);
  }

  /**
   * addOrigin with the statistics `st` of history[0 .. origin-1] already taken (read, not changed), and with
   * the hurdle, optionally their features (featuresOf(st)).
   */
  addStats(
    st: RunningStats,
    history: ArrayLike<number>,
    origin: number,
    forecast: ArrayLike<number>,
    periods: readonly number[],
    hurdle?: HurdleModel,
    features?: HurdleFeatures,
  ): void {
    if (!(origin >= 1 && origin < history.length) || forecast.length === 0) return;
    if (st.nonzero === 0) return;
    const f = hurdle ? (features ?? featuresOf(st)) : null;
    const fc = f && hurdle ? Float64Array.from(forecast, (v) => hurdleLevel(hurdle, f, v)) : forecast;
    for (const P of periods) {
      if (!(P > 0) || origin + P > history.length) continue;
      let d = 0;
      for (let t = origin; t < origin + P; t++) d += history[t];
      const mean = forecastOverP(fc, P);
      const pi = f && hurdle ? recurFor(hurdle, f, P, mean) : 1;
      this.add(st, P, mean, d, history.length - origin, pi);
    }
  }

  windows(): Windows {
    return {
      mu: Float64Array.from(this.mu),
      d: Float64Array.from(this.d),
      p: Int32Array.from(this.p),
      si: Float64Array.from(this.si),
      rate: Float64Array.from(this.rate),
      pi: Float64Array.from(this.pi),
      len: Int32Array.from(this.len),
      left: Int32Array.from(this.left),
      gid: Int32Array.from(this.gid),
      groups: [...this.groups],
      size: this.mu.length,
    };
  }
}

/** Reference-forecaster windows (SES level of the prefix) at up to maxOrigins recent origins per series. */
export function collectWindows(histories: readonly ArrayLike<number>[], opt: WindowOptions): Windows {
  const Ps = [...new Set(opt.periods)].filter((p) => p > 0).sort((a, b) => a - b);
  const maxOrigins = opt.maxOrigins ?? 36;
  const maxWindows = opt.maxWindows ?? 200_000;
  let estimate = 0;
  for (const y of histories) estimate += Math.min(Math.max(0, y.length - 1), maxOrigins) * Ps.length;
  const seriesStride = Math.max(1, Math.ceil(estimate / maxWindows));
  const set = new WindowSet();
  for (let s = 0; s < histories.length; s += seriesStride) {
    const y = histories[s];
    const n = y.length;
    if (n < 2 || Ps.length === 0) continue;
    const cum = new Float64Array(n + 1);
    for (let t = 0; t < n; t++) cum[t + 1] = cum[t] + y[t];
    // the newest origins are the most like the final one: the stride counts back from the end
    const stride = Math.max(1, Math.ceil((n - 1) / maxOrigins));
    const st = new RunningStats();
    st.push(y[0]);
    for (let t = 1; t < n; t++) {
      if ((n - 1 - t) % stride === 0) {
        for (const P of Ps) {
          if (t + P > n) break;
          set.add(st, P, st.level * P, cum[t + P] - cum[t], n - t);
        }
      }
      st.push(y[t]);
    }
  }
  return set.windows();
}
