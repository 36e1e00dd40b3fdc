/**
 * A map from target level to the level to read the model at, so that the randomised PIT of the backtest
 * windows is uniform where the NB shape is wrong (conformal-style, pooled per group).
 */
import { cdf } from './dist.js';
import { fallbacks } from './features.js';
import { distOf, paramsFor, thin, type Calibration, type PooledParams } from './params.js';
import type { Windows } from './windows.js';

/** A level map from fewer windows than this is mostly noise at 0.99 (about 30 exceedances). */
const MIN_CAL_WINDOWS = 3000;

export function calibrationFor(pooled: PooledParams, group: string): Calibration | null {
  for (const k of fallbacks(group)) {
    const c = pooled.calibration[k];
    if (c && c.windows >= MIN_CAL_WINDOWS) return c;
  }
  return null;
}

/** Randomised PIT per window: uniform on [F(d-1), F(d)]; the level map makes their mixture uniform. */
export function calibrate(
  w: Windows,
  members: Map<string, number[]>,
  pooled: PooledParams,
  levels: readonly number[],
): void {
  const lo = new Float64Array(w.size);
  const hi = new Float64Array(w.size);
  for (let i = 0; i < w.size; i++) {
    if (!(w.mu[i] > 0 || w.rate[i] > 0)) continue;
    const dist = distOf(pooled.form, paramsFor(pooled, w.groups[w.gid[i]]), w, i);
    lo[i] = cdf(w.d[i] - 1, dist);
    hi[i] = cdf(w.d[i], dist);
  }
  const sorted = [...levels].sort((a, b) => a - b);
  for (const [k, all] of members) {
    if (all.length < MIN_CAL_WINDOWS) continue;
    const idx = thin(all, 20_000);
    const G = (x: number) => {
      let s = 0;
      for (const i of idx) {
        const width = hi[i] - lo[i];
        s += width > 1e-12 ? Math.min(1, Math.max(0, (x - lo[i]) / width)) : +(x >= hi[i]);
      }
      return s / idx.length;
    };
    const read = sorted.map((tau) => {
      let a = 1e-4;
      let b = 1 - 1e-5;
      for (let it = 0; it < 30; it++) {
        const m = (a + b) / 2;
        if (G(m) >= tau) b = m;
        else a = m;
      }
      return b;
    });
    pooled.calibration[k] = { levels: sorted, read, windows: all.length };
  }
}
