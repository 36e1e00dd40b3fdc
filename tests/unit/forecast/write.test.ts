import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { dateShape, dayOf, dayFromYmd, isoOfDay } from '../../../server/forecast/parse/dates.js';
import { sniffDelimiter } from '../../../server/forecast/parse/source.js';
import { applyThreshold, csvField, roundQty } from '../../../server/forecast/output/write.js';
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
