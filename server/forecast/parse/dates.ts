/** Date text → day number (days since 1970-01-01, UTC), with DMY / MDY / YMD orders. */
export type DateOrder = 'DMY' | 'MDY' | 'YMD';

const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const AB = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

export function dayFromYmd(y: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return NaN;
  const t = Date.UTC(y, m - 1, d);
  const dt = new Date(t);
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d ? t / 86400000 : NaN;
}

export function isoOfDay(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

/** Parsed form of a date text before the a/b order is known. */
export type DateShape =
  { kind: 'iso'; day: number } | { kind: 'ab'; a: number; b: number; y: number } | { kind: 'bad' };

export function dateShape(text: string): DateShape {
  const s = text.trim();
  let r = ISO.exec(s) ?? COMPACT.exec(s);
  if (r) {
    const day = dayFromYmd(+r[1], +r[2], +r[3]);
    return Number.isFinite(day) ? { kind: 'iso', day } : { kind: 'bad' };
  }
  r = AB.exec(s);
  if (r) {
    let y = +r[3];
    if (r[3].length === 2) y += y < 70 ? 2000 : 1900;
    return { kind: 'ab', a: +r[1], b: +r[2], y };
  }
  return { kind: 'bad' };
}

/** Day number of a shape under an order (YMD accepts only ISO-like dates). NaN when invalid. */
export function dayOf(shape: DateShape, order: DateOrder): number {
  if (shape.kind === 'iso') return shape.day;
  if (shape.kind === 'bad' || order === 'YMD') return NaN;
  return order === 'DMY' ? dayFromYmd(shape.y, shape.b, shape.a) : dayFromYmd(shape.y, shape.a, shape.b);
}

export interface OrderDecision {
  order: DateOrder;
  ambiguous: boolean;
  /** Why, for a warning. */
  reason: string;
}

/**
 * Decides how a/b/yyyy dates are read. A first number > 12 proves DMY, a second > 12 proves MDY; with
 * evidence both ways the majority wins (the others then fail as unreadable). Without evidence: when every
 * date has first number 1 (and the second varies) the dates are read as first-of-month DMY, when every
 * second number is 1 as first-of-month MDY; otherwise MDY (US order, as in the original system's files).
 */
export function decideOrder(shapes: Iterable<DateShape>, requested: 'auto' | DateOrder): OrderDecision {
  let dmy = 0,
    mdy = 0,
    ab = 0,
    allA1 = true,
    allB1 = true;
  const aVals = new Set<number>(),
    bVals = new Set<number>();
  for (const s of shapes) {
    if (s.kind !== 'ab') continue;
    ab++;
    if (s.a > 12 && s.b <= 12) dmy++;
    else if (s.b > 12 && s.a <= 12) mdy++;
    if (s.a !== 1) allA1 = false;
    if (s.b !== 1) allB1 = false;
    aVals.add(s.a);
    bVals.add(s.b);
  }
  if (requested !== 'auto')
    return { order: requested, ambiguous: false, reason: `date_format ${requested} as configured` };
  if (ab === 0) return { order: 'YMD', ambiguous: false, reason: 'all dates are ISO (year first)' };
  if (dmy > 0 || mdy > 0) {
    const order: DateOrder = dmy >= mdy ? 'DMY' : 'MDY';
    return {
      order,
      ambiguous: false,
      reason: `${Math.max(dmy, mdy)} date(s) with a ${order === 'DMY' ? 'day' : 'day'} above 12 prove ${order === 'DMY' ? 'day/month/year' : 'month/day/year'}`,
    };
  }
  if (allA1 && bVals.size > 1)
    return {
      order: 'DMY',
      ambiguous: true,
      reason: 'every date is 1/x/yyyy: read as the first day of month x (day/month/year)',
    };
  if (allB1 && aVals.size > 1)
    return {
      order: 'MDY',
      ambiguous: true,
      reason: 'every date is x/1/yyyy: read as the first day of month x (month/day/year)',
    };
  return {
    order: 'MDY',
    ambiguous: true,
    reason:
      'no day above 12 in any date: assumed month/day/year (US order); set date_format to DMY if the file is day/month/year',
  };
}
