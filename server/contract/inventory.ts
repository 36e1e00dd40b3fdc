/**
 * The inventory plan on the wire: one row per (part, site) and the job's totals, for the Inventory view
 * and its downloads. The CSV/XLSX downloads carry the same columns (PLAN_COLUMNS in the engine).
 * No Node imports: the client bundles this file.
 */
import { z } from 'zod';
import type { FillPoint, PlanAllocationMetrics } from './dto.js';
import { jobConfigObject } from './schemas.js';

/** One row of the plan; null where an input (cost, stock on hand) is missing. */
export interface PlanRowDto {
  partnumber: string;
  site_code: string;
  demand_class: string;
  lead_time_periods: number;
  review_periods: number;
  service_level: number;
  ltd_mean: number;
  ltd_q50: number;
  ltd_q80: number;
  ltd_q90: number;
  ltd_q95: number;
  ltd_q99: number;
  order_up_to: number;
  safety_stock: number;
  unit_cost: number | null;
  stock_value: number | null;
  on_hand: number | null;
  on_order: number | null;
  suggested_order: number | null;
  /**
   * 1 − expected_units_short / E[lead-time demand] at order_up_to, and E[(D − order_up_to)+]: the share of
   * demanded units the plan expects to have on the shelf over the protection interval, and the units it
   * expects to be short (plans written before these existed read as blank: null)
   */
  expected_fill_rate: number | null;
  expected_units_short: number | null;
  /**
   * The chance of any demand within the protection interval (lead time + review) under the plan's
   * distribution, 0..1; and the periods from the last demand to the forecast origin (0: demand in the last
   * period; null for a part without demand). Plans written before these existed read as blank: null.
   */
  demand_chance: number | null;
  periods_since_demand: number | null;
  /**
   * The ERP's min: demand over the lead time alone at the row's service level (order_up_to is the max); and
   * suggested_order × unit_cost. Plans written before these existed read as blank: null.
   */
  reorder_point: number | null;
  order_value: number | null;
  /** the old part numbers merged into this one (the parts file's replaced_by), `;`-separated; '' for none */
  replaces: string;
  /**
   * A planner's overrides of the row (issue 24): what the system planned (blank where nothing was overridden),
   * the kinds applied (forecast_per_period, order_up_to, service_level, joined by '+'; '' for none) and their
   * reasons (joined by ' | ').
   */
  system_ltd_mean: number | null;
  system_order_up_to: number | null;
  override_kind: string;
  override_reason: string;
}

/** Columns the table can sort by. */
export const PLAN_SORT_COLUMNS = [
  'partnumber',
  'site_code',
  'demand_class',
  'ltd_mean',
  'order_up_to',
  'safety_stock',
  'stock_value',
  'suggested_order',
] as const;

/** GET /api/jobs/:id/inventory/rows */
export const inventoryRowsQuerySchema = z.object({
  /** part number substring */
  q: z.string().trim().max(100).optional().default(''),
  site_code: z.string().trim().max(200).optional().default(''),
  demand_class: z.string().trim().max(50).optional().default(''),
  /** only rows with suggested_order > 0 */
  to_order: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  sort: z.enum(PLAN_SORT_COLUMNS).default('stock_value'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(50),
});
export type InventoryRowsQuery = z.infer<typeof inventoryRowsQuerySchema>;

export interface InventoryRowsDto {
  total: number;
  page: number;
  page_size: number;
  rows: PlanRowDto[];
}

/** Totals over the whole plan or one site. */
export interface PlanTotalsDto {
  series: number;
  /** series whose suggested_order is > 0, and the units they order (0 when no stock on hand is known) */
  parts_to_order: number;
  units_to_order: number;
  /**
   * series whose stock on hand is known (so whose suggested_order is): with 0, parts_to_order and
   * units_to_order are not known, not zero
   */
  stocked_series: number;
  /** Σ order_up_to × unit_cost over the series with a unit cost */
  stock_value: number;
  /** series with a unit cost: with 0, stock_value is not known, not zero */
  costed_series: number;
  /** the plan's expected unit fill rate over these series; null on a plan made before it was kept */
  expected_fill_rate: number | null;
}

/** GET /api/jobs/:id/inventory/summary */
export interface InventorySummaryDto {
  /** the job's default service target (parts may carry their own) */
  service_level: number;
  overall: PlanTotalsDto;
  by_site: (PlanTotalsDto & { site_code: string })[];
  /** total stock value if every part were stocked to its quantile at these service levels */
  curve: { service_level: 0.8 | 0.9 | 0.95 | 0.99; stock_value: number }[];
  demand_classes: string[];
  /** whether the job had a parts file (else every part used the default lead time, no costs) */
  has_parts_file: boolean;
  /** how the stock was set (service_level on plans made before plan modes) */
  plan_mode: PlanAllocationMetrics['plan_mode'];
  stock_budget: number | null;
  /** budget mode: the budget per site (null: one budget for the job) and the sites it names without series */
  stock_budget_by_site?: Record<string, number> | null;
  unknown_budget_sites?: string[];
  target_fill_rate: number | null;
  /** series without a unit cost, planned at their service level in a budget or fill-rate plan */
  costless_series: number;
  below_floors: boolean;
  target_unreachable: boolean;
  /**
   * Over the series with a unit cost: the plan's point, the allocation's frontier (≥ 20 points, ascending
   * stock value) and one service level for all (80 … 99.5 %); empty / null without costs or on old plans
   */
  plan_point: FillPoint | null;
  frontier: FillPoint[];
  uniform: (FillPoint & { service_level: number })[];
  /**
   * 'pending': a service-level plan's frontier is still being made (plan_point, frontier and uniform are
   * null / empty until then: GET .../inventory/frontier waits for it); 'ready' otherwise (absent: ready)
   */
  frontier_state?: 'ready' | 'pending';
}

/** GET /api/jobs/:id/inventory/frontier: the summary's frontier fields, once made (waits for them). */
export type InventoryFrontierDto = Pick<InventorySummaryDto, 'plan_point' | 'frontier' | 'uniform'>;

/**
 * POST /api/jobs/:id/inventory/plan: the plan made again at other job-wide settings, without the forecast.
 * Each field as in the job config (the same checks and messages); an absent one keeps the job's value.
 * The parts file's own values per part still win, as in a run with these settings. The plan fields follow
 * the job config's rule (planModeProblem) once merged with the job's own: a mode needs its figure.
 */
export const replanSchema = jobConfigObject
  .pick({
    service_level: true,
    lead_time_days: true,
    review_periods: true,
    plan_mode: true,
    stock_budget: true,
    target_fill_rate: true,
    min_service_level: true,
    transfers: true,
  })
  .extend({
    /** a site → money map; null drops the job's per-site budgets (back to one budget for the job) */
    stock_budget_by_site: jobConfigObject.shape.stock_budget_by_site.unwrap().nullable().optional(),
  })
  .strict();
export type ReplanInput = z.input<typeof replanSchema>;

/**
 * GET /api/jobs/:id/inventory/transfers?format=json: the plan's moves of stock between sites, largest needs
 * by value first, and their totals (value: over the moves with a unit cost). Empty when transfers are off or
 * no part's stock is known at two sites. format=csv|xlsx: the same columns as a file.
 */
export interface TransfersDto {
  rows: { partnumber: string; from_site: string; to_site: string; qty: number; value: number | null }[];
  total_qty: number;
  total_value: number;
}

/** The answer of a re-plan: the settings the plan now uses, and how long it took. */
export interface ReplanDto {
  id: string;
  service_level: number;
  lead_time_days: number;
  review_periods: number;
  plan_mode: PlanAllocationMetrics['plan_mode'];
  stock_budget: number | null;
  stock_budget_by_site?: Record<string, number> | null;
  /** sites stock_budget_by_site names that the plan has no series of (a notice: their budgets are not spent) */
  unknown_budget_sites?: string[];
  target_fill_rate: number | null;
  /** the new plan's expected fill rate (all series) and stock value (the costed ones) */
  expected_fill_rate: number;
  stock_value: number;
  rows: number;
  /** series planned with a planner's override (those in force when the re-plan ran) */
  overridden: number;
  seconds: number;
}
