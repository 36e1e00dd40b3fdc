/**
 * The exceptions worklist of a job, built from its plan rows and its tracking rows (either may be missing):
 * one row per series and code, ranked by money at stake (units × unit cost; units where there is no cost),
 * each with its reason in the request's language. Pure, no Node imports.
 *
 * From the tracking (actuals needed): DEMAND_ABOVE_PLAN, BIAS_DRIFT, NEW_PART, STOPPED_SELLING as the engine
 * flagged them (forecast/tracking/track.ts). From the plan and the stock alone, for series whose stock on hand
 * the parts file gave:
 * - STOCKOUT_RISK: on hand + on order (blank: 0) below ltd_q50, the median demand over lead time + review;
 * - EXCESS: on hand above order_up_to by more than ltd_mean, the mean demand over lead time + review;
 * - DEAD_STOCK: stock on hand and no demand for a year or more before the origin (periods_since_demand ≥ the
 *   periods of a year, or no demand in the history), unless the actuals show demand since.
 */
import type { PlanRowDto } from '../../contract/inventory.js';
import type { Frequency } from '../../contract/schemas.js';
import type { TrackingRow } from '../../contract/tracking.js';
import {
  reasonOf,
  WORKLIST_CODES,
  type Lang,
  type ReasonFigures,
  type WorklistCode,
  type WorklistDto,
  type WorklistQuery,
  type WorklistRow,
} from '../../contract/worklist.js';

const PERIODS_PER_YEAR: Record<Frequency, number> = { D: 365, W: 52, M: 12 };
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const keyOf = (site: string, part: string) => `${site}\u0000${part}`;

export interface WorklistInput {
  plan: readonly PlanRowDto[] | null;
  tracking: { rows: readonly TrackingRow[]; periods: number } | null;
  frequency: Frequency;
  lang: Lang;
}

export interface Worklist {
  rows: WorklistRow[];
  counts: Record<WorklistCode, number>;
  has_actuals: boolean;
  has_stock: boolean;
}

/** Every row of the worklist, ranked (biggest stake first; ties by part, site, code). */
export function buildWorklist({ plan, tracking, frequency, lang }: WorklistInput): Worklist {
  const out: WorklistRow[] = [];
  const planBy = new Map<string, PlanRowDto>();
  for (const p of plan ?? []) planBy.set(keyOf(p.site_code, p.partnumber), p);
  const soldSince = new Set<string>();
  const push = (
    r: { partnumber: string; site_code: string; demand_class: string; unit_cost: number | null },
    code: WorklistCode,
    figures: ReasonFigures,
  ) => {
    const units = r4(Math.max(0, figures.units));
    const value = r.unit_cost === null ? null : r4(units * r.unit_cost);
    out.push({
      partnumber: r.partnumber,
      site_code: r.site_code,
      demand_class: r.demand_class,
      code,
      units,
      unit_cost: r.unit_cost,
      value,
      stake: value ?? units,
      reason: reasonOf(lang, code, { ...figures, units }),
    });
  };

  for (const t of tracking?.rows ?? []) {
    const p = planBy.get(keyOf(t.site_code, t.partnumber));
    if (t.actual_total > 0) soldSince.add(keyOf(t.site_code, t.partnumber));
    const base = { periods: tracking!.periods, forecast: t.forecast_total, actual: t.actual_total };
    const row = { ...t, unit_cost: t.unit_cost ?? p?.unit_cost ?? null };
    for (const code of t.exceptions) {
      if (code === 'DEMAND_ABOVE_PLAN')
        push(row, code, {
          ...base,
          units: t.actual_over_p! - t.order_up_to!,
          protection_periods: t.protection_periods!,
          actual_over_p: t.actual_over_p!,
          order_up_to: t.order_up_to!,
        });
      else if (code === 'BIAS_DRIFT')
        push(row, code, { ...base, units: Math.abs(t.error), tracking_signal: t.tracking_signal ?? 0 });
      else if (code === 'NEW_PART') push(row, code, { ...base, units: t.actual_total });
      else push(row, code, { ...base, units: p?.on_hand ?? t.order_up_to ?? t.forecast_total });
    }
  }

  const yearOf = PERIODS_PER_YEAR[frequency];
  let stocked = 0;
  for (const p of plan ?? []) {
    if (p.on_hand === null) continue;
    stocked++;
    const onOrder = p.on_order ?? 0;
    const figures = {
      on_hand: p.on_hand,
      on_order: onOrder,
      ltd_q50: p.ltd_q50,
      ltd_mean: p.ltd_mean,
      order_up_to: p.order_up_to,
    };
    if (p.on_hand + onOrder < p.ltd_q50)
      push(p, 'STOCKOUT_RISK', { ...figures, units: p.ltd_q50 - p.on_hand - onOrder });
    if (p.on_hand > p.order_up_to + p.ltd_mean) push(p, 'EXCESS', { ...figures, units: p.on_hand - p.order_up_to });
    const idle = p.periods_since_demand === null || p.periods_since_demand >= yearOf;
    if (p.on_hand > 0 && idle && !soldSince.has(keyOf(p.site_code, p.partnumber)))
      push(p, 'DEAD_STOCK', { ...figures, units: p.on_hand, periods_since_demand: p.periods_since_demand });
  }

  const counts = Object.fromEntries(WORKLIST_CODES.map((c) => [c, 0])) as Record<WorklistCode, number>;
  for (const r of out) counts[r.code]++;
  const order = new Map(WORKLIST_CODES.map((c, i) => [c, i]));
  out.sort(
    (a, b) =>
      b.stake - a.stake ||
      a.partnumber.localeCompare(b.partnumber) ||
      a.site_code.localeCompare(b.site_code) ||
      order.get(a.code)! - order.get(b.code)!,
  );
  return { rows: out, counts, has_actuals: tracking !== null, has_stock: stocked > 0 };
}

/** The rows that pass the query's filters, in rank order. */
export function filterWorklist(rows: readonly WorklistRow[], q: WorklistQuery): WorklistRow[] {
  const needle = q.q.toLowerCase();
  return rows.filter(
    (r) =>
      (!q.code || r.code === q.code) &&
      (!q.site_code || r.site_code === q.site_code) &&
      (!needle || r.partnumber.toLowerCase().includes(needle) || r.site_code.toLowerCase().includes(needle)),
  );
}

/** One page of the worklist (rank order kept: the list is sorted once when built). */
export function worklistPage(list: Worklist, q: WorklistQuery, lang: Lang): WorklistDto {
  const hit = filterWorklist(list.rows, q);
  const start = (q.page - 1) * q.page_size;
  return {
    state: list.has_actuals || list.has_stock ? 'ready' : 'none',
    has_actuals: list.has_actuals,
    has_stock: list.has_stock,
    lang,
    counts: list.counts,
    total: hit.length,
    page: q.page,
    page_size: q.page_size,
    rows: hit.slice(start, start + q.page_size),
  };
}
