/** One series' plan: its lead-time demand (ltd.ts) turned into the order-up-to level, stock value and order. */
import type { PooledParams } from './fit.js';
import { planLtd } from './ltd.js';
import { protectionPeriods } from './periods.js';
import type { SeriesSettings } from './settings.js';

export interface PlanRow {
  partnumber: string;
  site: string;
  demandClass: string;
  L: number;
  R: number;
  target: number;
  mean: number;
  /** integer quantiles at PLAN_LEVELS (0.5, 0.8, 0.9, 0.95, 0.99) */
  q: number[];
  orderUpTo: number;
  safetyStock: number;
  unitCost: number | null;
  /** order_up_to × unit_cost; null without a cost */
  stockValue: number | null;
  onHand: number | null;
  onOrder: number | null;
  /** max(0, order_up_to − on_hand − on_order); null without on_hand (a missing on_order counts as none) */
  suggestedOrder: number | null;
}

export function planRow(
  key: { partnumber: string; site: string; demandClass: string },
  history: ArrayLike<number>,
  forecast: ArrayLike<number> | null,
  s: SeriesSettings,
  pooled: PooledParams,
): PlanRow {
  const P = protectionPeriods(s.L, s.R);
  const p = planLtd({ history, forecast, P, target: s.target }, pooled);
  const suggested = s.onHand === null ? null : Math.max(0, p.orderUpTo - s.onHand - (s.onOrder ?? 0));
  return {
    ...key,
    L: s.L,
    R: s.R,
    target: s.target,
    mean: p.mean,
    q: p.q,
    orderUpTo: p.orderUpTo,
    safetyStock: p.orderUpTo - p.mean,
    unitCost: s.unitCost,
    stockValue: s.unitCost === null ? null : p.orderUpTo * s.unitCost,
    onHand: s.onHand,
    onOrder: s.onOrder,
    suggestedOrder: suggested,
  };
}

/** A task's plan totals, summed per site and over the job by combineMetrics. */
export interface PlanTotals {
  series: number;
  /** Σ stock_value over the series with a unit cost */
  stockValue: number;
  costed: number;
  /** series with suggested_order > 0, and the units they order */
  toOrder: number;
  units: number;
}

export const newTotals = (): PlanTotals => ({ series: 0, stockValue: 0, costed: 0, toOrder: 0, units: 0 });

export function addToTotals(t: PlanTotals, r: PlanRow): void {
  t.series++;
  if (r.stockValue !== null) {
    t.stockValue += r.stockValue;
    t.costed++;
  }
  if (r.suggestedOrder) {
    t.toOrder++;
    t.units += r.suggestedOrder;
  }
}
