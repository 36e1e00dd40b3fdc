/**
 * Protection interval helpers: lead times in days to periods, and the point forecast summed over P periods
 * (P may be longer than the forecast horizon).
 */

export type Freq = 'D' | 'W' | 'M';

/** Days per period; a month is the mean Gregorian month, so 12 months are a year. */
const DAYS: Record<Freq, number> = { D: 1, W: 7, M: 365.2425 / 12 };

/**
 * Lead time in days to whole periods of the frequency, rounding up: stock must last until the
 * replenishment arrives, so a part that needs 8 days needs 2 weeks of cover. The 1e-9 keeps an exact
 * multiple (14 days, 2 weeks) from becoming 3 through floating point.
 */
export function daysToPeriods(days: number, freq: Freq): number {
  if (!(days >= 0) || !Number.isFinite(days))
    throw new RangeError(`lead time must be a non-negative number of days, got ${days}`);
  return Math.max(0, Math.ceil(days / DAYS[freq] - 1e-9));
}

/** P = L + R in periods; both non-negative integers. */
export function protectionPeriods(leadTimePeriods: number, reviewPeriods: number): number {
  for (const [name, v] of [
    ['lead time', leadTimePeriods],
    ['review period', reviewPeriods],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`${name} must be a non-negative integer of periods, got ${v}`);
  }
  return leadTimePeriods + reviewPeriods;
}

/**
 * Sum of the per-period forecast over the first P periods. Past the horizon the forecast continues at its
 * mean over the whole horizon: the engine's intermittent-demand forecasts are flat levels, and when a
 * seasonal profile is applied a mean over the horizon (usually a full season or more) averages it out
 * rather than repeating whichever month happens to come last.
 */
export function forecastOverP(forecast: ArrayLike<number>, P: number): number {
  const h = forecast.length;
  let sum = 0;
  let all = 0;
  for (let t = 0; t < h; t++) {
    const v = Math.max(0, forecast[t]);
    all += v;
    if (t < P) sum += v;
  }
  if (P > h && h > 0) sum += ((P - h) * all) / h;
  return sum;
}
