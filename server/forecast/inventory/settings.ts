/**
 * Per-series plan settings: the parts file's rows matched to the job's series (part + site, else the part's
 * row with a blank site, else the job's defaults), lead times in periods of the job's frequency.
 */
import { INVENTORY_DEFAULTS } from '../../contract/defaults.js';
import type { JobConfig } from '../../contract/dto.js';

/** The job config's inventory fields (unset: INVENTORY_DEFAULTS); a preview passes none. */
export type InventoryConfig = Pick<JobConfig, 'lead_time_days' | 'review_periods' | 'service_level'>;
import { addNotice, type Notice } from '../../contract/vocab.js';
import { InputError } from '../errors.js';
import type { PartRow, PartsFile } from '../parse/parts.js';
import type { Supersession } from '../parse/supersession.js';
import type { SiteSeries } from '../series/group.js';
import { daysToPeriods, type Freq } from './periods.js';

/** One parts-file row in the job's periods; absent fields fall back to the next row or the default. */
export interface PartSettings {
  L?: number;
  R?: number;
  target?: number;
  /** the part's minimum service level: a floor in the budget and fill-rate modes */
  minTarget?: number;
  unitCost?: number;
  onHand?: number;
  onOrder?: number;
  moq?: number;
  orderMultiple?: number;
  /** the old numbers merged into this one at this site (supersession; on a part-and-site entry only) */
  replaces?: string[];
}

/** What a series is planned with. */
export interface SeriesSettings {
  L: number;
  R: number;
  target: number;
  /** the parts file's own service level for it (a floor when a budget is allocated); null: none */
  ownTarget?: number | null;
  /** the parts file's minimum service level for it (a floor next to ownTarget); null: none */
  ownMin?: number | null;
  unitCost: number | null;
  onHand: number | null;
  onOrder: number | null;
  /** the order rules (plan-row.ts orderFor): the least a purchase may be and its pack; null: none */
  moq?: number | null;
  orderMultiple?: number | null;
  /** the old numbers whose demand and stock this series holds (supersession); null: none */
  replaces?: string[] | null;
}

export interface PlanSettings {
  defaults: { L: number; R: number; target: number };
  /** by `${part}\u0001${site}`, and `${part}\u0001` for a row that holds for every site */
  parts: Record<string, PartSettings>;
}

export interface MatchedParts {
  settings: PlanSettings;
  /** series of the job the parts file has a row for */
  covered: number;
  warnings: string[];
  /** the warnings as codes and values (contract/vocab.ts) */
  notices: Notice[];
}

const SEP = '\u0001';

export function defaultSettings(config: InventoryConfig, freq: Freq): PlanSettings {
  return {
    defaults: {
      L: daysToPeriods(config.lead_time_days ?? INVENTORY_DEFAULTS.lead_time_days, freq),
      R: config.review_periods ?? INVENTORY_DEFAULTS.review_periods,
      target: config.service_level ?? INVENTORY_DEFAULTS.service_level,
    },
    parts: {},
  };
}

function toSettings(r: PartRow, freq: Freq): PartSettings {
  const L = r.leadPeriods ?? (r.leadDays === undefined ? undefined : daysToPeriods(r.leadDays, freq));
  return {
    L,
    R: r.reviewPeriods,
    target: r.serviceLevel,
    minTarget: r.minServiceLevel,
    unitCost: r.unitCost,
    onHand: r.onHand,
    onOrder: r.onOrder,
    moq: r.moq,
    orderMultiple: r.orderMultiple,
  };
}

/**
 * Matches the parts file to the job's series. Rows for parts (or part + site) that the job does not forecast
 * are counted and reported; when no row matches any series the file is rejected (NO_VALID_ROWS), since a
 * plan that ignores the whole file would look like it used it.
 */
export function matchParts(
  file: PartsFile,
  series: readonly SiteSeries[],
  config: InventoryConfig,
  freq: Freq,
  /** the file's replacements: an old number's row is not unknown, its stock counts toward its final number */
  sup: Supersession | null = null,
): MatchedParts {
  const settings = defaultSettings(config, freq);
  const sitesOf = new Map<string, Set<string>>();
  for (const s of series)
    for (const p of s.parts) {
      let set = sitesOf.get(p);
      if (!set) sitesOf.set(p, (set = new Set()));
      set.add(s.site);
    }
  const unknown: string[] = [];
  let unknownN = 0;
  for (const r of file.rows) {
    const sites = sitesOf.get(r.partnumber);
    if (sup?.replaced.has(r.partnumber) && (r.site === null || sup.finalOf(r.partnumber, r.site) !== r.partnumber)) {
      // an old number: its stock goes to its final number below (and its own series, where it has one)
      if (sites && (r.site === null || sites.has(r.site)))
        settings.parts[`${r.partnumber}${SEP}${r.site ?? ''}`] = toSettings(r, freq);
      continue;
    }
    if (!sites || (r.site !== null && !sites.has(r.site))) {
      unknownN++;
      if (unknown.length < 5) unknown.push(r.site ? `${r.partnumber} @ ${r.site}` : r.partnumber);
      continue;
    }
    settings.parts[`${r.partnumber}${SEP}${r.site ?? ''}`] = toSettings(r, freq);
  }
  if (unknownN === file.rows.length) {
    throw new InputError(
      'NO_VALID_ROWS',
      `None of the ${file.rows.length} rows of the parts file names a part (and site) of the demand file being ` +
        `forecast (e.g. ${unknown.map((u) => `"${u}"`).join(', ')}). Check the part numbers and site codes.`,
    );
  }
  if (sup) mergeStock(settings, file.rows, series, sup, freq);
  let covered = 0;
  for (const s of series)
    for (const p of s.parts) if (settings.parts[`${p}${SEP}${s.site}`] || settings.parts[`${p}${SEP}`]) covered++;
  const notes = { warnings: [...file.warnings], notices: [...file.notices] };
  if (unknownN)
    addNotice(notes, {
      code: 'PARTS_UNKNOWN',
      params: { count: unknownN },
      examples: unknown,
      message: `Parts file: ${unknownN} rows name a part or site that is not forecast and were not used (e.g. ${unknown.join(', ')}).`,
    });
  const total = series.reduce((t, s) => t + s.parts.length, 0);
  if (covered < total)
    addNotice(notes, {
      code: 'PARTS_UNCOVERED',
      params: { covered, total },
      message: `Parts file covers ${covered} of ${total} series; the others are planned with the job's defaults.`,
    });
  return { settings, covered, ...notes };
}

/**
 * Each final number's position at a site takes the stock on hand and on order of the old numbers it
 * replaces there (each field from their row for that site, else their blank-site row); its entry lists them.
 */
function mergeStock(
  settings: PlanSettings,
  rows: readonly PartRow[],
  series: readonly SiteSeries[],
  sup: Supersession,
  freq: Freq,
): void {
  const rowOf = new Map<string, PartRow>();
  for (const r of rows) rowOf.set(`${r.partnumber}${SEP}${r.site ?? ''}`, r);
  for (const s of series) {
    const has = new Set(s.parts);
    const olds = new Map<string, string[]>();
    for (const old of sup.replaced) {
      const final = sup.finalOf(old, s.site);
      if (final === old || !has.has(final)) continue;
      let list = olds.get(final);
      if (!list) olds.set(final, (list = []));
      list.push(old);
    }
    for (const [final, list] of olds) {
      list.sort();
      const own = rowOf.get(`${final}${SEP}${s.site}`);
      const all = rowOf.get(`${final}${SEP}`);
      let onHand = own?.onHand ?? all?.onHand;
      let onOrder = own?.onOrder ?? all?.onOrder;
      for (const old of list) {
        // field by field, as settingsFor: the site's row, else the part's row for every site
        const a = rowOf.get(`${old}${SEP}${s.site}`);
        const b = rowOf.get(`${old}${SEP}`);
        const hand = a?.onHand ?? b?.onHand;
        const order = a?.onOrder ?? b?.onOrder;
        if (hand !== undefined) onHand = (onHand ?? 0) + hand;
        if (order !== undefined) onOrder = (onOrder ?? 0) + order;
      }
      const key = `${final}${SEP}${s.site}`;
      const entry: PartSettings = own ? toSettings(own, freq) : {};
      if (onHand !== undefined) entry.onHand = onHand;
      if (onOrder !== undefined) entry.onOrder = onOrder;
      entry.replaces = list;
      settings.parts[key] = entry;
    }
  }
}

/** The settings of one series: each field from its site's row, else the part's row, else the default. */
export function settingsFor(s: PlanSettings, part: string, site: string): SeriesSettings {
  const a = s.parts[`${part}${SEP}${site}`];
  const b = s.parts[`${part}${SEP}`];
  const d = s.defaults;
  return {
    L: a?.L ?? b?.L ?? d.L,
    R: a?.R ?? b?.R ?? d.R,
    target: a?.target ?? b?.target ?? d.target,
    ownTarget: a?.target ?? b?.target ?? null,
    ownMin: a?.minTarget ?? b?.minTarget ?? null,
    unitCost: a?.unitCost ?? b?.unitCost ?? null,
    onHand: a?.onHand ?? b?.onHand ?? null,
    onOrder: a?.onOrder ?? b?.onOrder ?? null,
    moq: a?.moq ?? b?.moq ?? null,
    orderMultiple: a?.orderMultiple ?? b?.orderMultiple ?? null,
    replaces: a?.replaces ?? null,
  };
}

/** The distinct protection intervals P = L + R the plan needs (the fit's windows are cut to these). */
export function periodsNeeded(s: PlanSettings, series: readonly SiteSeries[]): number[] {
  const out = new Set<number>();
  for (const x of series)
    for (const p of x.parts) {
      const st = settingsFor(s, p, x.site);
      out.add(st.L + st.R);
    }
  return [...out].filter((p) => p > 0).sort((a, b) => a - b);
}
