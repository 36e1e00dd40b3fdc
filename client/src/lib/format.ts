/** Formatting helpers; every date is shown in the browser's time zone unless `timeZone` is given (tests). */

export function formatDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(d);
}

export function formatTime(iso: string, locale: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { timeStyle: 'medium', timeZone }).format(d);
}

/** A calendar date (YYYY-MM-DD) as the user reads it, without shifting it across time zones. */
export function formatDay(day: string | null | undefined, locale: string): string {
  if (!day) return '—';
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

const numberFormats = new Map<string, Intl.NumberFormat>();
/** One cached Intl.NumberFormat per locale and options: every number on a page is worded the same way. */
function nf(locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, opts)));
  return f;
}

const unit = (locale: string, u: 'second' | 'minute' | 'hour', v: number, opts: Intl.NumberFormatOptions = {}) =>
  nf(locale, { style: 'unit', unit: u, unitDisplay: 'short', ...opts }).format(v);

/**
 * A duration in the page's language: id "45 dtk · 3 mnt 05 dtk · 1 j 02 mnt", en "45 sec · 3 min 05 sec".
 * `precise`: under 10 s, one decimal (how long a computation took); otherwise whole seconds (a ticking clock).
 */
export function formatDuration(
  ms: number | null | undefined,
  locale: string,
  opts: { precise?: boolean } = {},
): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return '—';
  if (opts.precise && ms < 9_950) return unit(locale, 'second', ms / 1000, { maximumFractionDigits: 1 });
  const s = Math.round(ms / 1000);
  if (s < 60) return unit(locale, 'second', s);
  const m = Math.floor(s / 60);
  const two = { minimumIntegerDigits: 2 };
  if (m < 60) return `${unit(locale, 'minute', m)} ${unit(locale, 'second', s % 60, two)}`;
  return `${unit(locale, 'hour', Math.floor(m / 60))} ${unit(locale, 'minute', m % 60, two)}`;
}

/** Bytes with the page's decimal separator: id "1,5 MB", en "1.5 MB". */
export function formatBytes(n: number | null | undefined, locale: string): string {
  if (n == null || !Number.isFinite(n)) return '—';
  if (n < 1024) return `${formatNumber(n, locale, 0)} B`;
  const [v, u, d] =
    n < 1024 ** 2 ? [n / 1024, 'KB', 1] : n < 1024 ** 3 ? [n / 1024 ** 2, 'MB', 1] : [n / 1024 ** 3, 'GB', 2];
  return `${nf(locale, { minimumFractionDigits: d, maximumFractionDigits: d }).format(v)} ${u}`;
}

export function formatNumber(n: number | null | undefined, locale: string, digits = 2): string {
  if (n == null || !Number.isFinite(n)) return '—';
  return nf(locale, { maximumFractionDigits: digits }).format(n);
}

/**
 * An amount of money (stock value, unit cost): always two decimals, so that a column or a pair of totals
 * lines up ("2.990,60" next to "2.938,64", never "2.990,6"); blank-safe like formatNumber.
 */
export function formatMoney(n: number | null | undefined, locale: string): string {
  if (n == null || !Number.isFinite(n)) return '—';
  return nf(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/** A percentage given as 0–100 (progress, bias), with the locale's decimal separator: id "16,5%", en "16.5%". */
export function formatPercent(pct: number | null | undefined, locale: string, digits = 0): string {
  if (pct == null || !Number.isFinite(pct)) return '—';
  return nf(locale, { style: 'percent', maximumFractionDigits: digits }).format(pct / 100);
}

/** Milliseconds between two ISO times (end defaults to `now`), or null when the start is unknown. */
export function elapsedMs(
  startIso: string | null | undefined,
  endIso: string | null | undefined,
  now: number,
): number | null {
  if (!startIso) return null;
  const start = Date.parse(startIso);
  const end = endIso ? Date.parse(endIso) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, end - start);
}

/**
 * Remaining time by linear extrapolation of progress (0–100) over elapsed time.
 * Null until there is enough progress for the estimate to mean something.
 */
export function etaMs(progress: number, elapsed: number | null): number | null {
  if (elapsed == null || elapsed < 1000 || progress < 2 || progress >= 100) return null;
  return (elapsed * (100 - progress)) / progress;
}

/** Compact date and time for table cells. */
export function formatDateTimeShort(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone }).format(d);
}
