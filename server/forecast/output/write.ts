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

/** The rounding modes that round each period on its own. */
export type PeriodRounding = Exclude<RoundingMode, 'cumulative'>;

/** Rounds to a whole number; values within 1e-9 of a .5 tie count as ties (binary noise). */
export function roundQty(x: number, mode: PeriodRounding): number {
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

/**
 * One series' written quantities from the model's means (each >= 0): raw[k] (forecast_qty_raw) after the
 * zero threshold and qty[k] (forecast_qty), whole numbers.
 *
 * 'cumulative': the threshold applies to the series' total over the horizon (a series expected to need less
 * than it is 0 throughout; per period it would zero every mean of a slow mover, e.g. all 0.07 a day), and
 * qty[k] = R(C_k) - R(C_{k-1}) with C_k = raw[0] + ... + raw[k] and R rounding half up. As R is
 * non-decreasing and raw >= 0, no quantity is negative; the quantities add up to R(C_{h-1}), within 0.5 of
 * the series' raw total; every running total is within 0.5 of the raw running total, so each qty[k] is
 * raw[k] rounded down or up. Rounding up or down (ceil/floor) instead would move every series' total by up to
 * one unit the same way, which over thousands of slow series is the whole volume again.
 * The other modes: the threshold per period, then each period rounded on its own.
 */
export function seriesQuantities(
  model: ArrayLike<number>,
  threshold: number,
  mode: RoundingMode,
  raw: Float64Array,
  qty: Float64Array,
): void {
  const h = model.length;
  if (mode !== 'cumulative') {
    for (let k = 0; k < h; k++) {
      raw[k] = applyThreshold(model[k], threshold);
      qty[k] = roundQty(raw[k], mode);
    }
    return;
  }
  let total = 0;
  for (let k = 0; k < h; k++) total += model[k];
  const keep = total >= threshold;
  let run = 0;
  let prev = 0;
  for (let k = 0; k < h; k++) {
    raw[k] = keep ? model[k] : 0;
    run += raw[k];
    const r = roundQty(run, 'half_up');
    qty[k] = r - prev;
    prev = r;
  }
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
