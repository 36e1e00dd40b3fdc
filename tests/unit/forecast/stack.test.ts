import { describe, expect, it } from 'vitest';
import {
  learnWeights,
  PRIOR_SERIES,
  projectSimplex,
  simplexQuadratic,
  type StackSample,
} from '../../../server/forecast/choose/stack.js';
import {
  evaluateSeries,
  GUARD_LIVES,
  MAX_ORIGINS,
  MIN_TRAIN,
  originEnds,
  STACK_MEMBERS,
} from '../../../server/forecast/choose/select.js';
import { chooseAll } from '../../../server/forecast/choose/choose.js';

const F = (...v: number[]) => Float64Array.from(v);
const sum = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);
/** Deterministic PRNG (mulberry32). */
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

describe('simplex helpers', () => {
  it('projects onto the simplex', () => {
    expect(Array.from(projectSimplex(F(0.2, 0.3, 0.5)))).toEqual([0.2, 0.3, 0.5]);
    expect(Array.from(projectSimplex(F(2, 0, 0)))).toEqual([1, 0, 0]);
    const p = projectSimplex(F(0.9, 0.8, -3));
    expect(sum(p)).toBeCloseTo(1, 12);
    expect(p[0]).toBeCloseTo(0.55, 12);
    expect(p[2]).toBe(0);
  });
  it('minimises a quadratic over the simplex', () => {
    // ½|b − t|² with t inside the simplex: the minimum is t
    const b = simplexQuadratic(F(1, 0, 0, 1), F(0.3, 0.7), 2);
    expect(b[0]).toBeCloseTo(0.3, 6);
    // t outside: the closest point of the simplex
    const b2 = simplexQuadratic(F(1, 0, 0, 1), F(2, 0), 2);
    expect(b2[0]).toBeCloseTo(1, 6);
  });
});

describe('learnWeights', () => {
  const samples = (n: number): StackSample[] => {
    const r = rng(7),
      out: StackSample[] = [];
    for (let i = 0; i < n; i++) {
      const a = 1 + 4 * r();
      // member 0 is right up to noise, member 1 far too high (and not proportional), member 2 is zero
      out.push({ x: [a * (0.97 + 0.06 * r()), 2 * a + 3, 0], a, v: 0.5, s2: 1, w: 1 });
    }
    return out;
  };
  it('puts the weight on the accurate member when many series agree', () => {
    const w = learnWeights(samples(2000), 3, 2000);
    expect(sum(w)).toBeCloseTo(1, 9);
    expect(w[0]).toBeGreaterThan(0.9);
  });
  it('finds an interior combination when members err in opposite directions', () => {
    const s: StackSample[] = [1, 2, 3, 4].map((a) => ({ x: [0.5 * a, 1.5 * a], a, v: 0, s2: 1, w: 1 }));
    const w = learnWeights(s, 2, 1e9);
    expect(w[0]).toBeCloseTo(0.5, 3);
  });
  it('shrinks toward equal weights when few series back the fit', () => {
    const many = learnWeights(samples(20), 3, 1e9),
      few = learnWeights(samples(20), 3, PRIOR_SERIES);
    for (let c = 0; c < 3; c++) expect(few[c]).toBeCloseTo((many[c] + 1 / 3) / 2, 6);
    expect(Array.from(learnWeights([], 3, 0))).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });
  it('shrinks toward job-level weights instead when they are given', () => {
    const prior = F(0, 0, 1);
    expect(Array.from(learnWeights([], 3, 0, prior))).toEqual([0, 0, 1]);
    const many = learnWeights(samples(20), 3, 1e9),
      few = learnWeights(samples(20), 3, PRIOR_SERIES, prior);
    for (let c = 0; c < 3; c++) expect(few[c]).toBeCloseTo((many[c] + prior[c]) / 2, 6);
  });
});

describe('the weights aim at the expected demand', () => {
  it('on slow movers they keep the unbiased member, not the one shrunk toward zero', () => {
    // windows of slow movers: mostly no demand, sometimes a burst; member 0 forecasts the true rate,
    // member 1 half of it (what an obsolescence guard does to a live part). A root-of-error loss prefers
    // member 1; the expected demand is member 0.
    const r = rng(3),
      s: StackSample[] = [];
    for (let i = 0; i < 3000; i++) {
      const rate = 0.05 + 0.1 * r();
      const a = r() < 0.8 ? 0 : rate * 5;
      s.push({ x: [rate, rate / 2], a, v: a > 0 ? a * a : 0, s2: rate, w: 1 });
    }
    const w = learnWeights(s, 2, 1e9);
    const total = sum(s.map((x) => w[0] * Number(x.x[0]) + w[1] * Number(x.x[1]))) / sum(s.map((x) => x.a));
    expect(w[0]).toBeGreaterThan(0.8);
    expect(Math.abs(total - 1)).toBeLessThan(0.08);
  });
});

describe('backtest origins and the holdout', () => {
  const opts = {
    h: 6,
    env: { season: 12, maWindow: 12 },
    method: 'auto' as const,
    lifePeriods: 60,
    baselines: ['naive', 'sba'] as const,
  };
  it('origins are a quarter horizon apart, inside the history, at most MAX_ORIGINS', () => {
    expect(originEnds(30, 0, 12)).toEqual([18, 15, 12, 9, 6]);
    expect(originEnds(200, 0, 4).length).toBe(MAX_ORIGINS);
    expect(originEnds(10, 3, 6)).toEqual([]); // 4 < 3 + MIN_TRAIN
    expect(MIN_TRAIN).toBe(4);
  });
  it("computes the holdout's class without the holdout, and uses only origins that end before it", () => {
    // steady demand, then none in the last h periods: smooth before the holdout, intermittent over all
    const y = F(0, 0, 3, 4, 3, 2, 4, 3, 4, 3, 3, 3, 4, 2, 2, 3, 4, 3, 0, 0, 0, 0, 0, 0);
    const ev = evaluateSeries(y, 2, opts);
    expect(ev.clsHold).toBe('smooth');
    expect(ev.cls).toBe('intermittent');
    expect(ev.cands).toEqual([...STACK_MEMBERS, ...STACK_MEMBERS]); // under each obsolescence guard
    expect(new Set(ev.lives)).toEqual(new Set(GUARD_LIVES.map((f) => f * 60)));
    expect(ev.J).toBeGreaterThan(1);
    expect(originEnds(24, 2, 6)).toEqual([18, 16, 14, 12, 10, 8, 6]);
    // origins whose window [e, e + 6) reaches into the holdout [18, 24) are not used for its choice
    expect(Array.from(ev.forHold)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    // the holdout forecasts do not depend on the holdout's values
    const z = y.slice();
    for (let t = 18; t < 24; t++) z[t] = 9;
    const ez = evaluateSeries(z, 2, opts);
    const a = chooseAll([ev], 'stack', 6)[0].hold!,
      b = chooseAll([ez], 'stack', 6)[0].hold!;
    expect(Array.from(a)).toEqual(Array.from(b));
  });
  it('stack, class and series choices all give non-negative forecasts; a single method is labelled by name', () => {
    const r = rng(3);
    const evs = Array.from({ length: 40 }, () => {
      const y = Float64Array.from({ length: 36 }, () => (r() < 0.4 ? 1 + Math.floor(5 * r()) : 0));
      y[0] = 1;
      return evaluateSeries(y, 0, opts);
    });
    for (const sel of ['stack', 'class', 'series'] as const) {
      for (const c of chooseAll(evs, sel, 6)) {
        expect(c.final.mean.length).toBe(6);
        expect(Math.min(...c.final.mean)).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(c.final.mse)).toBe(true);
      }
    }
    const labels = new Set(chooseAll(evs, 'class', 6).map((c) => c.final.method));
    for (const l of labels) expect(STACK_MEMBERS).toContain(l);
    const one = evaluateSeries(F(1, 0, 2, 0, 1, 3, 0, 1, 2, 0, 1, 1, 0, 2), 0, { ...opts, method: 'sba', h: 3 });
    expect(chooseAll([one], 'stack', 3)[0].final.method).toBe('sba');
  });
});
