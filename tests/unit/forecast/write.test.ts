import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { dateShape, dayOf, dayFromYmd, isoOfDay } from '../../../server/forecast/parse/dates.js';
import { sniffDelimiter } from '../../../server/forecast/parse/source.js';
import { applyThreshold, csvField, roundQty, seriesQuantities } from '../../../server/forecast/output/write.js';
import { readText } from '../../../server/forecast/output/cells.js';

describe('rounding', () => {
  it('modes', () => {
    expect([0.5, 1.5, 2.5, 2.4999, -0].map((x) => roundQty(x, 'half_up'))).toEqual([1, 2, 3, 2, 0]);
    expect([0.5, 1.5, 2.5, 2.6, 3.4].map((x) => roundQty(x, 'half_even'))).toEqual([0, 2, 2, 3, 3]);
    expect([1.01, 2, 0.1 + 0.2 + 0.7].map((x) => roundQty(x, 'ceil'))).toEqual([2, 2, 1]);
    expect([1.99, 2, 0.3 * 3 + 0.1].map((x) => roundQty(x, 'floor'))).toEqual([1, 2, 1]);
    expect(roundQty(1.005 * 1000 - 1004.5, 'half_up')).toBe(1); // 0.4999999999 counts as a tie
    expect(applyThreshold(0.49, 0.5)).toBe(0);
    expect(applyThreshold(0.5, 0.5)).toBe(0.5);
  });
});

/** seriesQuantities over plain arrays: [raw, qty]. */
function quantities(model: number[], threshold: number, mode: Parameters<typeof seriesQuantities>[2]) {
  const raw = new Float64Array(model.length);
  const qty = new Float64Array(model.length);
  seriesQuantities(model, threshold, mode, raw, qty);
  return [Array.from(raw), Array.from(qty)];
}

describe('cumulative rounding (issue 21)', () => {
  it('keeps the volume of a slow mover that rounding each period turns into zeros', () => {
    const slow = Array<number>(30).fill(0.1); // 3 units over 30 days
    expect(quantities(slow, 0.5, 'half_up')[1]!.every((q) => q === 0)).toBe(true);
    const [raw, qty] = quantities(slow, 0.5, 'cumulative');
    expect(raw).toEqual(slow); // the threshold applies to the series' total (3), not to each 0.1
    expect(qty.reduce((a, b) => a + b, 0)).toBe(3);
    // the running total crosses 0.5, 1.5 and 2.5 on days 5, 15 and 25
    expect(qty.flatMap((q, k) => (q ? [k] : []))).toEqual([4, 14, 24]);
    expect(quantities([0.1, 0.1, 0.2], 0.5, 'cumulative')).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]); // 0.4 over the horizon is under the threshold
    expect(quantities([2, 3, 4], 0.5, 'cumulative')[1]).toEqual([2, 3, 4]); // whole numbers stay
  });
  it('whole, non-negative, summing to the rounded total, each period its raw value rounded down or up', () => {
    const mean = fc.oneof(
      fc.constant(0),
      fc.double({ min: 0, max: 3, noNaN: true }),
      fc.double({ min: 0, max: 400, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(mean, { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (model, th) => {
          const [raw, qty] = quantities(model, th, 'cumulative');
          const total = raw.reduce((a, b) => a + b, 0);
          let run = 0;
          let runRaw = 0;
          qty.forEach((q, k) => {
            expect(Number.isInteger(q)).toBe(true);
            expect(q).toBeGreaterThanOrEqual(0);
            expect(q).toBeGreaterThanOrEqual(Math.floor(raw[k]! - 1e-6));
            expect(q).toBeLessThanOrEqual(Math.ceil(raw[k]! + 1e-6));
            run += q;
            runRaw += raw[k]!;
            expect(Math.abs(run - runRaw)).toBeLessThanOrEqual(0.5 + 1e-6); // the running totals stay together
          });
          expect(run).toBe(roundQty(total, 'half_up'));
          // the threshold zeroes a series whose total is under it, and only such a series
          expect(total).toBeCloseTo(model.reduce((a, b) => a + b, 0) < th ? 0 : model.reduce((a, b) => a + b, 0), 6);
        },
      ),
    );
  });
});

describe('properties', () => {
  it('CSV text fields round-trip through a real CSV parser (and readText)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 }), (fields) => {
        const line = fields.map(csvField).join(',');
        const back = parse(line + '\n', { relax_column_count: true })[0] as string[] | undefined;
        if (fields.length === 1 && fields[0] === '') return; // an empty line is no record
        expect(back?.map(readText)).toEqual(fields);
      }),
    );
  });
  it('the delimiter of a generated table is sniffed', () => {
    const cell = fc.stringMatching(/^[A-Za-z0-9 ]{1,8}$/);
    fc.assert(
      fc.property(
        fc.constantFrom(',', ';', '\t', '|'),
        fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (d, rows) => {
          const text = [['qty', 'date', 'part', 'site'], ...rows].map((r) => r.map(csvField).join(d)).join('\n') + '\n';
          expect(sniffDelimiter(text)).toBe(d);
        },
      ),
    );
  });
  it('dates round-trip in every order', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayFromYmd(1990, 1, 1), max: dayFromYmd(2100, 12, 31) }), (day) => {
        const [y, m, d] = isoOfDay(day).split('-').map(Number);
        expect(dayOf(dateShape(isoOfDay(day)), 'MDY')).toBe(day);
        expect(dayOf(dateShape(`${m}/${d}/${y}`), 'MDY')).toBe(day);
        expect(dayOf(dateShape(`${d}.${m}.${y}`), 'DMY')).toBe(day);
        if (d > 12) expect(Number.isNaN(dayOf(dateShape(`${d}/${m}/${y}`), 'MDY'))).toBe(true);
      }),
    );
  });
});
