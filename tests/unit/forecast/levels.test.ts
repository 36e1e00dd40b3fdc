import { describe, expect, it } from 'vitest';
import { aggregatedSes, aggregatedSesK1, prefixOf } from '../../../server/forecast/methods/aggregate.js';
import { FLAT_METHODS, runLevels, runMethod } from '../../../server/forecast/methods/index.js';
import { aliveAtEnds, aliveProbability } from '../../../server/forecast/series/classify.js';
import { jobPrior, SMALL_PARTITION } from '../../../server/forecast/choose/prior.js';
import type { EngineContext } from '../../../server/forecast/index.js';
import type { SiteSeries } from '../../../server/forecast/series/group.js';
import type { JobConfig } from '../../../server/contract/dto.js';

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
const r = rng(11);
const series = (n: number, p: number) =>
  Float64Array.from({ length: n }, () => (r() < p ? 1 + Math.floor(6 * r()) : 0));
const env = { season: 7, maWindow: 5 };

describe('fast paths agree with the reference definitions', () => {
  it('aggregatedSesK1 equals aggregatedSes with one-period buckets at every end', () => {
    const y = series(60, 0.4);
    const ends = [0, 1, 2, 3, 10, 33, 59, 60];
    const p = prefixOf(y);
    const k1 = aggregatedSesK1(y, ends);
    ends.forEach((e, i) => expect(k1[i]).toBeCloseTo(aggregatedSes(p, e, 1), 12));
  });
  it('runLevels gives the level of runMethod for every flat method', () => {
    for (const p of [0.05, 0.3, 0.9]) {
      const y = series(80, p);
      y[0] = 2;
      const ends = [6, 20, 41, 80];
      for (const m of FLAT_METHODS) {
        const lv = runLevels(m, y, ends, env),
          ref = runMethod(m, y, ends, 4, env);
        ends.forEach((_, i) => expect(lv[i]).toBeCloseTo(ref[i][3], 9));
      }
    }
  });
  it('aliveAtEnds equals aliveProbability per end and life', () => {
    const y = Float64Array.from([0, 3, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]);
    const ends = [4, 7, 10, 14];
    const a = aliveAtEnds(y, 1, ends, [60, 12]);
    ends.forEach((e, i) => {
      expect(a[0][i]).toBeCloseTo(aliveProbability(y, 1, e, 60), 14);
      expect(a[1][i]).toBeCloseTo(aliveProbability(y, 1, e, 12), 14);
    });
    expect(a[1][3]).toBeLessThan(a[0][3]); // a shorter life: a long run of zeros means dead sooner
  });
});

describe('job-level weights', () => {
  const site = (name: string, S: number): SiteSeries => {
    const per: number[] = [],
      qty: number[] = [],
      off = [0];
    for (let i = 0; i < S; i++) {
      for (let t = 0; t < 36; t++)
        if (t === 0 || r() < 0.35) {
          per.push(t);
          qty.push(1 + Math.floor(4 * r()));
        }
      off.push(per.length);
    }
    return {
      site: name,
      parts: Array.from({ length: S }, (_, i) => `P${i}`),
      off: Int32Array.from(off),
      per: Int32Array.from(per),
      qty: Float64Array.from(qty),
    };
  };
  const ctx: EngineContext = {
    freq: 'M',
    anchor: 0,
    fileStart: 0,
    trainEnd: 35,
    fcStart: 36,
    warnings: [],
    seriesStart: 'auto',
    selection: 'stack',
    lifePeriods: 60,
  };
  const config = { forecast_horizon: 6, method: 'auto' } as JobConfig;
  const parts = (...sizes: number[]) => sizes.map((n, i) => ({ site: `S${i}`, weight: n, data: site(`S${i}`, n) }));
  it('are learned when the job has several partitions and a small one', () => {
    const prior = jobPrior(parts(30, 80), ctx, config);
    expect(prior).toBeDefined();
    const ws = Object.values(prior!.final);
    expect(ws.length).toBeGreaterThan(0);
    for (const w of ws) expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
  it('are learned for one partition big enough to be split into tasks, skipped for one small one and for a single method', () => {
    expect(jobPrior(parts(30), ctx, config)).toBeUndefined();
    expect(jobPrior(parts(SMALL_PARTITION - 1), ctx, config)).toBeUndefined();
    expect(jobPrior(parts(SMALL_PARTITION), ctx, config)).toBeDefined();
    expect(jobPrior(parts(SMALL_PARTITION, SMALL_PARTITION), ctx, config)).toBeDefined();
    expect(jobPrior(parts(30, 30), ctx, { ...config, method: 'sba' })).toBeUndefined();
    expect(jobPrior(parts(30, 30), ctx, { ...config, method: 'bogus' })).toBeUndefined();
  });
});
