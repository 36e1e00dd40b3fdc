/** inspectHead, previewDemand and loadDemand: from a file to validated, per-site partitions. */
import type { Frequency, JobConfig, PreviewDto } from '../contract/dto.js';
import type { EngineContext } from './context.js';
import { InputError, partsFileError } from './errors.js';
import type { HeadInfo, PartsSource, Prepared } from './types.js';
import { mapColumns } from './parse/columns.js';
import { isoOfDay } from './parse/dates.js';
import { DEMAND_SHEET, readDemand } from './parse/load.js';
import { openSource, readHeadRows } from './parse/source.js';
import { configMethod, isAuto, selectOptions } from './choose/options.js';
import { calendarOf, readGrouped } from './series/read.js';
import { groupSeries } from './series/group.js';
import { jobPrior, jobSample, type JobSample } from './choose/prior.js';
import { chooseAll } from './choose/choose.js';
import { backtestWindows, fitJobHurdle, sampleOrigins } from './choose/backtest-windows.js';
import { fitInventory } from './inventory/job-fit.js';
import { defaultSettings, matchParts, periodsNeeded, type PlanSettings } from './inventory/settings.js';
import { readPartsFile, type PartsFile } from './parse/parts.js';
import { supersedeDemand, supersessionOf, type Supersession } from './parse/supersession.js';
import { describeSeason, groupSeason } from './series/season.js';
import { matchOverrides, type PlanOverrides } from './inventory/overrides.js';
import { addNotice } from '../contract/vocab.js';

const LIFE_PERIODS: Record<Frequency, number> = { D: 1826, W: 261, M: 60 };

export async function inspectHead(filePath: string, originalName: string): Promise<HeadInfo> {
  const { source } = await openSource(filePath, originalName);
  for await (const rec of readHeadRows(filePath, source, DEMAND_SHEET)) {
    if (rec.every((c) => c.trim() === '')) continue;
    const cols = mapColumns(rec, source.format);
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

export async function previewDemand(
  filePath: string,
  originalName: string,
  opts: { date_format: JobConfig['date_format']; parts?: PartsSource | null },
): Promise<PreviewDto> {
  const raw = await readDemand(filePath, originalName, opts.date_format);
  let file: PartsFile | null = null;
  let sup: Supersession | null = null;
  let parts_file_error: PreviewDto['parts_file_error'] = null;
  if (opts.parts) {
    // a bad parts file is its own result: the demand file's preview stands; but replacements that loop
    // are refused outright (400), as at upload, since no forecast could be made with them
    try {
      file = await readPartsFile(opts.parts.filePath, opts.parts.originalName);
      sup = supersessionOf(file.rows);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const named = partsFileError(opts.parts.originalName, err);
      if (err.code === 'SUPERSESSION_CYCLE' || err.code === 'SUPERSESSION_TOO_LONG') throw named;
      parts_file_error = { filename: opts.parts.originalName, code: named.code, message: named.message };
    }
  }
  // old numbers' demand is the final number's (parse/supersession.ts)
  const merged = sup ? supersedeDemand(raw, sup) : 0;
  const { cal } = calendarOf(raw, null);
  const g = raw.part.length ? groupSeries(raw, cal, null) : null;
  let parts_file: PreviewDto['parts_file'] = null;
  if (opts.parts && file) {
    try {
      const m = matchParts(file, g?.sites ?? [], {}, cal.freq, sup);
      parts_file = {
        filename: opts.parts.originalName,
        rows: file.rows.length,
        covered: m.covered,
        merged,
        warnings: m.warnings,
        notices: m.notices,
      };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const named = partsFileError(opts.parts.originalName, err);
      parts_file_error = { filename: opts.parts.originalName, code: named.code, message: named.message };
    }
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
    parts_file_error,
  };
}

export async function loadDemand(
  filePath: string,
  originalName: string,
  config: JobConfig,
  onProgress?: (fraction: number) => void,
  parts?: PartsSource | null,
  /**
   * plan false: no inventory fit, so the partitions write no plan (the forecast alone, for timing it);
   * overrides: the planners' overrides in force when the job started (issue 24)
   */
  opts: { plan?: boolean; overrides?: PlanOverrides | null } = {},
): Promise<Prepared> {
  // the parts file before any backtest, so that a bad one fails the job at once; its replacements before
  // the demand is grouped, so that an old number's history is its final number's
  const named = (err: unknown) => (err instanceof InputError && parts ? partsFileError(parts.originalName, err) : err);
  let file: PartsFile | null = null;
  let sup: Supersession | null = null;
  if (parts) {
    try {
      file = await readPartsFile(parts.filePath, parts.originalName);
      sup = supersessionOf(file.rows);
    } catch (err) {
      throw named(err);
    }
  }
  const { rows, sites, cal, warnings, notices, fileStart, trainEnd, fcStart, g, merged } = await readGrouped(
    filePath,
    originalName,
    config,
    onProgress,
    sup,
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
  let settings: PlanSettings = defaultSettings(config, cal.freq);
  if (parts && file) {
    let matched;
    try {
      matched = matchParts(file, g.sites, config, cal.freq, sup);
    } catch (err) {
      throw named(err);
    }
    settings = matched.settings;
    warnings.push(...matched.warnings);
    notices.push(...matched.notices);
    notes.push(`Parts file ${parts.originalName}: ${matched.covered} series have their own lead time or stock data.`);
    if (merged)
      notes.push(`Parts file ${parts.originalName}: ${merged} replaced part numbers merged into their new numbers.`);
  }
  if (opts.overrides && Object.keys(opts.overrides.by).length > 0) {
    const m = matchOverrides(opts.overrides, g.sites);
    ctx.overrides = opts.overrides;
    const missing = m.missingParts
      ? `; ${m.missingParts} parts they name are not in this job (e.g. ${m.examples.join(', ')})`
      : '';
    addNotice(
      { warnings, notices },
      {
        code: 'OVERRIDES_APPLIED',
        params: { count: m.applied, missing: m.missingParts },
        ...(m.examples.length ? { examples: m.examples } : {}),
        message: `Planner overrides applied: ${m.applied}${missing}.`,
      },
    );
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
  if (knownMethod(config)) {
    // the one expected demand (inventory/hurdle.ts), with or without a plan: the forecast must not depend on it
    const s = getSample();
    const origins = sampleOrigins(s, chooseAll(s.evs, ctx.selection, h, ctx.prior), h);
    ctx.hurdle = fitJobHurdle(origins, h);
    if (opts.plan !== false) {
      const periods = periodsNeeded(settings, g.sites);
      const windows = backtestWindows(origins, periods, ctx.hurdle);
      const histories = s.hist.map((x) => x.y.subarray(x.fd));
      ctx.inventory = fitInventory(windows.windows(), settings, histories, periods, ctx.hurdle);
      const bt = ctx.inventory.backtest;
      notes.push(
        `Inventory plan fitted on backtest windows of ${s.evs.length} sampled series` +
          (bt.coverage === null
            ? '.'
            : `; out of sample, ${(bt.coverage * 100).toFixed(1)} % of the ${bt.windows} windows at the last backtest origin` +
              ` were covered at ${bt.target * 100} %.`),
      );
    }
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
