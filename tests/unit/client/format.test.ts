/**
 * Issue 13 item 11: one way of writing numbers per page language. Before, durations were "2 s" in
 * the status and "1,6 dtk" in the metrics, thresholds "0.5" next to errors "0,473".
 */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatNumber, formatPercent } from '../../../client/src/lib/format.js';
import { LOCALES } from '../../../client/src/lib/i18n/translate.js';

const ID = LOCALES.id;
const EN = LOCALES.en;

describe('format: one formatter per locale', () => {
  it('durations use the language’s unit words and decimal separator everywhere', () => {
    expect(formatDuration(2_000, ID)).toBe('2 dtk');
    expect(formatDuration(1_630, ID, { precise: true })).toBe('1,6 dtk');
    expect(formatDuration(185_000, ID)).toBe('3 mnt 05 dtk');
    expect(formatDuration(3_720_000, ID)).toBe('1 j 02 mnt');
    expect(formatDuration(2_000, EN)).toBe('2 secs');
    expect(formatDuration(1_630, EN, { precise: true })).toBe('1.6 secs');
    // precise only matters for short computations; a minute reads the same either way
    expect(formatDuration(65_000, ID, { precise: true })).toBe('1 mnt 05 dtk');
  });

  it('numbers, sizes and percentages follow the locale', () => {
    expect(formatNumber(0.5, ID, 3)).toBe('0,5');
    expect(formatNumber(0.4731, ID, 3)).toBe('0,473');
    expect(formatNumber(0.4731, EN, 3)).toBe('0.473');
    expect(formatNumber(12_419, ID)).toBe('12.419');
    expect(formatBytes(1.5 * 1024 ** 2, ID)).toBe('1,5 MB');
    expect(formatBytes(1.5 * 1024 ** 2, EN)).toBe('1.5 MB');
    expect(formatPercent(16, ID)).toBe('16%');
    expect(formatPercent(-12.34, ID, 1)).toBe('-12,3%');
    expect(formatPercent(-12.34, EN, 1)).toBe('-12.3%');
    expect(formatPercent(null, EN)).toBe('—');
  });
});
