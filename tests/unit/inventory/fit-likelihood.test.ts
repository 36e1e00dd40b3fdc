/** The fit's inlined likelihood must be exactly the sum of the public pieces it replaced (no plan drift). */
import { describe, expect, it } from 'vitest';
import { logPmf } from '../../../server/forecast/inventory/dist.js';
import { distOf, negLogLik, type GroupParams } from '../../../server/forecast/inventory/fit.js';
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
