import { describe, expect, it } from 'vitest';
import { fitWindows, meanAt, planLtd, WindowSet } from '../../../server/forecast/inventory/index.js';

/** Deterministic LCG so the test does not depend on a seed library. */
const rng = (s: number) => () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
const poisson = (r: () => number, lam: number) => {
  let k = 0;
  let p = Math.exp(-lam);
  let F = p;
  const u = r();
  while (u > F && k < 1000) F += p *= lam / ++k;
  return k;
};

describe('WindowSet.addOrigin', () => {
  it('sums the outcome after the origin only and skips windows past the history', () => {
    const set = new WindowSet();
    set.addOrigin([1, 0, 2, 3, 0, 4], 3, [1, 1], [1, 2, 4]);
    const w = set.windows();
    // P = 4 would end after the history: dropped
    expect(w.size).toBe(2);
    expect([...w.d]).toEqual([3, 3]);
    expect([...w.mu]).toEqual([1, 2]);
    // features from the prefix [1, 0, 2]: rate 1, size index (1 + 4) / 3
    expect(w.rate[0]).toBeCloseTo(1, 12);
    expect(w.si[0]).toBeCloseTo(5 / 3, 12);
    expect(w.groups[w.gid[0]]).toBe('new/active');
  });

  it('adds nothing for a prefix without demand, an origin at 0 or an empty forecast', () => {
    const set = new WindowSet();
    set.addOrigin([0, 0, 1, 1], 2, [1], [1]);
    set.addOrigin([1, 1, 1], 0, [1], [1]);
    set.addOrigin([1, 1, 1], 1, [], [1]);
    expect(set.size).toBe(0);
  });
});

describe('fitWindows', () => {
  /** Unit sellers at rate lam per period; the "engine" forecasts `scale` x the truth. */
  const windows = (scale: number) => {
    const r = rng(11);
    const set = new WindowSet();
    for (let s = 0; s < 600; s++) {
      const lam = 0.2 + 1.5 * r();
      const y = Array.from({ length: 30 }, () => poisson(r, lam));
      y[0] = Math.max(1, y[0]);
      for (const origin of [24, 26, 28]) set.addOrigin(y, origin, [scale * lam], [1, 2]);
    }
    return set.windows();
  };

  it('without a correction the mean is the forecast', () => {
    const g = fitWindows(windows(1)).groups['*'];
    expect(meanAt(g, 3, 2, 1)).toBe(3);
  });

  it('learns that a forecast at half the truth must be doubled, and covers once corrected', () => {
    const w = windows(0.5);
    const pooled = fitWindows(w, { meanCorrection: 'full' });
    const g = pooled.groups['*'];
    // the window's mean: b mu + r P rate; with mu = lam / 2 and rate about lam the two together give lam P
    for (const lam of [0.5, 1.5]) expect(meanAt(g, 0.5 * lam * 2, 2, lam) / (lam * 2)).toBeGreaterThan(0.85);
    const r = rng(5);
    let hit = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const lam = 0.2 + 1.5 * r();
      const history = Array.from({ length: 30 }, () => poisson(r, lam));
      history[0] = Math.max(1, history[0]);
      const plan = planLtd({ history, forecast: [0.5 * lam], P: 2, target: 0.9 }, pooled);
      hit += +(poisson(r, 2 * lam) <= plan.orderUpTo);
    }
    expect(hit / n).toBeGreaterThan(0.87);
  });

  it('a silent part the forecast calls dead keeps a revival tail', () => {
    const r = rng(3);
    const set = new WindowSet();
    for (let s = 0; s < 800; s++) {
      // sold at rate 1, then silent; a fifth of the silent parts revive at the old rate
      const revive = r() < 0.2;
      const y = [...Array.from({ length: 12 }, () => 1 + poisson(r, 0.2)), ...new Array(10).fill(0)];
      const after = Array.from({ length: 6 }, () => (revive ? poisson(r, 1) : 0));
      set.addOrigin([...y, ...after], y.length, [0], [3]);
    }
    const pooled = fitWindows(set.windows(), { meanCorrection: 'full' });
    const dead = [...Array.from({ length: 12 }, () => 1), ...new Array(10).fill(0)];
    const plan = planLtd({ history: dead, forecast: [0], P: 3, target: 0.95 }, pooled);
    expect(plan.mean).toBeGreaterThan(0.2);
    expect(plan.q[4]).toBeGreaterThan(0);
    expect(plan.q[0]).toBe(0);
  });
});
