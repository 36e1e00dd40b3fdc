/**
 * A job's tracking on the wire: its forecast and plan held against what happened (the actuals after its
 * origin). The engine computes a TrackingSummary (forecast/tracking/), the server adds where the actuals came
 * from. Accuracy has the reference scorer's definitions (../shared/tools/score.mjs); service those of the
 * inventory scorer (../shared/tools/inventory/score.mjs). No Node imports: the client bundles this file.
 */
import { z } from 'zod';
import { FREQUENCIES } from './schemas.js';

/** Why a series needs attention, from its actuals (the plan-and-stock codes come with the worklist). */
export const TRACKING_EXCEPTIONS = ['DEMAND_ABOVE_PLAN', 'BIAS_DRIFT', 'NEW_PART', 'STOPPED_SELLING'] as const;
export type TrackingException = (typeof TRACKING_EXCEPTIONS)[number];

// the thresholds live in defaults.ts: the engine's worker threads must not load zod
export { BIAS_DRIFT_LIMIT, BIAS_DRIFT_MAD_FLOOR, STOPPED_SELLING_UNITS } from './defaults.js';

const num = z.number().nullable();

export const errorSummarySchema = z.object({ rmsse: num, mase: num, mae: num, rmse: num, bias_pct: num });

export const exceptionCountsSchema = z.object({
  DEMAND_ABOVE_PLAN: z.number().int(),
  BIAS_DRIFT: z.number().int(),
  NEW_PART: z.number().int(),
  STOPPED_SELLING: z.number().int(),
});

export const trackingServiceSchema = z.object({
  /** planned series whose protection interval P (lead time + review) lies within the periods covered */
  evaluated: z.number().int(),
  /** the mean of their plan's service levels */
  promised_cycle_service: num,
  /** the share of them whose demand over P stayed within order_up_to */
  achieved_cycle_service: num,
  /** of those whose plan row has an expected fill rate: 1 − Σ expected units short / Σ ltd_mean */
  promised_fill_rate: num,
  /** and 1 − Σ (demand over P − order_up_to)+ / Σ demand over P */
  achieved_fill_rate: num,
  fill_rate_series: z.number().int(),
});

export const trackingGroupSchema = z.object({
  series: z.number().int(),
  scored: z.number().int(),
  forecast_total: z.number(),
  actual_total: z.number(),
  accuracy: errorSummarySchema,
  service: trackingServiceSchema,
  exceptions: exceptionCountsSchema,
});

/** Forecast value added over a set of overridden series: the system's and the final forecast's absolute error. */
export const fvaGroupSchema = z.object({
  series: z.number().int(),
  improved: z.number().int(),
  worsened: z.number().int(),
  system_abs_error: z.number(),
  final_abs_error: z.number(),
  /** final − system: negative where the overrides helped */
  net_abs_error_change: z.number(),
});
/** tracking.fva (issue 24): per overridden series, by reason, by person; warnings (small upward adjustments). */
export const fvaSummarySchema = fvaGroupSchema.extend({
  by_reason: z.array(fvaGroupSchema.extend({ reason: z.string() })),
  by_person: z.array(fvaGroupSchema.extend({ created_by: z.string().nullable() })),
  /** overrides at most 20 % above the system's mean over the window */
  small_upward: fvaGroupSchema,
  warnings: z.array(z.string()),
});
export type FvaGroup = z.infer<typeof fvaGroupSchema>;
export type FvaSummary = z.infer<typeof fvaSummarySchema>;

export const trackingSummarySchema = z.object({
  frequency: z.enum(FREQUENCIES),
  /** the last period of the job's history (first day): actuals count from the period after it */
  origin: z.string(),
  periods: z.object({
    /** periods with actuals after the origin (from the first forecast period on) */
    count: z.number().int(),
    first: z.string(),
    last: z.string(),
    /** the forecast's own periods after the origin */
    forecast: z.number().int(),
  }),
  series: z.object({
    /** history ∪ forecast ∪ actuals, within the job's sites */
    total: z.number().int(),
    in_actuals: z.number().int(),
    in_forecast: z.number().int(),
    /** with history demand and a non-zero scale: the accuracy figures are over these */
    scored: z.number().int(),
    excluded_no_history: z.number().int(),
    excluded_zero_scale: z.number().int(),
  }),
  accuracy: errorSummarySchema.extend({ naive: errorSummarySchema, sba: errorSummarySchema }),
  totals: z.object({ forecast: z.number(), actual: z.number() }),
  service: trackingServiceSchema,
  by_site: z.array(trackingGroupSchema.extend({ site_code: z.string() })),
  by_class: z.array(trackingGroupSchema.extend({ demand_class: z.string() })),
  exceptions: exceptionCountsSchema,
  /** actuals rows not counted: dated at or before the origin, after the forecast's last period, other sites */
  rows_ignored: z.object({
    before_origin: z.number().int(),
    after_window: z.number().int(),
    other_sites: z.number().int(),
  }),
  /** the actuals reader's warnings (rows excluded and why) */
  warnings: z.array(z.string()),
  /** forecast value added of the job's forecast overrides (absent or null: none, or tracked before it existed) */
  fva: fvaSummarySchema.nullable().optional(),
});
export type TrackingSummary = z.infer<typeof trackingSummarySchema>;
export type TrackingGroup = z.infer<typeof trackingGroupSchema>;
export type TrackingService = z.infer<typeof trackingServiceSchema>;
export type ExceptionCounts = z.infer<typeof exceptionCountsSchema>;

/**
 * Where a job's actuals came from: a file sent for it, or the upload of the newest later job that covers part
 * of its forecast window and shares series with it (found when that job completes). A file sent wins.
 */
export const trackingSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), filename: z.string(), uploaded_at: z.string() }),
  z.object({
    kind: z.literal('job'),
    job_id: z.string(),
    /** the later job's upload as it was named, and its own name (null: none) */
    filename: z.string(),
    name: z.string().nullable(),
    completed_at: z.string().nullable(),
  }),
]);

/** GET /api/jobs/:id/tracking */
export const trackingSchema = z.discriminatedUnion('state', [
  /** no actuals yet */
  z.object({ state: z.literal('none'), job_id: z.string() }),
  trackingSummarySchema.extend({
    state: z.literal('ready'),
    job_id: z.string(),
    source: trackingSourceSchema,
  }),
]);
export type TrackingDto = z.infer<typeof trackingSchema>;
export type TrackingSourceDto = z.infer<typeof trackingSourceSchema>;

/** One series of the tracking (the CLI's table, and a row of GET /api/jobs/:id/tracking/rows). */
export interface TrackingRow {
  partnumber: string;
  site_code: string;
  demand_class: string;
  has_history: boolean;
  forecast: number[];
  actual: number[];
  forecast_total: number;
  actual_total: number;
  /** forecast − actual over the periods covered */
  error: number;
  rmsse: number | null;
  /**
   * Σ (actual − forecast) / MAD, the MAD smoothed at α 0.1 from the history's error size and at least
   * BIAS_DRIFT_MAD_FLOOR × √Σ forecast; null when it is 0
   */
  tracking_signal: number | null;
  protection_periods: number | null;
  order_up_to: number | null;
  actual_over_p: number | null;
  unit_cost: number | null;
  exceptions: TrackingException[];
}

/** Columns the tracking table can sort by. */
export const TRACKING_SORT_COLUMNS = [
  'partnumber',
  'site_code',
  'demand_class',
  'forecast_total',
  'actual_total',
  'error',
  'rmsse',
  'tracking_signal',
  'order_up_to',
  'actual_over_p',
] as const;

/** GET /api/jobs/:id/tracking/rows: a page of the per-series table, as the plan rows are served. */
export const trackingRowsQuerySchema = z.object({
  /** part number or site substring, case-insensitive */
  q: z.string().trim().max(100).optional().default(''),
  site_code: z.string().trim().max(200).optional().default(''),
  demand_class: z.string().trim().max(50).optional().default(''),
  /** only rows with this exception */
  exception: z.enum(TRACKING_EXCEPTIONS).optional(),
  sort: z.enum(TRACKING_SORT_COLUMNS).default('actual_total'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(50),
});
export type TrackingRowsQuery = z.infer<typeof trackingRowsQuerySchema>;

export interface TrackingRowsDto {
  /** none: no actuals yet (no rows) */
  state: 'none' | 'ready';
  total: number;
  page: number;
  page_size: number;
  /** the first day of each period covered: the rows' forecast and actual arrays in this order */
  periods: string[];
  rows: TrackingRow[];
}
