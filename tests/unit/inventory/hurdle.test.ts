/**
 * The hurdle (server/forecast/inventory/hurdle.ts): learned from backtest windows that see only the history
 * before their origin, sane by staleness, and no change to the engine's mean when nothing was learned.
 */
import { describe, expect, it } from 'vitest';
import {
  applyHurdle,
  cellOf,
  fitHurdle,
  HURDLE_SHRINK,
  hurdleFeatures,
  hurdleLevel,
  HurdleWindows,
  recurFor,
  recurWithin,
  sinceBucket,
  type HurdleFeatures,
} from '../../../server/forecast/inventory/hurdle.js';

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

/**
 * Parts that sell with chance q a period, sizes 1..4, and stop for good at a random period (a third of them
 * never stop): a silent part is more likely to be gone the longer it has been silent.
 */
function histories(n: number, len: number, seed = 1): Float64Array[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const q = 0.2 + 0.5 * r();
    const stop = r() < 0.33 ? len : Math.floor(len * r());
    const y = new Float64Array(len);
    y[0] = 1;
    for (let t = 1; t < stop; t++) if (r() < q) y[t] = 1 + Math.floor(4 * r());
    return y;
  });
}

function windowsOf(hs: Float64Array[], h: number): HurdleWindows {
  const w = new HurdleWindows(h);
  for (const y of hs) for (let o = 4; o + h <= y.length; o += 2) w.addOrigin(y, o, 0.5);
  return w;
}

const at = (since: number, size = 2, cls = 'smooth'): HurdleFeatures => ({
  key: `${cls}|${sinceBucket(since)}|long`,
  since,
  size,
  n: 40,
});

describe('the hurdle', () => {
  it('a window sees only the history before its origin: its features are those of the prefix', () => {
    const y = Float64Array.from([3, 0, 1, 0, 0, 2, 0, 0, 0, 5, 7, 0]);
    const a = new HurdleWindows(3);
    a.addOrigin(y, 7, 1);
    const z = y.slice();
    for (let t = 7; t < z.length; t++) z[t] = 100 + t; // the future rewritten
    const b = new HurdleWindows(3);
    b.addOrigin(z, 7, 1);
    expect(a.list[0].f).toEqual(hurdleFeatures(y.subarray(0, 7)));
    expect(b.list[0].f).toEqual(a.list[0].f);
    expect(a.list[0].f.since).toBe(1);
    expect(a.list[0].f.size).toBe(2);
    // the outcome is the h periods from the origin, and the periods to its first demand
    expect(a.list[0].d).toBe(5);
    expect(a.list[0].first).toBe(2);
    // no window whose outcome would reach past the history
    a.addOrigin(y, 10, 1);
    expect(a.list).toHaveLength(1);
  });

  it('the chance of a demand falls with the periods since the last one, and grows with the interval', () => {
    const model = fitHurdle(windowsOf(histories(400, 48), 6));
    const pis = [0, 1, 3, 6, 12, 24].map((s) => recurWithin(model, at(s, 2, 'erratic'), 6));
    for (let j = 1; j < pis.length; j++) expect(pis[j]).toBeLessThanOrEqual(pis[j - 1] + 0.02);
    expect(pis[0]).toBeGreaterThan(0.9);
    expect(pis[pis.length - 1]).toBeLessThan(0.5);
    for (const s of [0, 6, 24]) {
      const f = at(s, 2, 'erratic');
      const [p1, p3, p12] = [1, 3, 12].map((k) => recurWithin(model, f, k));
      expect(p1).toBeGreaterThan(0);
      expect(p1).toBeLessThanOrEqual(p3);
      expect(p3).toBeLessThanOrEqual(p12);
      expect(p12).toBeLessThanOrEqual(1);
    }
  });

  it('its mean is unbiased in units on the windows it learned from, a silent part expects less', () => {
    const hs = histories(400, 48, 7);
    const w = windowsOf(hs, 6);
    const model = fitHurdle(w, { hazard: 0, size: 0 });
    let fc = 0;
    let d = 0;
    for (const x of w.list) {
      const m = Float64Array.from({ length: 6 }, () => x.level);
      applyHurdle(model, x.f, m);
      fc += m.reduce((s, v) => s + v, 0);
      d += x.d;
    }
    expect(Math.abs(fc - d) / d).toBeLessThan(0.03);
    const active = [0.5];
    const silent = [0.5];
    applyHurdle(model, at(0, 2, 'erratic'), active);
    applyHurdle(model, at(24, 2, 'erratic'), silent);
    expect(silent[0]).toBeLessThan(active[0]);
    expect(silent[0]).toBeGreaterThanOrEqual(0);
  });

  it("without windows the engine's mean is left as it is; a part without demand keeps its zero", () => {
    const model = fitHurdle(new HurdleWindows(6));
    const m = [0.3, 0.7, 0];
    applyHurdle(model, at(5), m);
    expect(m).toEqual([0.3, 0.7, 0]);
    expect(recurWithin(model, at(5), 4)).toBe(1);
    const learned = fitHurdle(windowsOf(histories(100, 30), 6));
    const z = [0, 0];
    applyHurdle(learned, { ...at(3), size: 0 }, z);
    expect(z).toEqual([0, 0]);
  });

  it("a cell moves the engine's mean by its evidence: few windows with a demand, little change", () => {
    const w = windowsOf(histories(400, 48, 3), 6);
    const full = fitHurdle(w, { ...HURDLE_SHRINK, toward: 0 });
    const model = fitHurdle(w);
    expect(model.toward).toBeGreaterThan(0);
    const engine = 0.5;
    const moved = [at(0, 2, 'erratic'), at(12, 2, 'erratic'), at(30, 2, 'erratic')].map((f) => {
      const c = cellOf(model, f.key);
      const [m, mf] = [[engine], [engine]];
      applyHurdle(model, f, m);
      applyHurdle(full, f, mf);
      // the hurdle's correction, scaled by nPos / (nPos + toward): toward the engine's mean, never past it
      const share = c.nPos / (c.nPos + model.toward!);
      expect(m[0] - engine).toBeCloseTo(share * (mf[0] - engine), 9);
      expect(Math.abs(m[0] - engine)).toBeLessThan(Math.abs(mf[0] - engine));
      return { share, nPos: c.nPos };
    });
    // a cell with more windows with a demand keeps more of its correction
    const [busy, , quiet] = moved;
    expect(busy.nPos).toBeGreaterThan(quiet.nPos);
    expect(busy.share).toBeGreaterThan(quiet.share);
    // the forecast and the plan read the same shrunk mean: a flat level through hurdleLevel is applyHurdle's
    const f = at(12, 2, 'erratic');
    const m = Array.from({ length: 6 }, () => engine);
    applyHurdle(model, f, m);
    expect(hurdleLevel(model, f, engine)).toBeCloseTo(m[0], 12);
  });

  it('what the shrink keeps is more chance of a usual-size demand, not a bigger demand', () => {
    const w = windowsOf(histories(400, 48, 3), 6);
    const full = fitHurdle(w, { ...HURDLE_SHRINK, toward: 0 });
    const model = fitHurdle(w);
    const P = 4;
    for (const f of [at(12, 2, 'erratic'), at(30, 2, 'erratic'), at(30, 3, 'lumpy')]) {
      const pi = recurWithin(model, f, P);
      // an engine mean well above the hurdle's: the shrink keeps part of it
      const engine = 2;
      const kept = Array.from({ length: P }, () => engine);
      const own = Array.from({ length: P }, () => engine);
      applyHurdle(model, f, kept);
      applyHurdle(full, f, own);
      const total = kept.reduce((a, b) => a + b, 0);
      const ownTotal = own.reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(ownTotal);
      const chance = recurFor(model, f, P, total);
      expect(chance).toBeGreaterThan(pi);
      expect(chance).toBeLessThanOrEqual(1);
      // E[D | D > 0] is the cell's own conditional size, unless the chance is capped at 1
      if (chance < 1) expect(total / chance).toBeCloseTo(ownTotal / pi, 6);
      else expect(total / chance).toBeLessThan(ownTotal / pi);
      // an engine mean below the hurdle's (the shrink lowered it): the cell's chance stands
      const low = Array.from({ length: P }, () => 1e-4);
      applyHurdle(model, f, low);
      expect(
        recurFor(
          model,
          f,
          P,
          low.reduce((a, b) => a + b, 0),
        ),
      ).toBe(pi);
    }
    // without a shrink the cell's chance is the chance
    const f = at(30, 2, 'erratic');
    expect(recurFor(full, f, P, 5)).toBe(recurWithin(full, f, P));
  });

  it("the chance within k is the windows' own share within k, not a constant hazard's", () => {
    const h = 12;
    // a mixed cell: parts that sell every period and parts that sell once in ~20 periods, all active now
    const r = rng(7);
    const hs = Array.from({ length: 300 }, (_, i) => {
      const q = i % 2 ? 0.97 : 0.05;
      const y = new Float64Array(60);
      for (let t = 0; t < 60; t++) y[t] = t === 0 || r() < q ? 2 : 0;
      return y;
    });
    const w = new HurdleWindows(h);
    for (const y of hs) for (let o = 4; o + h <= y.length; o += 3) w.addOrigin(y, o, 0.5);
    const model = fitHurdle(w, { hazard: 0, size: 0 });
    const root = model.cells['*']!;
    const share = (k: number) => w.list.filter((x) => x.first >= 0 && x.first < k).length / w.list.length;
    for (const k of [1, 3, 6, 12]) expect(root.pk![k - 1]).toBeCloseTo(share(k), 12);
    // monotone, and at h the share the hazard is set from: the mean (π_h × S) does not move
    for (let k = 1; k < h; k++) expect(root.pk![k]).toBeGreaterThanOrEqual(root.pk![k - 1]);
    expect(root.pk![h - 1]).toBeCloseTo(1 - Math.pow(1 - root.p, h), 9);
    const f: HurdleFeatures = { key: '*', since: 0, size: 2, n: 60 };
    // half the cell sells next period: the constant hazard matched at h says far less within 1 and 3
    expect(recurWithin(model, f, 1)).toBeGreaterThan(0.45);
    expect(root.p).toBeLessThan(0.3);
    expect(recurWithin(model, f, 3)).toBeCloseTo(share(3), 12);
    // between whole periods linearly; past h the hazard for the periods beyond
    expect(recurWithin(model, f, 2.5)).toBeCloseTo((share(2) + share(3)) / 2, 12);
    expect(recurWithin(model, f, h + 2)).toBeCloseTo(1 - (1 - share(h)) * Math.pow(1 - root.p, 2), 12);
    // a model fitted before pk existed (a re-plan of an older job) keeps the constant hazard
    const old = { ...model, cells: { '*': { ...root, pk: undefined } } };
    expect(recurWithin(old, f, 3)).toBeCloseTo(1 - Math.pow(1 - root.p, 3), 12);
  });
});
