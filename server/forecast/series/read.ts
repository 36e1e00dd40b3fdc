/**
 * From a demand file to the job's series: read the rows, settle the calendar (detected or requested
 * frequency, the forecast start and the training cut-off), pick the requested sites and group. Shared by
 * the run (prepare.ts) and the series index (output/series-index-write.ts), which must group alike.
 */
import type { Frequency, JobConfig } from '../../contract/dto.js';
import { addNotice } from '../../contract/vocab.js';
import type { EngineContext } from '../context.js';
import { dateShape, dayOf, isoOfDay, type DateOrder } from '../parse/dates.js';
import { readDemand, type RawDemand } from '../parse/load.js';
import { readPartsFile } from '../parse/parts.js';
import { supersedeDemand, supersessionOf, type Supersession } from '../parse/supersession.js';
import { InputError, partsFileError } from '../errors.js';
import { groupSeries, type SiteSeries } from './group.js';
import { detectFrequency, periodOfDay, type Calendar } from './periods.js';

const FREQ_NAME: Record<Frequency, string> = { D: 'daily', W: 'weekly', M: 'monthly' };

/** First and last day of the valid rows, and every distinct day between them. */
function dayRange(raw: RawDemand): { minDay: number; maxDay: number; days: number[] } {
  const day = raw.day;
  let minDay = Infinity,
    maxDay = -Infinity;
  for (let i = 0; i < day.length; i++) {
    const d = day[i];
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  const days: number[] = [];
  if (day.length) {
    const seen = new Uint8Array(maxDay - minDay + 1);
    for (let i = 0; i < day.length; i++) seen[day[i] - minDay] = 1;
    for (let k = 0; k < seen.length; k++) if (seen[k]) days.push(minDay + k);
  }
  return { minDay, maxDay, days };
}

export function calendarOf(
  raw: RawDemand,
  override: Frequency | null,
  days = dayRange(raw).days,
): { cal: Calendar; detected: Frequency } {
  const det = detectFrequency(days);
  return { cal: { freq: override ?? det.freq, anchor: det.anchor }, detected: det.freq };
}
export function badDatesError(raw: RawDemand): InputError {
  const is = raw.issues.find((i) => i.code === 'BAD_DATES')!;
  return new InputError(
    'BAD_DATES',
    `${is.message}: ${is.examples.map((e) => `"${e}"`).join(', ')}. Fix these dates or set the date format (auto, DMY, MDY or YMD).`,
  );
}

export function noValidRows(raw: RawDemand): InputError {
  const why = raw.issues.map((i) => `${i.message} (e.g. ${i.examples.join(', ')})`).join('; ');
  return new InputError('NO_VALID_ROWS', `None of the ${raw.rows} data rows is usable${why ? `: ${why}` : ''}.`);
}
/** Resolves requested site codes (exact, else case-insensitive); throws UNKNOWN_SITES listing the available ones. */
function resolveSites(requested: string[], available: string[]): number[] | null {
  if (requested.length === 0) return null;
  const ids: number[] = [];
  const unknown: string[] = [];
  for (const r of requested) {
    const want = r.trim();
    let i = available.indexOf(want);
    if (i < 0) {
      const ci = available.map((a, j) => [a, j] as const).filter(([a]) => a.toLowerCase() === want.toLowerCase());
      if (ci.length === 1) i = ci[0][1];
    }
    if (i < 0) unknown.push(want);
    else if (!ids.includes(i)) ids.push(i);
  }
  if (unknown.length) {
    const avail = [...available].sort();
    throw new InputError(
      'UNKNOWN_SITES',
      `Site code${unknown.length > 1 ? 's' : ''} not in the file: ${unknown.join(', ')}. Sites in the file: ${avail.slice(0, 50).join(', ')}${avail.length > 50 ? `, … (${avail.length} in all)` : ''}.`,
    );
  }
  return ids.sort((a, b) => (available[a] < available[b] ? -1 : 1));
}

/**
 * The job's series exactly as its run grouped them, without the job-level fitting loadDemand adds on
 * top (priors, season, inventory backtests): what the series index needs, at the cost of one read.
 */
export async function groupDemand(
  filePath: string,
  originalName: string,
  config: JobConfig,
  /** the job's parts file: its supersession merges the series as the run did */
  parts?: { filePath: string; originalName: string } | null,
): Promise<{
  sites: SiteSeries[];
  context: Pick<EngineContext, 'freq' | 'anchor' | 'fileStart' | 'trainEnd'>;
  /** how the file's a/b/yyyy dates were read (a later file of the same system reads alike) */
  order: DateOrder;
}> {
  const sup = parts ? await supersessionOfFile(parts) : null;
  const { cal, fileStart, trainEnd, g, order } = await readGrouped(filePath, originalName, config, undefined, sup);
  return { sites: g.sites, context: { freq: cal.freq, anchor: cal.anchor, fileStart, trainEnd }, order };
}

/**
 * Reads and groups the demand. The rows themselves (raw) stay inside: once grouped they are garbage, so the
 * job-level weights that loadDemand learns next do not add to their memory.
 */
export async function readGrouped(
  filePath: string,
  originalName: string,
  config: JobConfig,
  onProgress?: (fraction: number) => void,
  /** the parts file's replacements: old numbers' demand is credited to their final number */
  sup?: Supersession | null,
) {
  const raw = await readDemand(filePath, originalName, config.date_format, onProgress);
  if (raw.badDates.count) throw badDatesError(raw);
  if (raw.part.length === 0) throw noValidRows(raw);
  const merged = sup ? supersedeDemand(raw, sup) : 0;
  const { minDay, maxDay, days } = dayRange(raw);
  const { cal, detected } = calendarOf(raw, config.frequency, days);
  const notes = { warnings: [...raw.warnings], notices: [...raw.notices] };
  const { warnings } = notes;
  if (config.frequency && config.frequency !== detected)
    addNotice(notes, {
      code: 'FREQUENCY_OVERRIDE',
      params: { detected, requested: config.frequency },
      message: `The dates look ${FREQ_NAME[detected]} but ${FREQ_NAME[config.frequency]} was requested: demand is summed per ${FREQ_NAME[config.frequency].replace(/ly$/, '').replace('dai', 'day')}.`,
    });
  const siteIds = resolveSites(config.forecast_site_codes, raw.sites);
  const fileStart = periodOfDay(cal, minDay),
    fileEnd = periodOfDay(cal, maxDay);
  let trainEnd = fileEnd,
    fcStart = fileEnd + 1,
    endDay = Infinity;
  if (config.forecast_start_date) {
    const sd = dayOf(dateShape(config.forecast_start_date), 'YMD');
    if (!Number.isFinite(sd))
      throw new InputError(
        'START_DATE_OUT_OF_RANGE',
        `forecast_start_date "${config.forecast_start_date}" is not a date (YYYY-MM-DD).`,
      );
    const ps = periodOfDay(cal, sd);
    const range = `${isoOfDay(minDay)} to ${isoOfDay(maxDay)}`;
    if (ps <= fileStart)
      throw new InputError(
        'START_DATE_OUT_OF_RANGE',
        `forecast_start_date ${config.forecast_start_date} leaves no history before it: the file's dates run from ${range}.`,
      );
    if (sd - maxDay > 731)
      throw new InputError(
        'START_DATE_OUT_OF_RANGE',
        `forecast_start_date ${config.forecast_start_date} is more than two years after the file's last date (${isoOfDay(maxDay)}).`,
      );
    fcStart = ps;
    if (ps <= fileEnd) {
      trainEnd = ps - 1;
      // keep only the days of periods before the start period
      let d = sd;
      while (periodOfDay(cal, d - 1) >= ps) d--;
      endDay = d;
      addNotice(notes, {
        code: 'TRAIN_CUTOFF',
        params: { from: isoOfDay(endDay), last: isoOfDay(maxDay) },
        message: `Forecasting from ${isoOfDay(endDay)}: only demand before it is used (the file runs to ${isoOfDay(maxDay)}).`,
      });
    }
  }
  const g = groupSeries(raw, cal, siteIds, endDay);
  if (g.duplicates)
    addNotice(notes, {
      code: 'DUPLICATES_SUMMED',
      params: { count: g.duplicates },
      message: `${g.duplicates} rows repeated an earlier (date, part, site) and were summed into it.`,
    });
  const { notices } = notes;
  return {
    rows: raw.rows,
    sites: [...raw.sites].sort(),
    cal,
    warnings,
    notices,
    fileStart,
    trainEnd,
    fcStart,
    g,
    order: raw.order.order,
    merged,
  };
}

/** The supersession of a parts file (null without replacements); its errors name the file. */
export async function supersessionOfFile(parts: { filePath: string; originalName: string }) {
  try {
    return supersessionOf((await readPartsFile(parts.filePath, parts.originalName)).rows);
  } catch (err) {
    throw err instanceof InputError ? partsFileError(parts.originalName, err) : err;
  }
}
