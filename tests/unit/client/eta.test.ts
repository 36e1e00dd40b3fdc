import { describe, expect, it } from 'vitest';
import { EtaEstimator, etaLeft } from '../../../client/src/lib/eta.js';
import { etaMs } from '../../../client/src/lib/format.js';

// A 30 s job: reading 0→10 % in 1 s, then the sites at a steady 85 points per 28 s, then writing.
const progressAt = (s: number) => (s <= 1 ? s * 10 : Math.min(95, 10 + ((s - 1) * 85) / 28));

describe('time left', () => {
  it('follows the measured throughput and does not jump where the elapsed-fraction estimate does', () => {
    const est = new EtaEstimator();
    const shown: number[] = [];
    const old: number[] = [];
    for (let s = 0.5; s <= 28; s += 0.5) {
      const p = Math.round(progressAt(s));
      const e = est.observe(s * 1000, p);
      if (s >= 8) {
        shown.push(etaLeft(e, s * 1000)! / 1000);
        old.push(etaMs(p, s * 1000)! / 1000);
      }
    }
    // From 8 s in (a few samples into the sites phase) the new estimate stays within 4 s of the truth.
    const truth = (i: number) => 30 - (8 + i * 0.5);
    shown.forEach((v, i) => expect(Math.abs(v - truth(i))).toBeLessThan(4));
    // Smooth: between two half-second samples the shown value moves by little.
    const steps = (xs: number[]) => xs.slice(1).map((x, i) => Math.abs(x - xs[i]));
    expect(Math.max(...steps(shown))).toBeLessThan(1.5);
    // The old estimate is off by more at the start of the window than the new one ever is.
    expect(Math.abs(old[0] - truth(0))).toBeGreaterThan(Math.max(...shown.map((v, i) => Math.abs(v - truth(i)))));
  });

  it('says nothing until it has measured, counts down between samples, and restarts after a requeue', () => {
    const est = new EtaEstimator();
    expect(est.observe(0, 10)).toBeNull();
    expect(est.observe(1000, 11)).toBeNull(); // too short a span to measure
    const e = est.observe(4000, 20)!;
    expect(e.ms).toBeCloseTo((80 / 10) * 4000, -2);
    expect(etaLeft(e, 6000)).toBeCloseTo(e.ms - 2000, 5);
    expect(est.observe(5000, 0)).not.toBeNull(); // earlier estimate counted down, samples reset
    expect(est.observe(6000, 100)).toBeNull();
  });
});
