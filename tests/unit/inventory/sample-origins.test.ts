/**
 * The shared prefix statistics of the sample's backtest origins (choose/backtest-windows.ts): one pass per
 * series, yet the same numbers, windows and hurdle as a fresh prefix scan per origin (WindowSet.addOrigin,
 * HurdleWindows.addOrigin), so reusing them changes no plan or forecast.
 */
import { describe, expect, it } from 'vitest';
import type { Chosen } from '../../../server/forecast/choose/choose.js';
import type { JobSample } from '../../../server/forecast/choose/prior.js';
import { originEnds } from '../../../server/forecast/choose/select.js';
import { backtestWindows, fitJobHurdle, sampleOrigins } from '../../../server/forecast/choose/backtest-windows.js';
import { fitHurdle, HurdleWindows } from '../../../server/forecast/inventory/hurdle.js';
import { statsOf } from '../../../server/forecast/inventory/features.js';
import { WindowSet } from '../../../server/forecast/inventory/windows.js';

const H = 6;

/** Series with leading zeros, silent stretches and lumps; levels per origin as chooseAll would give them. */
function sample(): { s: JobSample; chosen: Chosen[] } {
  const s: JobSample = { evs: [], hist: [] };
  const chosen: Chosen[] = [];
  let seed = 7;
  const r = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let k = 0; k < 12; k++) {
    const len = 30 + 4 * k;
    const y = new Float64Array(len);
    const fd = k % 4;
    for (let t = fd; t < len; t++) y[t] = t === fd ? 1 + k : r() < 0.3 ? Math.floor(1 + 9 * r() * r()) : 0;
    if (k % 3 === 0) y.fill(0, fd + 1, fd + 12); // silent right after the first demand
    s.hist.push({ y, fd });
    const J = k === 5 ? 0 : originEnds(len, fd, H).length;
    chosen.push({
      final: { mean: new Float64Array(H), method: 'x', mse: 0 },
      hold: null,
      bt: Float64Array.from({ length: J }, () => r()),
    });
  }
  return { s, chosen };
}

describe('sampleOrigins', () => {
  it('takes at each origin exactly the statistics of a fresh scan of its prefix', () => {
    const { s, chosen } = sample();
    const origins = sampleOrigins(s, chosen, H);
    expect(origins.length).toBeGreaterThan(40);
    for (const o of origins) {
      const fresh = statsOf(o.history.subarray(0, o.origin));
      expect({ ...o.st }).toEqual({ ...fresh });
      expect(o.f === null).toBe(fresh.nonzero === 0);
    }
  });

  it('gives the same hurdle and the same plan windows as a scan per origin', () => {
    const { s, chosen } = sample();
    const origins = sampleOrigins(s, chosen, H);
    const periods = [1, 3, 6, 9];
    // the former path: each origin's prefix scanned anew, in chooseAll's order
    const hw = new HurdleWindows(H);
    const each = (f: (history: Float64Array, origin: number, level: number) => void) =>
      s.hist.forEach(({ y, fd }, i) => {
        const ends = originEnds(y.length, fd, H);
        const bt = chosen[i].bt;
        for (let j = 0; j < bt.length && j < ends.length; j++) f(y.subarray(fd), ends[j] - fd, bt[j]);
      });
    each((history, origin, level) => hw.addOrigin(history, origin, level));
    const hurdle = fitHurdle(hw);
    expect(fitJobHurdle(origins, H)).toEqual(hurdle);
    const set = new WindowSet();
    each((history, origin, level) => set.addOrigin(history, origin, [level], periods, hurdle));
    expect(backtestWindows(origins, periods, hurdle).windows()).toEqual(set.windows());
    expect(set.windows().size).toBeGreaterThan(100);
  });
});
