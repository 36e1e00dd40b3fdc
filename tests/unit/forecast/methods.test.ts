import { describe, expect, it } from 'vitest';
import { adidaAt, aggregatedSes, imapaAt, imapaLevels, prefixOf } from '../../../server/forecast/methods/aggregate.js';
import { crostonScan, tsbScan } from '../../../server/forecast/methods/intermittent.js';
import { runMethod, COMB_MEMBERS } from '../../../server/forecast/methods/index.js';
import { meanAt, movingAverageAt, naiveAt, seasonalNaiveAt } from '../../../server/forecast/methods/simple.js';
import { holtDampedScan, sesScan } from '../../../server/forecast/methods/smoothing.js';
import { aliveProbability, classify } from '../../../server/forecast/series/classify.js';

const Y = (...v: number[]) => Float64Array.from(v);
const env = { season: 7, maWindow: 2 };

describe('simple methods', () => {
  it('naive, seasonal naive, moving average, mean', () => {
    expect(naiveAt(Y(1, 2, 3), 3)).toBe(3);
    expect(Array.from(seasonalNaiveAt(Y(1, 2, 3, 4, 5, 6), 6, 4, 3))).toEqual([4, 5, 6, 4]);
    expect(Array.from(seasonalNaiveAt(Y(1, 2), 2, 2, 3))).toEqual([2, 2]); // shorter than a season: naive
    expect(movingAverageAt(Y(1, 2, 3, 5), 4, 2)).toBe(4);
    expect(movingAverageAt(Y(1, 2, 3, 5), 3, 2)).toBe(2.5); // end excludes later data
    expect(meanAt(Y(1, 2, 3, 5), 4)).toBe(2.75);
  });
});

describe('exponential smoothing', () => {
  it('SES with one α follows the recursion', () => {
    // level 2 → 2 + .5(4 − 2) = 3 → 3 + .5(6 − 3) = 4.5
    expect(sesScan(Y(2, 4, 6), [3], [0.5])[0]).toBeCloseTo(4.5, 12);
    expect(Array.from(sesScan(Y(2, 4, 6), [1, 2, 3], [0.5]))).toEqual([2, 3, 4.5]);
  });
  it('SES picks the α with the lowest one-step SSE', () => {
    // a level shift is tracked better by a high α
    const y = Y(1, 1, 1, 1, 10, 10, 10, 10, 10, 10);
    expect(sesScan(y, [10], [0.1, 0.9])[0]).toBeCloseTo(10, 1);
    // white noise around 5 prefers a low α
    const z = Y(4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6);
    const f = sesScan(z, [12], [0.1, 0.9])[0];
    expect(Math.abs(f - 5)).toBeLessThan(0.5);
  });
  it('damped Holt extrapolates a trend, damped, never below 0', () => {
    const y = Float64Array.from({ length: 20 }, (_, i) => i + 1);
    const [f] = holtDampedScan(y, [20], 5);
    expect(f[0]).toBeGreaterThan(19.5);
    expect(f[4]).toBeGreaterThan(f[0]);
    expect(f[4] - f[3]).toBeLessThan(f[1] - f[0] + 1e-9);
    const [g] = holtDampedScan(
      Float64Array.from({ length: 20 }, (_, i) => 20 - i),
      [20],
      30,
    );
    expect(Math.min(...g)).toBeGreaterThanOrEqual(0);
  });
});

describe('intermittent methods', () => {
  it('Croston and SBA by hand', () => {
    // first demand 3 at t=1 (interval 2), then 6 at t=4 (interval 3): z = 3.3, p = 2.1
    const y = Y(0, 3, 0, 0, 6);
    expect(crostonScan(y, [5], 0.1, false)[0]).toBeCloseTo(3.3 / 2.1, 12);
    expect(crostonScan(y, [5], 0.1, true)[0]).toBeCloseTo((0.95 * 3.3) / 2.1, 12);
    expect(crostonScan(y, [1], 0.1, false)[0]).toBe(0); // no demand yet
    expect(crostonScan(y, [2], 0.1, false)[0]).toBeCloseTo(1.5, 12);
  });
  it('TSB by hand', () => {
    // z = 4, p = 1/2; zero: p = .45; demand 2: z = 3.8, p = .505
    expect(tsbScan(Y(0, 4, 0, 2), [4])[0]).toBeCloseTo(3.8 * 0.505, 12);
    // a long run of zeros decays the forecast
    const dying = Y(5, 5, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0);
    const [a, b] = tsbScan(dying, [4, 12]);
    expect(b).toBeLessThan(a * 0.5);
  });
  it('ADIDA by hand', () => {
    // ADI 2 → buckets of 2: [2, 4, 2]; SSE(α) = 4 + 4α² is least at α = .1: level 2.18 → 1.09 per period
    const p = prefixOf(Y(0, 2, 0, 4, 0, 2));
    expect(adidaAt(p, 6)).toBeCloseTo(1.09, 12);
    expect(aggregatedSes(p, 6, 2)).toBeCloseTo(1.09, 12);
  });
  it('IMAPA averages the aggregation levels', () => {
    const p = prefixOf(Y(0, 2, 0, 4, 0, 2));
    expect(imapaAt(p, 6)).toBeCloseTo((aggregatedSes(p, 6, 1) + 1.09) / 2, 12);
    expect(imapaLevels(20)).toEqual([1, 2, 3, 6, 11, 20]);
    expect(imapaLevels(3)).toEqual([1, 2, 3]);
  });
  it('comb is the mean of its members', () => {
    const y = Y(0, 3, 0, 0, 6, 0, 1, 0, 0, 2, 0, 0);
    const comb = runMethod('comb', y, [12], 3, env)[0][0];
    const members = COMB_MEMBERS.map((m) => runMethod(m, y, [12], 3, env)[0][0]);
    expect(comb).toBeCloseTo(members.reduce((s, v) => s + v, 0) / members.length, 12);
  });
});

describe('classification and obsolescence', () => {
  it('ADI / CV² classes', () => {
    expect(classify(Y(5, 5, 5, 5), 0, 4).cls).toBe('smooth');
    expect(classify(Y(1, 10, 1, 10), 0, 4).cls).toBe('erratic');
    expect(classify(Y(0, 5, 0, 5, 0, 5), 0, 6).cls).toBe('intermittent');
    expect(classify(Y(0, 1, 0, 20, 0, 1), 0, 6).cls).toBe('lumpy');
    expect(classify(Y(0, 0), 0, 2).cls).toBe('no_demand');
    expect(classify(Y(0, 5, 0, 5, 0, 5), 0, 6).adi).toBe(2);
  });
  it('a run of zeros unusual for the part lowers the alive probability', () => {
    const busy = Float64Array.from({ length: 40 }, (_, i) => (i < 30 ? 3 : 0));
    expect(aliveProbability(busy, 0, 30, 60)).toBe(1);
    const p5 = aliveProbability(busy, 0, 33, 60),
      p10 = aliveProbability(busy, 0, 40, 60);
    expect(p10).toBeLessThan(p5);
    expect(p10).toBeLessThan(0.05);
    // a sparse part: 10 zeros are normal
    const sparse = Float64Array.from({ length: 60 }, (_, i) => (i % 12 === 0 && i < 50 ? 1 : 0));
    expect(aliveProbability(sparse, 0, 60, 60)).toBeGreaterThan(0.5);
  });
});
