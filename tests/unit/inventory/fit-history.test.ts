/** The fit's history-length dispersion term and the evidence-weighted shrinkage of the mean correction. */
import { describe, expect, it } from 'vitest';
import { alphaAt, fitWindows, meanAt, type GroupParams } from '../../../server/forecast/inventory/fit.js';
import type { Windows } from '../../../server/forecast/inventory/windows.js';

describe('alphaAt with the history-length term', () => {
  it('plans the same part tighter after a longer history, and ignores the length without the term', () => {
    const g: GroupParams = { a: 1, c: 0.05, zero: 0, windows: 0, e: 2 };
    const short = alphaAt('size', g, 4, 3, 1.5, 8);
    const long = alphaAt('size', g, 4, 3, 1.5, 40);
    expect(short).toBeGreaterThan(long);
    // SI * (a + e P / n) - 1 over mu, plus c
    expect(long).toBeCloseTo((1.5 * (1 + (2 * 4) / 40) - 1) / 3 + 0.05, 12);
    const plain: GroupParams = { a: 1, c: 0.05, zero: 0, windows: 0 };
    expect(alphaAt('size', plain, 4, 3, 1.5, 8)).toBe(alphaAt('size', plain, 4, 3, 1.5, 40));
  });
});

/** Two groups of one class: 'smooth/active' forecasts right, the small 'smooth/quiet' at half the demand. */
function windows(): Windows {
  const n = 2400;
  const mu = Float64Array.from({ length: n }, (_, i) => 5 + (i % 11));
  const quiet = (i: number) => i % 6 === 0;
  return {
    mu,
    d: Float64Array.from(mu, (m, i) => (quiet(i) ? 2 * m : m)),
    p: new Int32Array(n).fill(2),
    si: new Float64Array(n).fill(1),
    rate: Float64Array.from(mu, (m) => m / 2),
    len: new Int32Array(n).fill(20),
    left: new Int32Array(n).fill(6),
    gid: Int32Array.from({ length: n }, (_, i) => (quiet(i) ? 1 : 0)),
    groups: ['smooth/active', 'smooth/quiet'],
    size: n,
  };
}

describe('meanShrink', () => {
  it('pulls a small group toward its class by evidence and leaves it alone without', () => {
    const w = windows();
    const own = fitWindows(w, { meanCorrection: 'full', zeroMass: false });
    const shrunk = fitWindows(w, { meanCorrection: 'full', zeroMass: false, meanShrink: 1000 });
    const at = (g: GroupParams) => meanAt(g, 10, 2, 5);
    expect(at(own.groups['smooth/quiet'])).toBeCloseTo(20, 6);
    const parent = at(shrunk.groups['smooth']);
    const q = at(shrunk.groups['smooth/quiet']);
    // 400 windows against 1000 pseudo-windows: 2 / 7 of the way from the class's mean to the group's own
    expect(q).toBeCloseTo(parent + (400 / 1400) * (20 - parent), 6);
    // the large group keeps most of its own (10): 2000 against 1000 pseudo-windows
    expect(at(own.groups['smooth/active'])).toBeCloseTo(10, 6);
    expect(at(shrunk.groups['smooth/active'])).toBeCloseTo(parent + (2000 / 3000) * (10 - parent), 6);
  });
});
