/** One series' plan: its lead-time demand (ltd.ts) turned into the order-up-to level, stock value and order. */
import { shortOf, tailInto } from './allocate.js';
import { calibrationFor } from './calibrate.js';
import { logPmf, quantilesSorted, type LtdDist } from './dist.js';
import type { PooledParams } from './fit.js';
import { planLtd, readLevel } from './ltd.js';
import type { Calibration } from './params.js';
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
  /**
   * orderFor(order_up_to − on_hand − on_order): 0 without a need, else the need raised to the MOQ and rounded
   * up to the order multiple; null without on_hand (a missing on_order counts as none)
   */
  suggestedOrder: number | null;
  /** the order rules (not columns): the least a purchase may be and its pack; null: none */
  moq: number | null;
  orderMultiple: number | null;
  /**
   * the ERP's min: the quantile of demand over the lead time alone (P = L) at the row's service level, never
   * above order_up_to (the ERP's max)
   */
  reorderPoint: number;
  /** suggested_order × unit_cost; null without either */
  orderValue: number | null;
  /** the old numbers merged into this one (supersession), `;`-separated; '' for none */
  replaces: string;
  /**
   * The expected units short at order_up_to (allocate.ts SHORT_SCALE × E[(D - order_up_to)+] under the honest
   * tail, at most E[D]), and 1 - it / E[D] (1 without demand)
   */
  expectedShort: number;
  expectedFill: number;
  /** E[D] under the honest tail (not a column: the totals' denominator) */
  expectedDemand: number;
  /**
   * P(D > 0) over the protection interval under the plan's distribution: the hurdle's chance that the part
   * recurs within P, less the chance that it recurs with nothing the NB draws (0 without demand ever)
   */
  chance: number;
  /** periods from the last demand to the origin (0: demand in the last period); null: no demand ever */
  since: number | null;
  /** a planner's overrides of this row (inventory/overrides.ts): what the system planned, and which, and why */
  override?: RowOverride;
}

/** What an overridden row keeps of the system's plan beside the final one. */
export interface RowOverride {
  systemMean: number;
  systemOrderUpTo: number;
  /** the kinds applied, joined by '+' in a fixed order */
  kinds: string;
  /** their reasons, in the same order, joined by ' | ' */
  reason: string;
}

/** A series' plan row with what the allocation needs: its distribution and the group's level map. */
export interface PlannedSeries {
  row: PlanRow;
  dist: LtdDist;
  cal: Calibration | null;
  /** the distribution of demand over the lead time alone, for the reorder point at another level */
  lead: LtdDist;
}

/**
 * What to buy for a need (order-up-to − on hand − on order): nothing when it is ≤ 0, else the need raised to
 * the MOQ and rounded up to the order multiple (null or 0: no rule).
 */
export function orderFor(need: number, moq: number | null, multiple: number | null): number {
  if (!(need > 0)) return 0;
  const q = Math.max(need, moq ?? 0);
  return multiple && multiple > 0 ? Math.ceil(q / multiple) * multiple : q;
}

/** The row's suggested order and its value from its level, stock and order rules (null without on hand). */
export function setOrder(r: PlanRow, received = 0): void {
  r.suggestedOrder =
    r.onHand === null ? null : orderFor(r.orderUpTo - r.onHand - (r.onOrder ?? 0) - received, r.moq, r.orderMultiple);
  r.orderValue = r.suggestedOrder === null || r.unitCost === null ? null : r.suggestedOrder * r.unitCost;
}

const ONE = new Float64Array(1);
const AT = new Float64Array(1);

/** The reorder point at service level tau from the lead-time distribution, never above order_up_to. */
export function setReorderPoint(r: PlanRow, lead: LtdDist, cal: Calibration | null, tau: number): void {
  if (lead.nbMean <= 0 || lead.zero >= 1) {
    r.reorderPoint = 0;
    return;
  }
  AT[0] = readLevel(cal, tau);
  quantilesSorted(lead, AT, ONE);
  r.reorderPoint = Math.min(ONE[0], r.orderUpTo);
}

const TAIL = { a: new Float64Array(256) };
/** Between the old numbers of the replaces column (a CSV comma would need quotes in every such cell). */
export const REPLACES_SEP = ';';

/** The row of the service-level plan, its expected units short and fill rate included. */
export function planRow(
  key: { partnumber: string; site: string; demandClass: string },
  history: ArrayLike<number>,
  forecast: ArrayLike<number> | null,
  s: SeriesSettings,
  pooled: PooledParams,
): PlanRow {
  const p = planSeries(key, history, forecast, s, pooled);
  const n = tailInto(p.dist, p.cal, p.row.orderUpTo + 1, TAIL);
  const { short, mean } = shortOf(TAIL.a, n, p.row.orderUpTo);
  setExpected(p.row, short, mean);
  return p.row;
}

export function setExpected(r: PlanRow, short: number, mean: number): void {
  r.expectedShort = Math.min(short, mean);
  r.expectedDemand = mean;
  r.expectedFill = mean > 0 ? Math.min(1, Math.max(0, 1 - short / mean)) : 1;
}

/** Re-states a row at order-up-to level S and service level tau (an allocation's choice). */
export function setOrderUpTo(r: PlanRow, S: number, tau: number): void {
  r.orderUpTo = S;
  r.target = tau;
  r.safetyStock = S - r.mean;
  r.stockValue = r.unitCost === null ? null : S * r.unitCost;
  // the ERP's min never above its max (a fixed or lowered level takes the reorder point down with it)
  r.reorderPoint = Math.min(r.reorderPoint, S);
  setOrder(r);
}

/** The service-level plan's row (expectations still 0), its distribution and level map. */
export function planSeries(
  key: { partnumber: string; site: string; demandClass: string },
  history: ArrayLike<number>,
  forecast: ArrayLike<number> | null,
  s: SeriesSettings,
  pooled: PooledParams,
  /** exactMean: the forecast is a planner's override (ltd.ts) */
  opts: { exactMean?: boolean } = {},
): PlannedSeries {
  const P = protectionPeriods(s.L, s.R);
  const exactMean = opts.exactMean;
  const p = planLtd({ history, forecast, P, target: s.target, exactMean }, pooled);
  // the lead time alone: the same machinery at P = L (the plan's own when there is no review period)
  const lead = P === s.L ? p : planLtd({ history, forecast, P: s.L, target: s.target, exactMean }, pooled);
  const row: PlanRow = {
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
    suggestedOrder: null,
    moq: s.moq ?? null,
    orderMultiple: s.orderMultiple ?? null,
    reorderPoint: Math.min(lead.orderUpTo, p.orderUpTo),
    orderValue: null,
    replaces: s.replaces?.join(REPLACES_SEP) ?? '',
    expectedShort: 0,
    expectedFill: 1,
    expectedDemand: 0,
    chance: p.mean > 0 ? -Math.expm1(logPmf(0, p.dist)) : 0,
    since: sinceLastDemand(history),
  };
  setOrder(row);
  return { row, dist: p.dist, cal: p.mean > 0 ? calibrationFor(pooled, p.group) : null, lead: lead.dist };
}

/** Periods since the last non-zero period of a history (0: the last one); null when it has none. */
export function sinceLastDemand(history: ArrayLike<number>): number | null {
  for (let t = history.length - 1; t >= 0; t--) if (history[t] !== 0) return history.length - 1 - t;
  return null;
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
  /** Σ expected units short and Σ E[D] (the expected fill rate is 1 - short / demand) */
  short: number;
  demand: number;
}

export const newTotals = (): PlanTotals => ({
  series: 0,
  stockValue: 0,
  costed: 0,
  toOrder: 0,
  units: 0,
  short: 0,
  demand: 0,
});

export function addToTotals(t: PlanTotals, r: PlanRow): void {
  t.series++;
  t.short += r.expectedShort;
  t.demand += r.expectedDemand;
  if (r.stockValue !== null) {
    t.stockValue += r.stockValue;
    t.costed++;
  }
  if (r.suggestedOrder) {
    t.toOrder++;
    t.units += r.suggestedOrder;
  }
}
