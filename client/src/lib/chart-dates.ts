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

/**
 * Room each x tick needs, in CSS px: the widest label of its format plus a gap. uPlot's default (50 px) let
 * monthly labels run together ("Jan 1998Jul 1998…"); uPlot keeps ticks at least this far apart.
 */
export function axisSpace(spanSec: number): number {
  return spanSec > 200 * 86_400 ? 90 : 70;
}

/**
 * The point the legend shows while the pointer is off the chart (uPlot shows "--" then): the first period
 * forecast (its quantity and interval), else the last point. `columns`: x, history, forecast, lo, hi.
 */
export function idleLegendIndex(columns: readonly (readonly (number | null)[])[]): number | null {
  const [xs, history, forecast] = columns;
  if (!xs?.length) return null;
  for (let i = 0; i < xs.length; i++) if (history?.[i] == null && forecast?.[i] != null) return i;
  return xs.length - 1;
}
