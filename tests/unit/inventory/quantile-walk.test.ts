/**
 * The single-pass quantile walk and planLtd's per-group cache must give exactly what the definition gives:
 * the plan CSV is compared byte for byte across this optimisation, so any drift here is a plan change.
 */
import { describe, expect, it } from 'vitest';
import { cdf, mixtureWithMean, planLtd, quantiles, readLevel } from '../../../server/forecast/inventory/index.js';
import { quantilesSorted } from '../../../server/forecast/inventory/dist.js';
import type { PooledParams } from '../../../server/forecast/inventory/index.js';

/** The definition on top of cdf(): the smallest q with F(q) >= tau (same 1e-12 slack). */
const byCdf = (d: ReturnType<typeof mixtureWithMean>, tau: number) => {
  let k = 0;
  while (cdf(k, d) < tau - 1e-12 && k < 1e6) k++;
  return k;
};
const DISTS = [
  mixtureWithMean(0, 0.3, 0.2),
  mixtureWithMean(0.02, 0, 0),
  mixtureWithMean(0.4, 2.5, 0.3),
  mixtureWithMean(3, 0.1, 0),
  mixtureWithMean(45, 0.8, 0.05),
  mixtureWithMean(2e5, 0.01, 0.1),
];
const TAUS = [0.5, 0.8, 0.9, 0.95, 0.97, 0.99, 0.999];

describe('quantile walk', () => {
  it('quantilesSorted gives the definition at every level, in one pass', () => {
    for (const d of DISTS) {
      const out = new Float64Array(TAUS.length);
      quantilesSorted(d, TAUS, out);
      const want = d.nbMean > 1e5 ? quantiles(d, TAUS) : TAUS.map((t) => byCdf(d, t));
      expect([...out]).toEqual(want);
    }
  });

  it('quantiles keeps any order of levels and ties', () => {
    const d = DISTS[4];
    const taus = [0.99, 0.5, 0.95, 0.5, 0.8];
    expect(quantiles(d, taus)).toEqual(taus.map((t) => byCdf(d, t)));
  });
});

describe('planLtd per-group cache', () => {
  // a level map that reorders the target against PLAN_LEVELS, so the sorted read order matters
  const pooled: PooledParams = {
    groups: { '*': { a: 0.6, c: 0.2, zero: 0.1, windows: 1e4 } },
    calibration: { '*': { levels: [0.5, 0.9, 0.99], read: [0.45, 0.93, 0.995], windows: 1e4 } },
    minWindows: 300,
    form: 'period',
  };
  const history = [0, 2, 0, 0, 1, 0, 3, 0, 0, 1, 0, 0, 2, 0, 1];

  it('gives each target its own order-up-to level, whatever was planned before', () => {
    const at = (target: number) => planLtd({ history, forecast: [0.5, 0.6, 0.4], P: 6, target }, pooled);
    const first = at(0.97);
    at(0.85);
    at(0.95);
    const again = at(0.97);
    expect(again.orderUpTo).toBe(first.orderUpTo);
    const cal = pooled.calibration['*'];
    expect(first.orderUpTo).toBe(byCdf(first.dist, readLevel(cal, 0.97)));
    expect(at(0.85).orderUpTo).toBe(byCdf(first.dist, readLevel(cal, 0.85)));
    expect(first.q).toEqual([0.5, 0.8, 0.9, 0.95, 0.99].map((t) => byCdf(first.dist, readLevel(cal, t))));
  });

  it('does not mix two pooled fits that share group names', () => {
    const other: PooledParams = { ...pooled, groups: { '*': { a: 0.6, c: 2, zero: 0.1, windows: 1e4 } } };
    const input = { history, forecast: [0.5, 0.6, 0.4], P: 6, target: 0.99 };
    const a = planLtd(input, pooled);
    const b = planLtd(input, other);
    expect(b.dist.alpha).not.toBe(a.dist.alpha);
    expect(b.orderUpTo).toBe(byCdf(b.dist, readLevel(other.calibration['*'], 0.99)));
  });
});
