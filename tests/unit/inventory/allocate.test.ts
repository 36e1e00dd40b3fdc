import { describe, expect, it } from 'vitest';
import {
  allocate,
  allocateBySite,
  levelAt,
  NoCostsError,
  SHORT_SCALE,
  shortOf as tailShort,
  tailInto,
  TailSet,
  type PlanSpec,
} from '../../../server/forecast/inventory/allocate.js';
import { cdf, mixtureWithMean, type LtdDist } from '../../../server/forecast/inventory/dist.js';
import { setExpected, type PlanRow } from '../../../server/forecast/inventory/plan-row.js';

interface Part {
  dist: LtdDist;
  cost: number | null;
  base?: number;
  floor?: number | null;
}

function setOf(parts: Part[]): TailSet {
  const set = new TailSet();
  for (const p of parts) set.add(p.dist, null, p.cost, p.base ?? 0, p.floor ?? null, 'S');
  return set;
}

/** Every allocation S_i in [floor_i, len_i] of the costed series: the least E[units short] within `ok`. */
function bruteForce(set: TailSet, ok: (value: number, short: number) => boolean): { value: number; short: number } {
  let best = { value: Infinity, short: Infinity };
  const n = set.size;
  const S = new Array<number>(n).fill(0);
  const rec = (i: number, value: number, short: number) => {
    if (i === n) {
      if (
        ok(value, short) &&
        (short < best.short - 1e-12 || (Math.abs(short - best.short) <= 1e-12 && value < best.value))
      )
        best = { value, short };
      return;
    }
    if (!set.costed(i)) return rec(i + 1, value, short + set.short(i, set.base[i]));
    for (let s = set.floor[i]; s <= set.len[i]; s++) {
      S[i] = s;
      rec(i + 1, value + s * set.cost[i], short + set.short(i, s));
    }
  };
  rec(0, 0, 0);
  return best;
}

const shortOf = (set: TailSet, S: Int32Array) => {
  let t = 0;
  for (let i = 0; i < set.size; i++) t += set.short(i, S[i]);
  return t;
};
const valueOf = (set: TailSet, S: Int32Array) => {
  let v = 0;
  for (let i = 0; i < set.size; i++) if (set.costed(i)) v += S[i] * set.cost[i];
  return v;
};

/** A small seeded generator (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('allocate (marginal analysis)', () => {
  it('spends a budget exactly as well as brute force when every unit costs the same', () => {
    const r = rng(7);
    for (let trial = 0; trial < 6; trial++) {
      const parts: Part[] = Array.from({ length: 3 }, () => ({
        dist: mixtureWithMean(0.3 + 2.5 * r(), 0.2 + r(), 0.1 * r()),
        cost: 5,
      }));
      const set = setOf(parts);
      for (const B of [0, 5, 20, 35, 60]) {
        const a = allocate(set, { mode: 'budget', stockBudget: B }, { frontier: false });
        expect(valueOf(set, a.S)).toBeLessThanOrEqual(B + 1e-9);
        const best = bruteForce(set, (v) => v <= B + 1e-9);
        expect(shortOf(set, a.S)).toBeCloseTo(best.short, 9);
      }
    }
  });

  it('is optimal for the money it spends at each point of its frontier when costs differ', () => {
    const r = rng(11);
    for (let trial = 0; trial < 4; trial++) {
      const parts: Part[] = Array.from({ length: 3 }, () => ({
        dist: mixtureWithMean(0.3 + 2 * r(), 0.3 + r(), 0),
        cost: Math.round(1 + 40 * r()),
      }));
      const set = setOf(parts);
      const { frontier } = allocate(set, { mode: 'service_level' });
      for (const p of frontier.filter((_, j) => j % 6 === 0)) {
        const a = allocate(set, { mode: 'budget', stockBudget: p.stock_value }, { frontier: false });
        const best = bruteForce(set, (v) => v <= p.stock_value + 1e-9);
        expect(shortOf(set, a.S)).toBeCloseTo(best.short, 9);
      }
    }
  });

  it('puts the money where the fall in expected units short per unit of money is largest', () => {
    // the same demand, one part 100x dearer: a small budget goes to the cheap one first
    const d = mixtureWithMean(2, 0.5, 0);
    const set = setOf([
      { dist: d, cost: 1 },
      { dist: d, cost: 100 },
    ]);
    const a = allocate(set, { mode: 'budget', stockBudget: 6 }, { frontier: false });
    expect(a.S[0]).toBe(6);
    expect(a.S[1]).toBe(0);
  });

  it('keeps the floors even when they cost more than the budget, and says so', () => {
    const d = mixtureWithMean(3, 0.4, 0);
    const set = setOf([
      { dist: d, cost: 10, floor: 0.99 },
      { dist: d, cost: 1 },
    ]);
    const q99 = set.firstAtMost(0, 0.01, 0);
    expect(q99).toBeGreaterThan(3);
    const tight = allocate(set, { mode: 'budget', stockBudget: 10 }, { frontier: false });
    expect(tight.belowFloors).toBe(true);
    expect(tight.S[0]).toBe(q99);
    expect(tight.S[1]).toBe(0);
    // with money to spare the floor still holds, and the rest buys units of the cheap part
    const loose = allocate(set, { mode: 'budget', stockBudget: q99 * 10 + 8 }, { frontier: false });
    expect(loose.belowFloors).toBe(false);
    expect(loose.S[0]).toBeGreaterThanOrEqual(q99);
    expect(loose.S[1]).toBeGreaterThan(0);
    // F at the floor reaches the level: the floor is the plan's 99 % quantile under this tail
    expect(1 - set.tail(0, q99)).toBeGreaterThanOrEqual(0.99);
    expect(1 - set.tail(0, q99 - 1)).toBeLessThan(0.99);
  });

  it('plans parts without a cost at their service level and counts them; no costs at all is an error', () => {
    const d = mixtureWithMean(2, 0.5, 0);
    const set = setOf([
      { dist: d, cost: null, base: 5 },
      { dist: d, cost: 2 },
    ]);
    const a = allocate(set, { mode: 'budget', stockBudget: 4 }, { frontier: false });
    expect(a.S[0]).toBe(5);
    expect(a.costless).toBe(1);
    expect(a.stockValue).toBeLessThanOrEqual(4);
    const none = setOf([{ dist: d, cost: null, base: 5 }]);
    expect(() => allocate(none, { mode: 'budget', stockBudget: 4 })).toThrow(NoCostsError);
    expect(() => allocate(none, { mode: 'fill_rate', targetFillRate: 0.9 })).toThrow(NoCostsError);
    // the service-level plan needs no cost
    expect(allocate(none, { mode: 'service_level' }).S[0]).toBe(5);
  });

  it('reaches a fill-rate target with the least stock value brute force finds (equal costs)', () => {
    const r = rng(3);
    for (let trial = 0; trial < 4; trial++) {
      const parts: Part[] = Array.from({ length: 3 }, () => ({
        dist: mixtureWithMean(0.5 + 2 * r(), 0.2 + r(), 0),
        cost: 3,
      }));
      const set = setOf(parts);
      let demand = 0;
      for (let i = 0; i < set.size; i++) demand += set.mean[i];
      for (const target of [0.6, 0.8, 0.9, 0.97]) {
        const spec: PlanSpec = { mode: 'fill_rate', targetFillRate: target };
        const a = allocate(set, spec, { frontier: false });
        expect(1 - shortOf(set, a.S) / demand).toBeGreaterThanOrEqual(target - 1e-12);
        let least = Infinity;
        bruteForce(set, (v, s) => {
          if (1 - s / demand >= target - 1e-12) least = Math.min(least, v);
          return false;
        });
        expect(valueOf(set, a.S)).toBeCloseTo(least, 9);
      }
    }
  });

  it('draws a frontier of at least 20 points, ascending in money and in fill rate, above the uniform curve', () => {
    const r = rng(5);
    const parts: Part[] = Array.from({ length: 60 }, () => ({
      dist: mixtureWithMean(0.2 + 8 * r() * r(), 0.1 + 2 * r(), 0.2 * r()),
      cost: Math.round(1 + 500 * r() * r()),
    }));
    const set = setOf(parts);
    const a = allocate(set, { mode: 'service_level' });
    expect(a.frontier.length).toBeGreaterThanOrEqual(20);
    for (let j = 1; j < a.frontier.length; j++) {
      expect(a.frontier[j].stock_value).toBeGreaterThanOrEqual(a.frontier[j - 1].stock_value);
      expect(a.frontier[j].expected_fill_rate).toBeGreaterThanOrEqual(a.frontier[j - 1].expected_fill_rate - 1e-12);
    }
    expect(a.uniform.map((u) => u.service_level)).toEqual([0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995]);
    // at each uniform plan's money, the allocation's fill rate is at least as high
    for (const u of a.uniform) {
      const b = allocate(set, { mode: 'budget', stockBudget: u.stock_value }, { frontier: false });
      expect(b.costedFill).toBeGreaterThanOrEqual(u.expected_fill_rate - 1e-12);
    }
  });

  it('states a service level whose quantile is the chosen order-up-to level', () => {
    const d = mixtureWithMean(4, 0.6, 0.1);
    const set = setOf([{ dist: d, cost: 1 }]);
    const F = (k: number) => (k < 0 ? 0 : cdf(k, d));
    for (let S = 0; S < set.len[0]; S++) {
      const tau = set.levelAt(0, S);
      expect(tau).toBeGreaterThan(0);
      expect(tau).toBeLessThan(1);
      expect(tau).toBeGreaterThan(F(S - 1));
      expect(tau).toBeLessThanOrEqual(F(S) + 1e-9);
    }
    // rounding to 6 decimals never leaves the interval, even when F(S) sits just above a round level
    const t = Float64Array.from([1 - 0.9500004, 1 - 0.9500006]);
    expect(levelAt(t, 2, 1)).toBeGreaterThan(0.9500004);
    expect(levelAt(t, 2, 1)).toBeLessThanOrEqual(0.9500006);
  });

  it('promises SHORT_SCALE × E[(D - S)+] units short, a row at most its E[D]', () => {
    const dist = mixtureWithMean(3, 0.4, 0.2);
    // E[(D - S)+] straight from the distribution: Σ_{k >= S} P(D > k)
    const es = (S: number) => {
      let t = 0;
      for (let k = S; k < 400; k++) t += 1 - cdf(k, dist);
      return t;
    };
    const set = setOf([{ dist, cost: 1 }]);
    const buf = { a: new Float64Array(8) };
    const n = tailInto(dist, null, 1, buf);
    expect(SHORT_SCALE).toBeGreaterThan(1);
    for (const S of [0, 2, 5, 9]) {
      expect(set.short(0, S)).toBeCloseTo(SHORT_SCALE * es(S), 4);
      expect(tailShort(buf.a, n, S).short).toBeCloseTo(SHORT_SCALE * es(S), 4);
    }
    expect(set.mean[0]).toBeCloseTo(es(0), 4);
    // nothing stocked: the row's units short are its demand, not more; stocked: the scaled figure
    const row = {} as PlanRow;
    setExpected(row, set.short(0, 0), set.mean[0]);
    expect(row.expectedShort).toBe(set.mean[0]);
    expect(row.expectedFill).toBe(0);
    setExpected(row, set.short(0, 5), set.mean[0]);
    expect(row.expectedShort).toBe(set.short(0, 5));
    expect(row.expectedFill).toBeCloseTo(1 - (SHORT_SCALE * es(5)) / es(0), 4);
  });
});

describe('allocateBySite (stock_budget_by_site)', () => {
  const r = rng(11);
  const parts = Array.from({ length: 9 }, (_, i) => ({
    dist: mixtureWithMean(0.5 + 4 * r(), 0.2 + r(), 0.1 * r()),
    cost: 1 + Math.round(20 * r()),
    base: 2,
    site: ['A', 'B', 'C'][i % 3],
  }));
  const build = (only?: string) => {
    const set = new TailSet();
    for (const p of parts) if (!only || p.site === only) set.add(p.dist, null, p.cost, p.base, null, p.site);
    return set;
  };
  const siteValue = (set: TailSet, S: Int32Array, site: string) => {
    let v = 0;
    for (let i = 0; i < set.size; i++) if (set.sites[set.site[i]] === site) v += S[i] * set.cost[i];
    return v;
  };
  const ofSite = (set: TailSet, S: Int32Array, site: string) =>
    [...S].filter((_, i) => set.sites[set.site[i]] === site);

  it("spends each site's budget on that site alone, as a budget for the site by itself would", () => {
    const set = build();
    const map = { A: 40, B: 15 };
    const a = allocateBySite(set, { mode: 'budget', stockBudget: 25, stockBudgetBySite: map });
    expect(a.unknownSites).toEqual([]);
    for (const [site, B] of [...Object.entries(map), ['C', 25] as const]) {
      expect(siteValue(set, a.S, site)).toBeLessThanOrEqual(B + 1e-9);
      // the same levels as the site's own allocation at its budget
      const alone = allocate(build(site), { mode: 'budget', stockBudget: B }, { frontier: false });
      expect(ofSite(set, a.S, site)).toEqual([...alone.S]);
    }
    // a job-wide budget of the same total spends it differently (not per site)
    const whole = allocate(set, { mode: 'budget', stockBudget: 80 });
    expect([...whole.S]).not.toEqual([...a.S]);
    expect(whole.costedFill).toBeGreaterThanOrEqual(a.costedFill - 1e-12);
    // the frontier and uniform curve are the whole job's
    expect(a.frontier).toEqual(whole.frontier);
    expect(a.uniform).toEqual(whole.uniform);
    expect(a.stockValue).toBeCloseTo(valueOf(set, a.S), 9);
    expect(a.costedFill).toBeCloseTo(1 - shortOf(set, a.S) / parts.reduce((t, _, i) => t + set.mean[i], 0), 9);
  });

  it('leaves the sites it does not name at the service-level plan without a job budget, and names unknown sites', () => {
    const set = build();
    const a = allocateBySite(set, { mode: 'budget', stockBudgetBySite: { A: 30, Z: 99, Y: 5 } });
    expect(a.unknownSites).toEqual(['Y', 'Z']);
    for (const site of ['B', 'C']) expect(ofSite(set, a.S, site)).toEqual(ofSite(set, set.base.slice(0, 9), site));
    expect(siteValue(set, a.S, 'A')).toBeLessThanOrEqual(30);
    // without a map, the job-wide allocation
    const plain = allocateBySite(set, { mode: 'budget', stockBudget: 50 });
    expect([...plain.S]).toEqual([...allocate(set, { mode: 'budget', stockBudget: 50 }).S]);
  });
});
