/** Issue 21 item 12b: one money format, two decimals always, in either language. */
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../../client/src/lib/format.js';

describe('formatMoney', () => {
  it('always shows two decimals, with the page’s separators', () => {
    expect(formatMoney(2990.6, 'id-ID')).toBe('2.990,60');
    expect(formatMoney(2938.64, 'id-ID')).toBe('2.938,64');
    expect(formatMoney(12, 'id-ID')).toBe('12,00');
    expect(formatMoney(0.005, 'en-US')).toBe('0.01');
    expect(formatMoney(1234567.891, 'en-US')).toBe('1,234,567.89');
    expect(formatMoney(null, 'en-US')).toBe('—');
    expect(formatMoney(Number.NaN, 'id-ID')).toBe('—');
  });
});
