import { describe, expect, it } from 'vitest';
import {
  alphaAt,
  cdf,
  daysToPeriods,
  fitPooled,
  forecastOverP,
  lgamma,
  mixtureWithMean,
  PLAN_LEVELS,
  planLtd,
  PRIOR,
  protectionPeriods,
  quantiles,
  type PooledParams,
} from '../../../server/forecast/inventory/index.js';

const poissonCdf = (k: number, lam: number) => {
  let p = Math.exp(-lam);
  let F = p;
  for (let j = 1; j <= k; j++) F += p *= lam / j;
  return F;
};
/** Smallest q with F(q) >= tau, by brute force. */
const bruteQ = (F: (k: number) => number, tau: number) => {
  let k = 0;
  while (F(k) < tau - 1e-12) k++;
  return k;
};
const POISSON: PooledParams = {
  groups: { '*': { a: 0, c: 0, zero: 0, windows: Infinity } },
  calibration: {},
  minWindows: 0,
  form: 'period',
};
const TAUS = [0.5, 0.8, 0.9, 0.95, 0.99];

describe('distributions', () => {
  it('lgamma matches factorials', () => {
    for (const n of [1, 2, 5, 10, 20]) {
      let f = 0;
      for (let j = 2; j < n; j++) f += Math.log(j);
      expect(lgamma(n)).toBeCloseTo(f, 9);
    }
  });

  it('Poisson quantiles are the smallest q with F(q) >= tau', () => {
    for (const lam of [0.05, 0.7, 3, 25, 400]) {
      const d = mixtureWithMean(lam, 0, 0);
      expect(quantiles(d, TAUS)).toEqual(TAUS.map((t) => bruteQ((k) => poissonCdf(k, lam), t)));
      expect(cdf(3, d)).toBeCloseTo(poissonCdf(3, lam), 10);
    }
  });

  it('negative binomial quantiles match its pmf (Var = m + alpha m^2)', () => {
    const m = 4;
    const alpha = 0.5;
    const r = 1 / alpha;
    const p = r / (r + m);
    const nbCdf = (k: number) => {
      let pk = p ** r;
      let F = pk;
      for (let j = 1; j <= k; j++) F += pk *= ((j - 1 + r) / j) * (1 - p);
      return F;
    };
    const d = mixtureWithMean(m, alpha, 0);
    expect(quantiles(d, TAUS)).toEqual(TAUS.map((t) => bruteQ(nbCdf, t)));
    expect(cdf(7, d)).toBeCloseTo(nbCdf(7), 10);
  });

  it('a point mass at 0 keeps the mean and moves the low quantiles to 0', () => {
    const d = mixtureWithMean(2, 0, 0.6);
    expect(d.nbMean * (1 - d.zero)).toBeCloseTo(2, 12);
    const q = quantiles(d, TAUS);
    expect(q[0]).toBe(0);
    // above the mass the levels read the Poisson(5) part at (tau - 0.6) / 0.4
    expect(q[3]).toBe(bruteQ((k) => poissonCdf(k, 5), (0.95 - 0.6) / 0.4));
    expect(quantiles(mixtureWithMean(0, 1, 0), TAUS)).toEqual([0, 0, 0, 0, 0]);
  });

  it('quantiles are integers and monotone, whatever order the levels come in', () => {
    for (const [m, a, z] of [
      [0.3, 2, 0.1],
      [12, 0.2, 0],
      [3e5, 0.01, 0.05],
      [1, 50, 0.9],
    ]) {
      const levels = [0.99, 0.5, 0.9, 0.001, 0.8, 0.95, 0.999];
      const q = quantiles(mixtureWithMean(m, a, z), levels);
      const sorted = levels.map((t, i) => [t, q[i]]).sort((x, y) => x[0] - y[0]);
      for (let i = 0; i < sorted.length; i++) {
        expect(Number.isInteger(sorted[i][1])).toBe(true);
        if (i > 0) expect(sorted[i][1]).toBeGreaterThanOrEqual(sorted[i - 1][1]);
      }
    }
  });
});

describe('periods', () => {
  it('days convert to periods rounding up', () => {
    expect(daysToPeriods(0, 'D')).toBe(0);
    expect(daysToPeriods(10, 'D')).toBe(10);
    expect(daysToPeriods(7, 'W')).toBe(1);
    expect(daysToPeriods(8, 'W')).toBe(2);
    expect(daysToPeriods(14, 'W')).toBe(2);
    expect(daysToPeriods(30, 'M')).toBe(1);
    expect(daysToPeriods(45, 'M')).toBe(2);
    expect(daysToPeriods(365, 'M')).toBe(12);
    expect(() => daysToPeriods(-1, 'D')).toThrow(RangeError);
    expect(protectionPeriods(0, 1)).toBe(1);
    expect(() => protectionPeriods(1.5, 1)).toThrow(RangeError);
  });

  it('the forecast continues past the horizon at its mean', () => {
    expect(forecastOverP([1, 2, 3], 2)).toBe(3);
    expect(forecastOverP([1, 2, 3], 5)).toBe(6 + 2 * 2);
    expect(forecastOverP([1, -1], 1)).toBe(1);
  });
});

describe('planLtd', () => {
  const history = [3, 0, 1, 0, 0, 2, 1, 0, 0, 1, 0, 2];

  it('P longer than the horizon uses the extended forecast', () => {
    const p = planLtd({ history, forecast: [0.5, 0.5], P: 6, target: 0.95 }, POISSON);
    expect(p.mean).toBeCloseTo(3, 12);
    expect(p.q).toEqual(TAUS.map((t) => bruteQ((k) => poissonCdf(k, 3), t)));
    expect(p.orderUpTo).toBe(p.q[3]);
    expect(p.safetyStock).toBeCloseTo(p.orderUpTo - 3, 12);
  });

  it('L = 0 protects the review period only; L = R = 0 needs nothing', () => {
    const p = planLtd({ history, forecast: [0.5, 0.5, 0.5], P: protectionPeriods(0, 1), target: 0.9 }, POISSON);
    expect(p.mean).toBeCloseTo(0.5, 12);
    expect(p.orderUpTo).toBe(bruteQ((k) => poissonCdf(k, 0.5), 0.9));
    const none = planLtd({ history, forecast: [0.5], P: 0, target: 0.9 }, POISSON);
    expect(none.q).toEqual([0, 0, 0, 0, 0]);
    expect(none.orderUpTo).toBe(0);
  });

  it('a target between the plan levels reads its own quantile', () => {
    const p = planLtd({ history, forecast: [2], P: 3, target: 0.97 }, POISSON);
    expect(p.orderUpTo).toBe(bruteQ((k) => poissonCdf(k, 6), 0.97));
    expect(p.orderUpTo).toBeGreaterThanOrEqual(p.q[3]);
    expect(p.orderUpTo).toBeLessThanOrEqual(p.q[4]);
  });

  it('short, dead and empty histories give valid plans', () => {
    const pooled = fitPooled([history, [1], [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], { periods: [1, 3] });
    const short = planLtd({ history: [4], forecast: null, P: 3, target: 0.95 }, pooled);
    expect(short.group).toBe('new/active');
    expect(short.mean).toBeCloseTo(12, 9);
    expect(short.q[4]).toBeGreaterThanOrEqual(short.q[0]);
    const dead = planLtd(
      { history: [2, 1, 0, 1, ...new Array(30).fill(0)], forecast: [0, 0], P: 4, target: 0.95 },
      pooled,
    );
    expect(dead.group).toBe('intermittent/silent');
    expect(dead.q).toEqual([0, 0, 0, 0, 0]);
    const empty = planLtd({ history: [], forecast: null, P: 2, target: 0.95 }, pooled);
    expect(empty.orderUpTo).toBe(0);
    expect(PLAN_LEVELS.length).toBe(5);
  });

  it('rejects a service level outside (0, 1)', () => {
    expect(() => planLtd({ history, forecast: null, P: 1, target: 95 }, POISSON)).toThrow(RangeError);
  });
});

describe('fitPooled', () => {
  /** Deterministic LCG so the test does not depend on a seed library. */
  const rng = (s: number) => () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;

  it('learns about Poisson dispersion for unit sales and the prior when there is nothing to fit', () => {
    const r = rng(7);
    const units: number[][] = [];
    for (let s = 0; s < 200; s++) units.push([1, ...Array.from({ length: 40 }, () => (r() < 0.3 ? 1 : 0))]);
    const unit = fitPooled(units, { periods: [1, 2, 4] }).groups['*'];
    // Bernoulli(0.3) unit sales are a little under-dispersed: close to a Poisson, far from lumpy
    expect(alphaAt('size', unit, 1, 0.3, 1)).toBeLessThan(0.5);
    expect(alphaAt('size', unit, 4, 1.2, 1)).toBeLessThan(0.5);
    const empty = fitPooled([], { periods: [1] });
    expect(empty.groups['*']).toEqual(PRIOR);
  });
});
