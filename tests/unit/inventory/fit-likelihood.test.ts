/** The fit's inlined likelihood must be exactly the sum of the public pieces it replaced (no plan drift). */
import { describe, expect, it } from 'vitest';
import { logPmf } from '../../../server/forecast/inventory/dist.js';
import { distOf, negLogLik, type GroupParams } from '../../../server/forecast/inventory/fit.js';
import { windowZeros } from '../../../server/forecast/inventory/likelihood.js';
import type { Windows } from '../../../server/forecast/inventory/windows.js';

// windows with a zero demand, a zero mean (point mass), a lumpy size index and a revival-only rate
const w: Windows = {
  mu: Float64Array.from([0.4, 0, 2.5, 0, 7]),
  d: Float64Array.from([0, 0, 3, 1, 40]),
  p: Int32Array.from([3, 3, 5, 5, 30]),
  si: Float64Array.from([1, 1, 4.2, 1, 2]),
  rate: Float64Array.from([0.1, 0, 0.5, 0.2, 0.3]),
  len: Int32Array.from([10, 10, 20, 20, 40]),
  left: Int32Array.from([6, 6, 6, 6, 30]),
  gid: Int32Array.from([0, 0, 0, 0, 0]),
  groups: ['*'],
  size: 5,
};
const idx = [0, 1, 2, 3, 4];
const reference = (g: GroupParams, form: 'size' | 'period') =>
  idx.reduce((s, i) => s - logPmf(w.d[i], distOf(form, g, w, i)), 0);

describe('negLogLik', () => {
  it('equals -Σ logPmf(d, distOf(...)) bit for bit', () => {
    const gs: GroupParams[] = [
      { a: 0.5, c: 0.1, zero: 0, windows: 0 },
      { a: 1.3, c: 0.02, zero: 0.4, windows: 0, b: 0.9, r: 0.2 },
      { a: 1e-4, c: 1e-4, zero: 0.95, windows: 0, b: 1.1 },
    ];
    for (const g of gs)
      for (const form of ['size', 'period'] as const) {
        expect(Object.is(negLogLik(w, idx, g, form), reference(g, form))).toBe(true);
      }
  });

  it('is infinite where a window with demand meets a zero mean, like the mixture', () => {
    const g: GroupParams = { a: 0.5, c: 0.1, zero: 0, windows: 0, b: 1, r: 0 };
    expect(negLogLik(w, [3], g, 'size')).toBe(Infinity);
    expect(-logPmf(w.d[3], distOf('size', g, w, 3))).toBe(Infinity);
  });
});

describe('negLogLik with the windows zeros taken once', () => {
  it('equals the per-window computation bit for bit, with a hurdle chance per window', () => {
    const wp: Windows = { ...w, pi: Float64Array.from([0.3, 1, 0.8, 0.05, 1]) };
    const gs: GroupParams[] = [
      { a: 0.5, c: 0.1, zero: 0, windows: 0 },
      { a: 1.3, c: 0.02, zero: 0.4, windows: 0, e: 0.7 },
    ];
    for (const g of gs) {
      const ref = idx.reduce((s, i) => s - logPmf(wp.d[i], distOf('size', g, wp, i)), 0);
      const zeros = windowZeros(wp, idx, g.zero);
      expect(Object.is(negLogLik(wp, idx, g, 'size', zeros), ref)).toBe(true);
      // reused for another zero: refilled, not stale
      const other = { ...g, zero: g.zero + 0.25 };
      const refOther = idx.reduce((s, i) => s - logPmf(wp.d[i], distOf('size', other, wp, i)), 0);
      expect(Object.is(negLogLik(wp, idx, other, 'size', windowZeros(wp, idx, other.zero, zeros)), refOther)).toBe(
        true,
      );
    }
  });
});
