/**
 * What tracking reads: the job's forecast window from its output CSV, and an actuals file through the demand
 * reader (encodings, delimiters, aliases, XLSX), each keyed by (site, part) on the job's calendar.
 */
import type { JobConfig } from '../../contract/dto.js';
import { InputError } from '../errors.js';
import { readText } from '../output/cells.js';
import { readCsvRecords } from '../output/csv-records.js';
import { dateShape, dayOf, isoOfDay, type DateOrder } from '../parse/dates.js';
import { readDemand, type RawDemand } from '../parse/load.js';
import { badDatesError, noValidRows } from '../series/read.js';
import { periodLabel, periodOfDay, type Calendar } from '../series/periods.js';

/** The key of a series in every map of tracking. */
export const keyOf = (site: string, part: string): string => `${site}\u0000${part}`;

export interface ForecastSeries {
  site: string;
  part: string;
  cls: string;
  /** forecast_qty_raw_model per period after the origin (index 0 = origin + 1) */
  model: Float64Array;
}

export interface ForecastWindow {
  series: Map<string, ForecastSeries>;
  /** the forecast's last period */
  last: number;
}

/** The output's forecast_qty_raw_model per series and period after `origin` (the reference scorer's column). */
export async function readForecastWindow(file: string, cal: Calendar, origin: number): Promise<ForecastWindow> {
  const series = new Map<string, ForecastSeries>();
  // values per series as they come (periods ascending in the file); the window's length is known at the end
  const values = new Map<string, number[]>();
  let col: Record<'date' | 'part' | 'site' | 'model' | 'cls', number> | null = null;
  let last = origin;
  // the output repeats a few dates for every series: each is read once
  const periodOf = new Map<string, number>();
  for await (const { fields } of readCsvRecords(file)) {
    if (!col) {
      const at = (name: string) => {
        const i = fields.indexOf(name);
        if (i < 0) throw new InputError('MISSING_COLUMNS', `The forecast file has no column "${name}".`);
        return i;
      };
      col = {
        date: at('date'),
        part: at('partnumber'),
        site: at('site_code'),
        model: at('forecast_qty_raw_model'),
        cls: fields.indexOf('demand_class'),
      };
      continue;
    }
    const text = fields[col.date] ?? '';
    let p = periodOf.get(text);
    if (p === undefined) {
      const day = dayOf(dateShape(text), 'YMD');
      p = Number.isFinite(day) ? periodOfDay(cal, day) : -Infinity;
      periodOf.set(text, p);
    }
    if (p <= origin) continue;
    const v = Number(fields[col.model]);
    if (!Number.isFinite(v)) continue;
    const site = readText(fields[col.site] ?? '');
    const part = readText(fields[col.part] ?? '');
    const key = keyOf(site, part);
    let vs = values.get(key);
    if (!vs) {
      values.set(key, (vs = []));
      series.set(key, { site, part, cls: col.cls >= 0 ? (fields[col.cls] ?? '') : '', model: new Float64Array(0) });
    }
    if (p > last) last = p;
    const t = p - origin - 1;
    while (vs.length < t) vs.push(0);
    vs[t] = v;
  }
  const h = last - origin;
  for (const [key, s] of series) {
    s.model = new Float64Array(h);
    s.model.set(values.get(key)!);
  }
  return { series, last };
}

export interface ActualSeries {
  site: string;
  part: string;
  /** demand per period after the origin (index 0 = origin + 1), up to the forecast's last period */
  act: Float64Array;
  total: number;
}

export interface Actuals {
  series: Map<string, ActualSeries>;
  /** the last period after the origin any row is dated in (zero rows count: a dense file says "none sold") */
  last: number;
  ignored: { before_origin: number; after_window: number; other_sites: number };
  warnings: string[];
}

export interface ActualsScope {
  cal: Calendar;
  origin: number;
  /** the forecast's last period: later rows cannot be held against it */
  last: number;
  config: JobConfig;
  /** how the job's history read a/b/yyyy dates (used when the actuals alone cannot tell) */
  historyOrder: DateOrder | null;
  /** the job's sites when it forecast only some (rows of other sites are not counted); null: all */
  sites: ReadonlySet<string> | null;
}

/** Reads an actuals file; throws InputError naming what is wrong or missing. */
export async function readActuals(file: string, name: string, scope: ActualsScope): Promise<Actuals> {
  const { cal, origin, last } = scope;
  let raw: RawDemand = await readDemand(file, name, scope.config.date_format);
  if (raw.order.ambiguous && scope.historyOrder && scope.historyOrder !== raw.order.order)
    raw = await readDemand(file, name, scope.historyOrder);
  if (raw.badDates.count) throw badDatesError(raw);
  if (raw.part.length === 0) throw noValidRows(raw);
  const h = last - origin;
  const series = new Map<string, ActualSeries>();
  const ignored = { before_origin: 0, after_window: 0, other_sites: 0 };
  let seen = origin;
  let minDay = Infinity,
    maxDay = -Infinity;
  for (let i = 0; i < raw.part.length; i++) {
    const d = raw.day[i];
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
    const site = raw.sites[raw.site[i]];
    if (scope.sites && !scope.sites.has(site)) {
      ignored.other_sites++;
      continue;
    }
    const p = periodOfDay(cal, d);
    if (p <= origin) {
      ignored.before_origin++;
      continue;
    }
    if (p > last) {
      ignored.after_window++;
      continue;
    }
    if (p > seen) seen = p;
    const part = raw.parts[raw.part[i]];
    const key = keyOf(site, part);
    let s = series.get(key);
    if (!s) series.set(key, (s = { site, part, act: new Float64Array(h), total: 0 }));
    s.act[p - origin - 1] += raw.qty[i];
    s.total += raw.qty[i];
  }
  if (seen === origin)
    throw new InputError(
      'NO_ACTUALS_AFTER_ORIGIN',
      `The actuals file has no demand dated after this job's history: the history ends in the period of ` +
        `${periodLabel(cal, origin)} and the forecast covers ${periodLabel(cal, origin + 1)} to ${periodLabel(cal, last)}, ` +
        `while the file's dates run from ${isoOfDay(minDay)} to ${isoOfDay(maxDay)}` +
        (ignored.other_sites ? ` (${ignored.other_sites} rows are for sites this job did not forecast)` : '') +
        '.',
    );
  return { series, last: seen, ignored, warnings: raw.warnings };
}
