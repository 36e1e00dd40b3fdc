import { describe, expect, it } from 'vitest';
import {
  designWidth,
  endFeatures,
  GF_DESC,
  GF_S2,
  GF_WIDTH,
  GLOBAL_MEMBER,
  meanCoefficients,
  solveSpd,
  withGlobal,
} from '../../../server/forecast/methods/global.js';
import { evaluateSeries, STACK_MEMBERS } from '../../../server/forecast/choose/select.js';
import { chooseAll } from '../../../server/forecast/choose/choose.js';

const F = (...v: number[]) => Float64Array.from(v);
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
const opts = {
  h: 6,
  env: { season: 12, maWindow: 12 },
  method: 'auto' as const,
  lifePeriods: 60,
  baselines: ['naive', 'sba'] as const,
};

describe('global model features', () => {
  it('computes scale, zero run, demand shares, CV² and window means by hand', () => {
    // history from fd = 1: [2, 0, 4, 0, 0] at end 6
    const y = F(0, 2, 0, 4, 0, 0, 9);
    const f = endFeatures(y, 1, [6], 2, 4);
    expect(f.length).toBe(GF_WIDTH);
    // first differences from fd: −2, 4, −4, 0 → mean square 36 / 4
    expect(f[GF_S2]).toBeCloseTo(9, 12);
    const adi = 5 / 2;
    expect(f[1]).toBeCloseTo(Math.log1p(2 / adi), 12); // two zeros since the last demand
    expect(f[2]).toBeCloseTo(1 / adi, 12);
    expect(f[3]).toBeCloseTo(1 / 4, 12); // last 4 periods: one demand
    // sizes 2, 4: mean 3, sample variance 2 → CV² 2/9
    expect(f[4]).toBeCloseTo(Math.log1p(2 / 9), 12);
    // means of the last h = 2, 4 and 8 (all 5) periods
    expect(f[1 + GF_DESC]).toBe(0);
    expect(f[2 + GF_DESC]).toBeCloseTo(1, 12);
    expect(f[3 + GF_DESC]).toBeCloseTo(6 / 5, 12);
  });
  it('does not look past the end', () => {
    const y = F(1, 0, 3, 0, 2, 5, 7, 8);
    const a = endFeatures(y, 0, [5], 2, 3),
      b = endFeatures(F(1, 0, 3, 0, 2, 0, 0, 0), 0, [5], 2, 3);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('solveSpd', () => {
  it('solves a symmetric positive definite system', () => {
    const A = F(4, 1, 0, 1, 3, 1, 0, 1, 2),
      x = F(1, -2, 3);
    const b = F(4 * 1 + 1 * -2, 1 - 6 + 3, -2 + 6);
    const s = solveSpd(Float64Array.from(A), b, 3);
    for (let i = 0; i < 3; i++) expect(s[i]).toBeCloseTo(x[i], 10);
  });
  it('ridge target is the equal-weight mean of the members', () => {
    const b = meanCoefficients(4);
    expect(b.length).toBe(designWidth(4));
    expect(Array.from(b.subarray(0, 4))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(b.subarray(4)).every((v) => v === 0)).toBe(true);
  });
});

describe('withGlobal', () => {
  /** Series whose demand stops for good (dead) or goes on (alive) after a run of zeros of the same length. */
  const population = (n: number, seed: number): { y: Float64Array; dead: boolean }[] => {
    const r = rng(seed);
    return Array.from({ length: n }, (_, i) => {
      const dead = i % 2 === 0;
      const y = new Float64Array(48);
      y[0] = 1 + Math.floor(3 * r());
      for (let t = 1; t < 48; t++) {
        const stop = dead && t >= 18 + (i % 24);
        y[t] = !stop && r() < 0.5 ? 1 + Math.floor(3 * r()) : 0;
      }
      return { y, dead };
    });
  };
  it('adds one member, keeps the members, and keeps the members\u2019 total', () => {
    const evs = population(200, 5).map((s) => evaluateSeries(s.y, 0, opts));
    const fin = withGlobal(evs, false, 6);
    const C = STACK_MEMBERS.length * 2;
    let g = 0,
      m = 0;
    fin.forEach((ev, i) => {
      expect(ev.cands).toEqual([...evs[i].cands, GLOBAL_MEMBER]);
      expect(ev.final.length).toBe(C + 1);
      expect(ev.final[C][0]).toBeGreaterThanOrEqual(0);
      for (let c = 0; c < C; c++) expect(ev.final[c]).toBe(evs[i].final[c]);
      g += ev.final[C][0];
      for (let c = 0; c < C; c++) m += ev.final[c][0] / C;
      for (let j = 0; j < ev.J; j++)
        expect(ev.se[j * (C + 1) + C]).toBeCloseTo(
          6 * (ev.aVar[j] + (ev.aMean[j] - ev.fMean[j * (C + 1) + C]) ** 2),
          9,
        );
    });
    expect(g).toBeCloseTo(m, 6);
  });
  it('learns across series: beats the members\u2019 mean when demand levels shift and stay', () => {
    // demand rate changes once at a random time and keeps its new rate: the recent windows know more than
    // the long members, which the regression learns from the backtests of the other series
    const r = rng(11);
    const pois = (lam: number) => {
      let k = 0,
        p = Math.exp(-lam),
        s = p;
      const u = r();
      while (u > s && k < 50) {
        k++;
        p *= lam / k;
        s += p;
      }
      return k;
    };
    const data = Array.from({ length: 400 }, () => {
      const l1 = 0.3 + 3 * r(),
        l2 = 0.3 + 3 * r(),
        shift = 10 + Math.floor(36 * r());
      const y = Float64Array.from({ length: 54 }, (_, t) => pois(t < shift ? l1 : l2));
      y[0] = Math.max(1, y[0]);
      return { train: y.subarray(0, 48).slice(), future: l2 };
    });
    const evs = data.map((d) => evaluateSeries(d.train, 0, opts));
    const fin = withGlobal(evs, false, 6);
    const C = STACK_MEMBERS.length * 2;
    let eg = 0,
      em = 0;
    fin.forEach((ev, i) => {
      let m = 0;
      for (let c = 0; c < C; c++) m += ev.final[c][0] / C;
      eg += (ev.final[C][0] - data[i].future) ** 2;
      em += (m - data[i].future) ** 2;
    });
    expect(eg).toBeLessThan(0.8 * em);
  });
  it("the holdout's global model ignores the holdout", () => {
    const pop = population(60, 3);
    const a = pop.map((s) => evaluateSeries(s.y, 0, opts));
    const b = pop.map((s) => {
      const z = s.y.slice();
      for (let t = 42; t < 48; t++) z[t] = 7;
      return evaluateSeries(z, 0, opts);
    });
    const ha = withGlobal(a, true, 6),
      hb = withGlobal(b, true, 6);
    ha.forEach((ev, i) =>
      expect(ev.hold![ev.hold!.length - 1][0]).toBeCloseTo(hb[i].hold![hb[i].hold!.length - 1][0], 12),
    );
    const ca = chooseAll(a, 'stack', 6),
      cb = chooseAll(b, 'stack', 6);
    ca.forEach((c, i) => expect(Array.from(c.hold!)).toEqual(Array.from(cb[i].hold!)));
  });
  it('leaves single-method series alone', () => {
    const ev = evaluateSeries(F(1, 0, 2, 0, 1, 3, 0, 1, 2, 0, 1, 1, 0, 2), 0, { ...opts, method: 'sba', h: 3 });
    expect(ev.gf).toBeNull();
    expect(withGlobal([ev], false, 3)[0]).toBe(ev);
  });
});
