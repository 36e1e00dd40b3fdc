/**
 * A single recent demand must not become a rate, nor its interval a point (issue 13, item 1): the class of a
 * one-demand series, the global model's value without a scale, and the count floor of the interval.
 */
import { describe, expect, it } from 'vitest';
import { classify } from '../../../server/forecast/series/classify.js';
import { evaluateSeries } from '../../../server/forecast/choose/select.js';
import { chooseAll } from '../../../server/forecast/choose/choose.js';
import { periodSd } from '../../../server/forecast/choose/interval.js';
import { medianOf } from '../../../server/forecast/methods/global.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const h = 28;
const opts = {
  h,
  env: { season: 7, maWindow: 28 },
  method: 'auto' as const,
  lifePeriods: 1826,
  baselines: ['naive', 'sba'] as const,
};

describe('a series with one demand', () => {
  it('is never smooth or erratic: one demand shows no interval', () => {
    expect(classify(Float64Array.of(4), 0, 1).cls).toBe('intermittent');
    expect(classify(Float64Array.of(0, 0, 0, 4), 3, 4).cls).toBe('intermittent');
    expect(classify(Float64Array.of(0, 0, 0, 4), 3, 4).adi).toBeGreaterThanOrEqual(1.32);
    expect(classify(Float64Array.of(4, 4), 0, 2).cls).toBe('smooth');
  });

  it('first seen in the last period among busy series: forecast well below its one order', () => {
    const rand = rng(7);
    const n = 300;
    const ys: { y: Float64Array; fd: number }[] = [];
    // smooth and intermittent neighbours with backtests, so every class has learned weights
    for (let s = 0; s < 80; s++) {
      const p = s < 20 ? 0.9 : 0.03 + 0.1 * rand();
      const y = Float64Array.from({ length: n }, () => (rand() < p ? 1 + Math.floor(rand() * 4) : 0));
      let fd = 0;
      while (y[fd] === 0) fd++;
      ys.push({ y, fd });
    }
    const one = new Float64Array(n);
    one[n - 1] = 4;
    ys.push({ y: one, fd: n - 1 });
    const evs = ys.map(({ y, fd }) => evaluateSeries(y, fd, opts));
    const picks = chooseAll(evs, 'stack', h);
    const last = picks[picks.length - 1].final.mean;
    const total = last.reduce((a, v) => a + v, 0);
    // about its one order at most (the 28-period average of it is 4); the old code forecast 7.8: "smooth"
    // weights and a global model at the members' mean, which the naive member's 4 a period dominated
    expect(total).toBeLessThanOrEqual(4.5);
    expect(total).toBeGreaterThan(0);
    expect(evs[evs.length - 1].cls).toBe('intermittent');
    // and its interval is not a point
    const ev = evs[evs.length - 1];
    expect(periodSd(picks[picks.length - 1].final.mse, ev, last[0])).toBeGreaterThan(0);
  });
});

describe('the global model without a scale', () => {
  it('takes the members’ median, which one naive outlier does not move', () => {
    expect(medianOf([0.01, 0.02, 0.05, 4])).toBeCloseTo(0.035, 12);
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([])).toBe(0);
  });
});

describe('interval spread', () => {
  it('has the compound-Poisson floor: positive whenever the mean is, 0 at mean 0', () => {
    const ev = { sd: 0, size2: 4 };
    expect(periodSd(NaN, ev, 0.05)).toBeCloseTo(Math.sqrt(0.2), 12);
    expect(periodSd(0, ev, 0.05)).toBeCloseTo(Math.sqrt(0.2), 12);
    expect(periodSd(0, ev, 0)).toBe(0);
    // a backtest error larger than the floor is kept
    expect(periodSd(9, ev, 0.05)).toBe(3);
  });
});
