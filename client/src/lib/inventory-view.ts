import { PLAN_SORT_COLUMNS, type InventorySummaryDto, type PlanRowDto } from '$contract/inventory.js';
import { formatNumber, formatPercent } from './format.js';
import type { MessageKey } from './i18n/messages.js';
import type { PlanSort } from './inventory.svelte.js';

type Kind = 'text' | 'int' | 'dec' | 'money' | 'pct';
export interface PlanColumn {
  key: keyof PlanRowDto;
  label: MessageKey;
  kind: Kind;
  sort: PlanSort | null;
  /** Hidden under 600 px: the planner's decision columns stay, the inputs behind them go. */
  secondary?: boolean;
}

const sortOf = (k: keyof PlanRowDto): PlanSort | null =>
  (PLAN_SORT_COLUMNS as readonly string[]).includes(k) ? (k as PlanSort) : null;
/** The plan's fields that have words as a column head: a column without them does not compile. */
type Worded = { [K in keyof PlanRowDto]: `inv.col.${K}` extends MessageKey ? K : never }[keyof PlanRowDto];
const col = (key: Worded, kind: Kind, secondary = false): PlanColumn => ({
  key,
  label: `inv.col.${key}` as const,
  kind,
  sort: sortOf(key),
  secondary,
});

/** The table's columns, in reading order: who, the inputs, the decision, then the money. */
export const PLAN_TABLE_COLUMNS: readonly PlanColumn[] = [
  col('partnumber', 'text'),
  col('site_code', 'text'),
  col('demand_class', 'text', true),
  col('lead_time_periods', 'int', true),
  col('service_level', 'pct', true),
  col('ltd_mean', 'dec'),
  col('order_up_to', 'int'),
  col('safety_stock', 'dec', true),
  col('unit_cost', 'money', true),
  col('stock_value', 'money'),
  col('on_hand', 'int', true),
  col('on_order', 'int', true),
  col('suggested_order', 'int'),
];

/** A cell as the planner reads it in the page's locale; blank where the plan has no value (a missing input). */
export function planCell(row: PlanRowDto, c: PlanColumn, locale: string): string {
  const v = row[c.key];
  if (v == null) return '';
  if (typeof v === 'string') return v;
  switch (c.kind) {
    case 'pct':
      return formatPercent(v * 100, locale, 1);
    case 'int':
      return formatNumber(v, locale, 0);
    case 'money':
      return formatNumber(v, locale, 2);
    default:
      return formatNumber(v, locale, 1);
  }
}

export interface DistributionBar {
  /** 'mean' or the quantile's level in percent */
  label: string;
  level: number | null;
  qty: number;
}

/** The part's lead-time demand: the mean, then the quantiles from the median up to 99 %. */
export function distribution(row: PlanRowDto): DistributionBar[] {
  return [
    { label: 'mean', level: null, qty: row.ltd_mean },
    { label: '50', level: 0.5, qty: row.ltd_q50 },
    { label: '80', level: 0.8, qty: row.ltd_q80 },
    { label: '90', level: 0.9, qty: row.ltd_q90 },
    { label: '95', level: 0.95, qty: row.ltd_q95 },
    { label: '99', level: 0.99, qty: row.ltd_q99 },
  ];
}

/** A "nice" axis top (1, 2, 2.5 or 5 × 10ⁿ) at or above `max`, so the gridline labels read cleanly. */
export function niceMax(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

export interface CurvePoint {
  level: number;
  value: number;
  x: number;
  y: number;
}

/** Service-vs-stock points in a w×h box (y grows downwards), service levels spread evenly along x. */
export function curveLayout(curve: InventorySummaryDto['curve'], w: number, h: number) {
  const pts = [...curve].sort((a, b) => a.service_level - b.service_level);
  const top = niceMax(Math.max(0, ...pts.map((p) => p.stock_value)));
  const step = pts.length > 1 ? w / (pts.length - 1) : 0;
  const points: CurvePoint[] = pts.map((p, i) => ({
    level: p.service_level,
    value: p.stock_value,
    x: pts.length > 1 ? i * step : w / 2,
    y: h - (p.stock_value / top) * h,
  }));
  return { top, points };
}
