/** Output formatting: zero threshold, rounding modes, CSV quoting. */
import type { RoundingMode } from '../../contract/dto.js';
import { csvText } from './cells.js';

/** Columns of the output CSV, in order (forecastPartition writes its lines in this order). */
export const OUTPUT_COLUMNS = [
  'date',
  'partnumber',
  'site_code',
  'forecast_qty',
  'forecast_qty_raw',
  'forecast_qty_raw_model',
  'method',
  'demand_class',
  'forecast_lo',
  'forecast_hi',
] as const;
export type OutputColumn = (typeof OUTPUT_COLUMNS)[number];
/** One output line as read back, by column. */
export type OutputRecord = Record<OutputColumn, string>;

export const OUTPUT_HEADER = OUTPUT_COLUMNS.join(',');

const EPS = 1e-9;

/** Rounds to a whole number; values within 1e-9 of a .5 tie count as ties (binary noise). */
export function roundQty(x: number, mode: RoundingMode): number {
  switch (mode) {
    case 'ceil': {
      const r = Math.round(x);
      return Math.abs(x - r) < EPS ? r : Math.ceil(x);
    }
    case 'floor': {
      const r = Math.round(x);
      return Math.abs(x - r) < EPS ? r : Math.floor(x);
    }
    case 'half_up':
      return Math.floor(x + 0.5 + EPS);
    case 'half_even': {
      const f = Math.floor(x);
      const d = x - f;
      if (Math.abs(d - 0.5) < EPS) return f % 2 === 0 ? f : f + 1;
      return d < 0.5 ? f : f + 1;
    }
  }
}

/** Values below the threshold become 0. */
export function applyThreshold(x: number, threshold: number): number {
  return x < threshold ? 0 : x;
}

/** Number text with at most 4 decimals, no trailing zeros, no "-0". */
export function num(x: number): string {
  const r = Math.round(x * 1e4) / 1e4;
  return r === 0 ? '0' : String(r);
}

/**
 * A text field of the output (part number, site): neutralised against formula injection, then quoted
 * (cells.ts). The output's numbers are written with num() and never pass through here.
 */
export function csvField(s: string): string {
  return csvText(s);
}
