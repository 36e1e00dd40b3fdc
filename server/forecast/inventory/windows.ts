/**
 * Rolling-origin backtest windows inside the histories: at origin t a window sees only the history before t
 * (its group and reference mean come from that prefix) and its outcome is the demand summed over
 * periods t .. t+P-1, which are all still inside the history. Nothing after the final origin is used.
 */
import { RunningStats } from './features.js';

export interface Windows {
  /** the prefix's reference mean over P periods */
  mu: Float64Array;
  /** demand summed over the P periods after the origin */
  d: Float64Array;
  p: Int32Array;
  /** the prefix's size index (features.ts) */
  si: Float64Array;
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

export function collectWindows(histories: readonly ArrayLike<number>[], opt: WindowOptions): Windows {
  const Ps = [...new Set(opt.periods)].filter((p) => p > 0).sort((a, b) => a - b);
  const maxOrigins = opt.maxOrigins ?? 36;
  const maxWindows = opt.maxWindows ?? 200_000;
  let estimate = 0;
  for (const y of histories) estimate += Math.min(Math.max(0, y.length - 1), maxOrigins) * Ps.length;
  const seriesStride = Math.max(1, Math.ceil(estimate / maxWindows));
  const cap = Math.ceil(estimate / seriesStride) + Ps.length * maxOrigins;
  const w: Windows = {
    mu: new Float64Array(cap), d: new Float64Array(cap), p: new Int32Array(cap), si: new Float64Array(cap), gid: new Int32Array(cap),
    groups: [], size: 0,
  };
  const gidOf = new Map<string, number>();
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
        const g = st.group();
        const si = st.sizeIndex();
        let gid = gidOf.get(g);
        if (gid === undefined) gidOf.set(g, (gid = w.groups.push(g) - 1));
        for (const P of Ps) {
          if (t + P > n || w.size >= cap) break;
          const i = w.size++;
          w.mu[i] = st.level * P;
          w.d[i] = Math.round(cum[t + P] - cum[t]);
          w.p[i] = P;
          w.si[i] = si;
          w.gid[i] = gid;
        }
      }
      st.push(y[t]);
    }
  }
  return w;
}
