/**
 * The plan's demand_chance and periods_since_demand columns (plan-row.ts, plan-write.ts): the chance of any
 * demand within the protection interval under the plan's own distribution (the hurdle's, learned by
 * staleness), and the periods since the last demand, for a part that sold last period and one long silent.
 */
import { describe, expect, it } from 'vitest';
import { PLAN_COLUMNS } from '../../../server/contract/plan-columns.js';
import { applyHurdle, fitHurdle, hurdleFeatures, HurdleWindows } from '../../../server/forecast/inventory/hurdle.js';
import { PRIOR, type PooledParams } from '../../../server/forecast/inventory/index.js';
import { planLtd } from '../../../server/forecast/inventory/ltd.js';
import { planRow, sinceLastDemand } from '../../../server/forecast/inventory/plan-row.js';
import { planLine } from '../../../server/forecast/output/plan-write.js';

/** A deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parts that sell with chance q a period and stop for good at a random period (a third never stop). */
function histories(n: number, len: number): Float64Array[] {
  const r = rng(3);
  return Array.from({ length: n }, () => {
    const q = 0.2 + 0.5 * r();
    const stop = r() < 0.33 ? len : Math.floor(len * r());
    const y = new Float64Array(len);
    y[0] = 1;
    for (let t = 1; t < stop; t++) if (r() < q) y[t] = 1 + Math.floor(4 * r());
    return y;
  });
}

const w = new HurdleWindows(6);
for (const y of histories(400, 60)) for (let o = 4; o + 6 <= y.length; o += 2) w.addOrigin(y, o, 0.5);
const pooled: PooledParams = {
  groups: { '*': PRIOR },
  calibration: {},
  minWindows: 0,
  form: 'size',
  hurdle: fitHurdle(w),
};

// the same 40 periods of selling (every other period, 2 or 3 units), then 0 or 20 silent periods
const selling = Array.from({ length: 40 }, (_, t) => (t % 2 ? 3 : t % 4 ? 2 : 0));
const active = [...selling, 0, 2];
const stale = [...selling, 2, ...new Array(20).fill(0)];
const key = { partnumber: 'P-1', site: 'S', demandClass: 'intermittent' };
const s = { L: 2, R: 1, target: 0.95, unitCost: null, onHand: null, onOrder: null };
/** The engine's flat 1.2 a period through the hurdle, as the run hands it to the plan. */
function forecastOf(history: number[]): number[] {
  const fc = [1.2, 1.2, 1.2];
  applyHurdle(pooled.hurdle!, hurdleFeatures(history), fc);
  return fc;
}
const plan = (h: number[]) => planRow(key, h, forecastOf(h), s, pooled);

describe('the chance of demand and the periods since the last one', () => {
  it('a part silent for 20 periods gets a lower chance than one that sold last period', () => {
    const a = plan(active);
    const b = plan(stale);
    expect([a.since, b.since]).toEqual([0, 20]);
    expect(a.chance).toBeGreaterThan(0.5);
    expect(b.chance).toBeGreaterThan(0);
    expect(b.chance).toBeLessThan(a.chance / 2);
    // if it comes, about what the same part demands when it sells (E[D | D > 0] of the active one), not the
    // silence's small chance blown up to a demand 25 times that (0.9 % and 272 units before the chance took
    // what the shrink toward the engine's mean keeps)
    expect(b.mean / b.chance).toBeLessThan(1.05 * (a.mean / a.chance));
  });
  it('is P(D > 0) of the plan: the hurdle`s recur within P less the NB part`s own zero', () => {
    for (const h of [active, stale]) {
      const r = plan(h);
      const ltd = planLtd({ history: h, forecast: forecastOf(h), P: 3, target: 0.95 }, pooled);
      expect(ltd.recur).toBeLessThan(1);
      expect(r.chance).toBeLessThanOrEqual(ltd.recur + 1e-12);
      expect(r.chance).toBeGreaterThan(0.9 * ltd.recur);
    }
    // without a hurdle a slow part still has a chance below 1: the NB's own zero
    const slow = planRow(key, active, [0.1, 0.1, 0.1], s, { ...pooled, hurdle: undefined });
    expect(slow.chance).toBeGreaterThan(0);
    expect(slow.chance).toBeLessThan(0.5);
  });
  it('a part without demand: chance 0, no periods since; the line ends in both columns', () => {
    const none = planRow(key, new Array(10).fill(0), [0], s, pooled);
    expect([none.chance, none.since]).toEqual([0, null]);
    expect(sinceLastDemand([])).toBeNull();
    expect(sinceLastDemand([0, 4, 0, 0])).toBe(2);
    const at = PLAN_COLUMNS.indexOf('demand_chance');
    const cells = (r: ReturnType<typeof planRow>) =>
      planLine(r)
        .trimEnd()
        .split(',')
        .slice(at, at + 2);
    expect(PLAN_COLUMNS.slice(at, at + 2)).toEqual(['demand_chance', 'periods_since_demand']);
    // the four columns of a planner's overrides come last (blank: none)
    expect(planLine(plan(stale)).trimEnd().split(',').slice(-4)).toEqual(['', '', '', '']);
    expect(cells(none)).toEqual(['0', '']);
    const b = plan(stale);
    const [chance, since] = cells(b);
    expect(since).toBe('20');
    expect(Number(chance)).toBeCloseTo(b.chance, 4);
    expect(chance).toMatch(/^0\.\d{1,4}$/);
  });
});
