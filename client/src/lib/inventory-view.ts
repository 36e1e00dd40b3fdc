import { PLAN_SORT_COLUMNS, type InventorySummaryDto, type PlanRowDto } from '$contract/inventory.js';
import type { FillPoint, Frequency, HistoryPointDto } from '$contract/dto.js';
import { formatMoney, formatNumber, formatPercent } from './format.js';
import type { MessageKey } from './i18n/messages.js';
import type { Params } from './i18n/translate.js';
import type { PlanSort } from './inventory.svelte.js';

type Kind = 'text' | 'int' | 'dec' | 'money' | 'pct';
/** A column of the plan table: a field of the plan, or the order's value worked out from two of them. */
export type PlanColumnKey = keyof PlanRowDto | 'order_value';
export interface PlanColumn {
  key: PlanColumnKey;
  label: MessageKey;
  kind: Kind;
  sort: PlanSort | null;
  /** Always shown (who the row is about); the others can be switched off in the Columns menu. */
  fixed: boolean;
  /** Shown until the planner says otherwise. */
  shown: boolean;
}

const sortOf = (k: PlanColumnKey): PlanSort | null =>
  (PLAN_SORT_COLUMNS as readonly string[]).includes(k) ? (k as PlanSort) : null;
/** The columns that have words as a column head: a column without them does not compile. */
type Worded = { [K in PlanColumnKey]: `inv.col.${K}` extends MessageKey ? K : never }[PlanColumnKey];
const col = (key: Worded, kind: Kind, o: { fixed?: boolean; hidden?: boolean } = {}): PlanColumn => ({
  key,
  label: `inv.col.${key}` as const,
  kind,
  sort: sortOf(key),
  fixed: o.fixed ?? false,
  shown: !o.hidden,
});

/**
 * The table's columns, in reading order: who, the decision (what to order, its value, the level it fills up
 * to), then the inputs behind it. The default set fits a 1366 px screen; the rest is a tick away.
 */
export const PLAN_TABLE_COLUMNS: readonly PlanColumn[] = [
  col('partnumber', 'text', { fixed: true }),
  col('site_code', 'text', { fixed: true }),
  col('suggested_order', 'int'),
  col('order_value', 'money'),
  col('order_up_to', 'int'),
  col('on_hand', 'int'),
  col('on_order', 'int'),
  col('ltd_mean', 'dec'),
  col('safety_stock', 'dec', { hidden: true }),
  col('service_level', 'pct', { hidden: true }),
  col('lead_time_periods', 'int', { hidden: true }),
  col('demand_class', 'text'),
  col('demand_chance', 'pct', { hidden: true }),
  col('periods_since_demand', 'int', { hidden: true }),
  col('unit_cost', 'money', { hidden: true }),
  col('stock_value', 'money'),
];

/** What the suggested order costs: only where both the order and the unit cost are known. */
export function orderValue(row: PlanRowDto): number | null {
  return row.suggested_order == null || row.unit_cost == null ? null : row.suggested_order * row.unit_cost;
}

/** A column's raw value in a row. */
export function planValue(row: PlanRowDto, key: PlanColumnKey): string | number | null {
  return key === 'order_value' ? orderValue(row) : row[key];
}

/** A cell as the planner reads it in the page's locale; blank where the plan has no value (a missing input). */
export function planCell(row: PlanRowDto, c: PlanColumn, locale: string): string {
  const v = planValue(row, c.key);
  if (v == null) return '';
  if (typeof v === 'string') return v;
  switch (c.kind) {
    case 'pct':
      return formatPercent(v * 100, locale, 1);
    case 'int':
      return formatNumber(v, locale, 0);
    case 'money':
      return formatMoney(v, locale);
    default:
      return formatNumber(v, locale, 1);
  }
}

/** Where the Columns menu's choice is remembered (localStorage). */
export const COLUMNS_STORAGE_KEY = 'sparecast.inv.columns';
/** The columns the planner switched on or off; a column not named keeps its default. */
export type ColumnChoice = Partial<Record<PlanColumnKey, boolean>>;

/** A stored choice read back; anything else that may be there (an older release, a hand edit) is dropped. */
export function parseColumnChoice(raw: string | null | undefined): ColumnChoice {
  let v: unknown;
  try {
    v = JSON.parse(raw ?? '');
  } catch {
    return {};
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: ColumnChoice = {};
  for (const c of PLAN_TABLE_COLUMNS) {
    const on = (v as Record<string, unknown>)[c.key];
    if (!c.fixed && typeof on === 'boolean') out[c.key] = on;
  }
  return out;
}

export const isShown = (c: PlanColumn, choice: ColumnChoice): boolean => c.fixed || (choice[c.key] ?? c.shown);

/** The columns to draw, in the table's order. */
export function shownColumns(choice: ColumnChoice): PlanColumn[] {
  return PLAN_TABLE_COLUMNS.filter((c) => isShown(c, choice));
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

type T = (key: MessageKey, params?: Params) => string;

/** "days", "weeks", "months" (or "periods" when the job's frequency is not known), one or many. */
export function periodUnit(t: T, freq: Frequency | null | undefined, n: number): string {
  const f = freq ?? 'P';
  return t(n === 1 ? (`inv.unit.${f}.one` as const) : (`inv.unit.${f}` as const));
}

/**
 * Why the plan orders what it orders, in one line: "Lead time 3 + review 1 = 4 months; expected demand over
 * them 2.4; at 95 % the level is 6; on hand 1 + on order 0 → order 5" (the engine's own formula:
 * order = max(0, level − on hand − on order), no order without stock on hand).
 */
export function planReason(row: PlanRowDto, t: T, locale: string, freq?: Frequency | null): string {
  const n = (v: number, d = 0) => formatNumber(v, locale, d);
  const p = row.lead_time_periods + row.review_periods;
  const stock =
    row.on_hand == null
      ? t('inv.why.nostock')
      : t(row.suggested_order ? 'inv.why.order' : 'inv.why.enough', {
          oh: n(row.on_hand, 1),
          oo: n(row.on_order ?? 0, 1),
          n: n(row.suggested_order ?? 0),
        });
  return t('inv.why', {
    lt: n(row.lead_time_periods, 1),
    r: n(row.review_periods, 1),
    p: n(p, 1),
    unit: periodUnit(t, freq, p),
    mean: n(row.ltd_mean, 1),
    pct: formatPercent(row.service_level * 100, locale, 1),
    out: n(row.order_up_to),
    stock,
  });
}

/** A chance in percent that never reads as 0 % or 100 % when it is neither: 23 %, 4.2 %, < 0.1 %. */
export function chancePercent(chance: number, locale: string): string {
  const pct = chance * 100;
  if (pct > 0 && pct < 0.05) return `< ${formatPercent(0.1, locale, 1)}`;
  if (pct < 100 && pct > 99.5) return `> ${formatPercent(99.5, locale, 1)}`;
  return formatPercent(pct, locale, pct < 10 ? 1 : 0);
}

/**
 * The hurdle in words: "The model gives a 23 % chance of any demand within the next 3 months (lead time +
 * review); if it comes, it is 6 units on average, so the mean is 1.4. The order-up-to level 6 covers one such
 * demand." The size is the mean over the chance (E[D | D > 0]). Null on a plan written without the chance.
 */
export function chanceReason(row: PlanRowDto, t: T, locale: string, freq?: Frequency | null): string | null {
  const chance = row.demand_chance;
  if (chance == null) return null;
  const p = row.lead_time_periods + row.review_periods;
  const span = { p: formatNumber(p, locale, 1), unit: periodUnit(t, freq, p) };
  if (!(chance > 0) || !(row.ltd_mean > 0)) return t('inv.why.chance.none', span);
  const size = row.ltd_mean / chance;
  const first = t('inv.why.chance', {
    ...span,
    pct: chancePercent(chance, locale),
    size: formatNumber(size, locale, 1),
    mean: formatNumber(row.ltd_mean, locale, 1),
  });
  // how many demands of the usual size the level holds (a hair of rounding counts as whole)
  const n = Math.floor(row.order_up_to / size + 1e-6);
  const out = formatNumber(row.order_up_to, locale, 0);
  const cover =
    n === 0
      ? t('inv.why.cover.less', { out })
      : n === 1
        ? t('inv.why.cover.one', { out })
        : t('inv.why.cover', { out, n: formatNumber(n, locale, 0) });
  return `${first} ${cover}`;
}

/** The last `n` periods with demand (qty > 0) of a (dense, oldest-first) history, newest first. */
export function recentDemands(history: readonly HistoryPointDto[], n = 5): HistoryPointDto[] {
  const out: HistoryPointDto[] = [];
  for (let i = history.length - 1; i >= 0 && out.length < n; i--) if (history[i]!.qty > 0) out.push(history[i]!);
  return out;
}

/** The demand of the last `n` periods of a (dense, oldest-first) history, oldest first. */
export function lastPeriods(history: readonly HistoryPointDto[], n = 12): HistoryPointDto[] {
  return n > 0 ? history.slice(-n) : [];
}

/** The period of the last demand (qty > 0), or null when the history has none. */
export function lastDemand(history: readonly HistoryPointDto[]): string | null {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.qty > 0) return history[i]!.date;
  return null;
}

const periodFormats = new Map<string, Intl.DateTimeFormat>();
const PERIOD_STYLES: Record<'tick' | 'long', Record<Frequency, Intl.DateTimeFormatOptions>> = {
  // under a bar of the strip: as short as it reads
  tick: { D: { day: 'numeric' }, W: { day: 'numeric', month: 'numeric' }, M: { month: 'short' } },
  // in a sentence: the whole period
  long: {
    D: { day: 'numeric', month: 'short', year: 'numeric' },
    W: { day: 'numeric', month: 'short', year: 'numeric' },
    M: { month: 'long', year: 'numeric' },
  },
};
/**
 * A period (a calendar day at 00:00 UTC, as the history gives it) in the page's locale: `tick` "5" (days),
 * "5/3" (weeks), "Mar" (months); `long` "5 Mar 2025" or "March 2025". Unknown frequency: as days.
 */
export function periodName(
  date: string,
  freq: Frequency | null | undefined,
  locale: string,
  style: 'tick' | 'long' = 'long',
): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  const opts = PERIOD_STYLES[style][freq ?? 'D'];
  const key = `${locale}|${style}|${freq ?? 'D'}`;
  let f = periodFormats.get(key);
  if (!f) periodFormats.set(key, (f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' })));
  return f.format(d);
}

/** The fill rate a curve of (stock value, fill rate) points reaches at `value` (linear between its points). */
export function fillAt(points: readonly FillPoint[], value: number): number | null {
  if (points.length === 0 || value < points[0].stock_value - 1e-9) return null;
  for (let j = 1; j < points.length; j++) {
    const a = points[j - 1];
    const b = points[j];
    if (value <= b.stock_value) {
      const w = b.stock_value - a.stock_value;
      return w > 0
        ? a.expected_fill_rate + ((value - a.stock_value) / w) * (b.expected_fill_rate - a.expected_fill_rate)
        : b.expected_fill_rate;
    }
  }
  return Math.abs(value - points[points.length - 1].stock_value) < 1e-9
    ? points[points.length - 1].expected_fill_rate
    : null;
}

/**
 * "For the same money as a uniform 95 %: fill rate 95.8 % instead of 88.3 %": the uniform plan at the job's
 * service level (95 % when the curve has no point there) and the allocation's fill rate at its money.
 */
export function sameMoney(
  s: Pick<InventorySummaryDto, 'uniform' | 'frontier' | 'service_level'>,
): { level: number; uniform: number; better: number } | null {
  const u =
    s.uniform.find((p) => Math.abs(p.service_level - s.service_level) < 1e-9) ??
    s.uniform.find((p) => p.service_level === 0.95);
  if (!u) return null;
  const better = fillAt(s.frontier, u.stock_value);
  return better === null ? null : { level: u.service_level, uniform: u.expected_fill_rate, better };
}

/** The frontier chart's drawing: both curves and the plan's point in a w × h box (fill rate up, money right). */
export function frontierLayout(
  s: Pick<InventorySummaryDto, 'uniform' | 'frontier' | 'plan_point'>,
  w: number,
  h: number,
) {
  const all = [...s.uniform, ...s.frontier, ...(s.plan_point ? [s.plan_point] : [])];
  const right = niceMax(Math.max(0, ...all.map((p) => p.stock_value)));
  const low = Math.max(0, Math.floor(Math.min(1, ...all.map((p) => p.expected_fill_rate)) * 20) / 20);
  const bottom = Math.min(low, 0.95);
  const xy = (p: FillPoint) => ({
    x: right > 0 ? (p.stock_value / right) * w : 0,
    y: h - ((p.expected_fill_rate - bottom) / (1 - bottom)) * h,
  });
  return {
    right,
    bottom,
    uniform: s.uniform.map((p) => ({ ...p, ...xy(p) })),
    frontier: s.frontier.map((p) => ({ ...p, ...xy(p) })),
    plan: s.plan_point ? { ...s.plan_point, ...xy(s.plan_point) } : null,
  };
}

/** "Expected fill rate 96.1 %; expected units short 0.4; service level 97.2 %" (null on plans without them). */
export function rowFill(row: PlanRowDto, t: T, locale: string): string | null {
  if (row.expected_fill_rate == null || row.expected_units_short == null) return null;
  return t('inv.row.fill', {
    pct: formatPercent(row.expected_fill_rate * 100, locale, 1),
    units: formatNumber(row.expected_units_short, locale, 2),
    level: formatPercent(row.service_level * 100, locale, 1),
  });
}
