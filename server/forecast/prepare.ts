/** inspectHead, previewDemand and loadDemand: from a file to validated, per-site partitions. */
import type { Frequency, JobConfig, PreviewDto } from '../contract/dto.js';
import { addNotice } from '../contract/vocab.js';
import type { EngineContext } from './context.js';
import { InputError } from './errors.js';
import type { HeadInfo, PartsSource, Prepared } from './types.js';
import { mapColumns } from './parse/columns.js';
import { dateShape, dayOf, isoOfDay } from './parse/dates.js';
import { readDemand, type RawDemand } from './parse/load.js';
import { openSource, readHeadRows } from './parse/source.js';
import { configMethod, isAuto, selectOptions } from './partition.js';
import { detectFrequency, periodOfDay, type Calendar } from './series/periods.js';
import { groupSeries, type SiteSeries } from './series/group.js';
import { jobPrior, jobSample, type JobSample } from './choose/prior.js';
import { chooseAll } from './choose/choose.js';
import { backtestWindows } from './choose/backtest-windows.js';
import { fitInventory } from './inventory/job-fit.js';
import { defaultSettings, matchParts, periodsNeeded, type PlanSettings } from './inventory/settings.js';
import { readPartsFile } from './parse/parts.js';
import { describeSeason, groupSeason } from './series/season.js';

const FREQ_NAME: Record<Frequency, string> = { D: 'daily', W: 'weekly', M: 'monthly' };
/** Average life of a spare part in demand, as an obsolescence prior: five years. */
const LIFE_PERIODS: Record<Frequency, number> = { D: 1826, W: 261, M: 60 };

export async function inspectHead(filePath: string, originalName: string): Promise<HeadInfo> {
  const { source } = await openSource(filePath, originalName);
  for await (const rec of readHeadRows(filePath, source)) {
    if (rec.every((c) => c.trim() === '')) continue;
    const cols = mapColumns(rec);
    return {
      format: source.format,
      encoding: source.encoding,
      delimiter: source.delimiter,
      columns: cols.names,
      extraColumns: cols.extra,
    };
  }
  throw new InputError('EMPTY_FILE', 'The file has no header line.');
}

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

function calendarOf(
  raw: RawDemand,
  override: Frequency | null,
  days = dayRange(raw).days,
): { cal: Calendar; detected: Frequency } {
  const det = detectFrequency(days);
  return { cal: { freq: override ?? det.freq, anchor: det.anchor }, detected: det.freq };
}

/** How many distinct ids of `n` occur in ids. */
function distinct(ids: Int32Array, n: number): number {
  const seen = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < ids.length; i++)
    if (!seen[ids[i]]) {
      seen[ids[i]] = 1;
      k++;
    }
  return k;
}

function badDatesError(raw: RawDemand): InputError {
  const is = raw.issues.find((i) => i.code === 'BAD_DATES')!;
  return new InputError(
    'BAD_DATES',
    `${is.message}: ${is.examples.map((e) => `"${e}"`).join(', ')}. Fix these dates or set the date format (auto, DMY, MDY or YMD).`,
  );
}

function noValidRows(raw: RawDemand): InputError {
  const why = raw.issues.map((i) => `${i.message} (e.g. ${i.examples.join(', ')})`).join('; ');
  return new InputError('NO_VALID_ROWS', `None of the ${raw.rows} data rows is usable${why ? `: ${why}` : ''}.`);
}

export async function previewDemand(
  filePath: string,
  originalName: string,
  opts: { date_format: JobConfig['date_format']; parts?: PartsSource | null },
): Promise<PreviewDto> {
  const raw = await readDemand(filePath, originalName, opts.date_format);
  const { cal } = calendarOf(raw, null);
  const g = raw.part.length ? groupSeries(raw, cal, null) : null;
  let parts_file: PreviewDto['parts_file'] = null;
  if (opts.parts) {
    const file = await readPartsFile(opts.parts.filePath, opts.parts.originalName);
    const m = matchParts(file, g?.sites ?? [], {}, cal.freq);
    parts_file = {
      filename: opts.parts.originalName,
      rows: file.rows.length,
      covered: m.covered,
      warnings: m.warnings,
      notices: m.notices,
    };
  }
  const series = g ? g.sites.reduce((s, x) => s + x.parts.length, 0) : 0;
  const siteSeen = new Uint8Array(raw.sites.length);
  for (let i = 0; i < raw.site.length; i++) siteSeen[raw.site[i]] = 1;
  return {
    filename: originalName,
    format: raw.source.format,
    encoding: raw.source.encoding,
    delimiter: raw.source.delimiter,
    columns: raw.columns.names,
    extra_columns: raw.columns.extra,
    rows: raw.rows,
    parts: distinct(raw.part, raw.parts.length),
    series,
    sites: raw.sites.filter((_, s) => siteSeen[s] === 1).sort(),
    date_order: raw.order.order,
    date_order_ambiguous: raw.order.ambiguous,
    first_date: g && Number.isFinite(g.minDay) ? isoOfDay(g.minDay) : null,
    last_date: g && Number.isFinite(g.maxDay) ? isoOfDay(g.maxDay) : null,
    frequency: cal.freq,
    duplicates: g?.duplicates ?? 0,
    issues: raw.issues,
    warnings: raw.warnings,
    parts_file,
  };
}

/** Resolves requested site codes (exact, else case-insensitive); throws UNKNOWN_SITES listing the available ones. */
export function resolveSites(requested: string[], available: string[]): number[] | null {
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
): Promise<{ sites: SiteSeries[]; context: Pick<EngineContext, 'freq' | 'anchor' | 'fileStart' | 'trainEnd'> }> {
  const { cal, fileStart, trainEnd, g } = await readGrouped(filePath, originalName, config);
  return { sites: g.sites, context: { freq: cal.freq, anchor: cal.anchor, fileStart, trainEnd } };
}

/**
 * Reads and groups the demand. The rows themselves (raw) stay inside: once grouped they are garbage, so the
 * job-level weights that loadDemand learns next do not add to their memory.
 */
async function readGrouped(
  filePath: string,
  originalName: string,
  config: JobConfig,
  onProgress?: (fraction: number) => void,
) {
  const raw = await readDemand(filePath, originalName, config.date_format, onProgress);
  if (raw.badDates.count) throw badDatesError(raw);
  if (raw.part.length === 0) throw noValidRows(raw);
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
  return { rows: raw.rows, sites: [...raw.sites].sort(), cal, warnings, notices, fileStart, trainEnd, fcStart, g };
}

export async function loadDemand(
  filePath: string,
  originalName: string,
  config: JobConfig,
  onProgress?: (fraction: number) => void,
  parts?: PartsSource | null,
  /** plan false: no inventory fit, so the partitions write no plan (the forecast alone, for timing it) */
  opts: { plan?: boolean } = {},
): Promise<Prepared> {
  const { rows, sites, cal, warnings, notices, fileStart, trainEnd, fcStart, g } = await readGrouped(
    filePath,
    originalName,
    config,
    onProgress,
  );
  const ctx: EngineContext = {
    freq: cal.freq,
    anchor: cal.anchor,
    fileStart,
    trainEnd,
    fcStart,
    warnings,
    notices,
    seriesStart: 'auto',
    selection: 'stack',
    lifePeriods: LIFE_PERIODS[cal.freq],
  };
  const notes: string[] = [];
  // the parts file before any backtest, so that a bad one fails the job at once
  let settings: PlanSettings = defaultSettings(config, cal.freq);
  if (parts) {
    const matched = matchParts(await readPartsFile(parts.filePath, parts.originalName), g.sites, config, cal.freq);
    settings = matched.settings;
    warnings.push(...matched.warnings);
    notices.push(...matched.notices);
    notes.push(`Parts file ${parts.originalName}: ${matched.covered} series have their own lead time or stock data.`);
  }
  const partitions = g.sites.map((s) => ({ site: s.site, weight: Math.max(1, s.parts.length), data: s }));
  let sample: JobSample | undefined;
  const getSample = () => (sample ??= jobSample(partitions, ctx, config));
  ctx.prior = jobPrior(partitions, ctx, config, getSample);
  const h = selectOptions(ctx, config).h;
  if (isAuto(config)) {
    ctx.season = groupSeason(g.sites, cal.freq, fileStart, trainEnd, h);
    if (ctx.season) notes.push(describeSeason(ctx.season, cal.freq));
  }
  if (opts.plan !== false && knownMethod(config)) {
    const s = getSample();
    const periods = periodsNeeded(settings, g.sites);
    const windows = backtestWindows(s, chooseAll(s.evs, ctx.selection, h, ctx.prior), h, periods);
    const histories = s.hist.map((x) => x.y.subarray(x.fd));
    ctx.inventory = fitInventory(windows.windows(), settings, histories, periods);
    const bt = ctx.inventory.backtest;
    notes.push(
      `Inventory plan fitted on backtest windows of ${s.evs.length} sampled series` +
        (bt.coverage === null
          ? '.'
          : `; out of sample, ${(bt.coverage * 100).toFixed(1)} % of the ${bt.windows} windows at the last backtest origin` +
            ` were covered at ${bt.target * 100} %.`),
    );
  }
  return { rows, frequency: cal.freq, warnings, notes, sites, partitions, context: ctx };
}

/** A known method (an unknown one is reported by forecastPartition, before any plan is made). */
function knownMethod(config: JobConfig): boolean {
  try {
    configMethod(config);
    return true;
  } catch {
    return false;
  }
}
