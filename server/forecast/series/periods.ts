/** Periods of a frequency: integer indices for days (D), weeks (W, anchored on the data's weekday) and months (M). */
import type { Frequency } from '../../contract/dto.js';
import { isoOfDay } from '../parse/dates.js';

export interface Calendar {
  freq: Frequency;
  /** Weekly only: day number (mod 7) the weeks start on, taken from the data. */
  anchor: number;
}

export function periodOfDay(cal: Calendar, day: number): number {
  if (cal.freq === 'D') return day;
  if (cal.freq === 'W') return Math.floor((day - cal.anchor) / 7);
  const t = new Date(day * 86400000);
  return t.getUTCFullYear() * 12 + t.getUTCMonth();
}

/** First day of a period. */
function dayOfPeriod(cal: Calendar, p: number): number {
  if (cal.freq === 'D') return p;
  if (cal.freq === 'W') return p * 7 + cal.anchor;
  return Date.UTC(Math.floor(p / 12), p % 12, 1) / 86400000;
}

export function periodLabel(cal: Calendar, p: number): string {
  return isoOfDay(dayOfPeriod(cal, p));
}

/** Season length used by seasonal naive: a week for daily data, a year otherwise. */
export function seasonLength(freq: Frequency): number {
  return freq === 'D' ? 7 : freq === 'W' ? 52 : 12;
}

/**
 * Frequency from the distinct dates: monthly when every date is the first (or every date the last) day of a
 * month and they are ≥ 28 days apart; weekly when all dates fall on one weekday; daily otherwise.
 */
export function detectFrequency(days: number[]): { freq: Frequency; anchor: number } {
  const ds = [...new Set(days)].sort((a, b) => a - b);
  const anchor = ds.length ? ((ds[0] % 7) + 7) % 7 : 0;
  if (ds.length < 2) return { freq: 'D', anchor };
  const gapsOk = ds.every((d, i) => i === 0 || d - ds[i - 1] >= 28);
  const first = ds.every((d) => new Date(d * 86400000).getUTCDate() === 1);
  const last = ds.every((d) => new Date((d + 1) * 86400000).getUTCDate() === 1);
  if ((first || last) && gapsOk) return { freq: 'M', anchor };
  if (ds.every((d, i) => i === 0 || (d - ds[i - 1]) % 7 === 0)) return { freq: 'W', anchor };
  return { freq: 'D', anchor };
}
