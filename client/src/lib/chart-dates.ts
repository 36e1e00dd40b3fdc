/**
 * Dates on the chart in the page's language. The points are calendar days at 00:00 UTC (daily, weekly and
 * monthly demand has no time of day), so they are worded in UTC and without a clock time: uPlot's own
 * formats are English and show "12:00am".
 */
const formats = new Map<string, Intl.DateTimeFormat>();
function df(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' })));
  return f;
}

/** The legend's date of a point (seconds since 1970 at 00:00 UTC): "5 Jan 2025" / "5 Jan 2025" in id. */
export function chartDay(sec: number | null | undefined, locale: string): string {
  if (sec == null || !Number.isFinite(sec)) return '—';
  return df(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(sec * 1000));
}

/** The x axis' tick labels: day and month over a short span, month and year over a long one. */
export function axisDays(splits: number[], spanSec: number, locale: string): string[] {
  const opts: Intl.DateTimeFormatOptions =
    spanSec > 200 * 86_400 ? { month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short' };
  return splits.map((s) => df(locale, opts).format(new Date(s * 1000)));
}
