/** The job metrics' backtest coverage is out of sample: fitted on earlier windows, scored on the last origin's. */
import { describe, expect, it } from 'vitest';
import { fitInventory } from '../../../server/forecast/inventory/job-fit.js';
import { WindowSet } from '../../../server/forecast/inventory/index.js';
import type { PlanSettings } from '../../../server/forecast/inventory/settings.js';

const rng = (s: number) => () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
const poisson = (r: () => number, lam: number) => {
  let k = 0;
  let p = Math.exp(-lam);
  let F = p;
  const u = r();
  while (u > F && k < 1000) F += p *= lam / ++k;
  return k;
};
const settings: PlanSettings = { defaults: { L: 1, R: 1, target: 0.95 }, parts: {} };
const ORIGINS = [20, 22, 24];

/** Unit sellers forecast at their true rate; from period 24 on they sell `jump` x that rate. */
function windows(jump: number, periods = [1, 2], origins = ORIGINS, length = 30) {
  const r = rng(7);
  const set = new WindowSet();
  for (let s = 0; s < 900; s++) {
    const lam = 0.3 + 1.5 * r();
    const y = Array.from({ length }, (_, t) => poisson(r, t >= 24 ? jump * lam : lam));
    y[0] = Math.max(1, y[0]);
    for (const origin of origins) set.addOrigin(y, origin, [lam], periods);
  }
  return set.windows();
}

describe('fitInventory backtest coverage', () => {
  it('scores the last backtest origin with a fit that never saw it', () => {
    const w = windows(1);
    const bt = fitInventory(w, settings, [], [1, 2]).backtest;
    // scored: the windows at origin 24 (6 periods before the end); fitted: those whose outcome ended by then
    expect(bt.windows).toBe(900 * 2);
    expect(bt.fitWindows).toBe(900 * 2 * 2);
    expect(bt.coverage).toBeGreaterThan(0.92);
    expect(bt.byLevel).toHaveLength(5);
    expect(bt.spl).toBeGreaterThan(0);
  });

  it('reports the miss when the last origin differs from what the fit learned (in-sample would hide it)', () => {
    // all windows in one fit: the mean correction and level map would absorb the jump at origin 24
    const bt = fitInventory(windows(3), settings, [], [1, 2]).backtest;
    expect(bt.coverage).toBeLessThan(0.6);
  });

  it('scores every P at the latest origin its window fits after, and fits only on outcomes before all of them', () => {
    // 28 periods: P = 2 reaches origin 24, P = 5 only origin 22 (24 + 5 > 28)
    const w = windows(1, [2, 5], [12, 14, 16, 18, 20, 22, 24], 28);
    const bt = fitInventory(w, settings, [], [2, 5]).backtest;
    expect(bt.windows).toBe(900 * 2);
    // outcomes ended 6 periods before the end (origin 22): P = 2 at origins <= 20, P = 5 at origins <= 17
    expect(bt.fitWindows).toBe(900 * (5 + 3));
  });
});
