/**
 * Wire shapes shared by the server, the Svelte client and scripts.
 * No Node imports here: the client bundles this folder.
 */
import type { Frequency, JobConfig, JobStatus } from './schemas.js';
import type { Stage } from './stages.js';
import type { Notice, PreviewIssue } from './vocab.js';
import type { ErrorCode } from './errors.js';

// The value sets live in schemas.ts (zod) and status.ts (the lifecycle); re-exported here so the wire
// shapes have one import.
export { FREQUENCIES, JOB_STATUSES, ROUNDING_MODES } from './schemas.js';
export type { DateFormat, Frequency, JobConfig, JobStatus, RoundingMode } from './schemas.js';
export { ACTIVE_STATUSES, FINAL_STATUSES, isFinal, isStoppable } from './status.js';

/** Partition (one per site) counts; nothing is ever silently dropped. */
export interface PartitionCounts {
  total: number;
  completed: number;
  skipped: number;
  failed: number;
}

/** Accuracy of one forecaster on the holdout (last horizon of each series). */
export interface ErrorSummary {
  rmsse: number | null;
  mase: number | null;
  mae: number | null;
  rmse: number | null;
  bias_pct: number | null;
}

export interface JobMetrics {
  /** The chosen forecasts. */
  chosen: ErrorSummary;
  /** Baselines, so a planner sees the lift. */
  naive: ErrorSummary;
  sba: ErrorSummary;
  series: number;
  /** Series scored on the holdout (those with enough history and a non-zero scale). */
  scored_series: number;
  /** Series count per demand class (smooth, erratic, intermittent, lumpy…). */
  classes: Record<string, number>;
  /** Series count per chosen method. */
  methods: Record<string, number>;
  frequency: Frequency;
  /**
   * The history the forecast was fitted on: the first day of its first and of its last period (absent on jobs
   * from before it was recorded).
   */
  history_range?: { first: string; last: string };
  horizon: number;
  warnings: string[];
  /** The warnings as codes and values, which pages word; a warning without one is shown as written. */
  notices?: Notice[];
  seconds: number;
  /**
   * Total forecast over the horizon, all series: the model's expected demand and what the rounded
   * forecast_qty column adds up to (absent on jobs from before it was recorded). Per-period means of slow
   * movers round to 0, so the two can differ a lot.
   */
  forecast_total?: { model: number; rounded: number };
  /** The inventory plan's figures (absent on jobs from before the plan existed). */
  inventory?: InventoryMetrics;
  /** Engine-specific extras. */
  [extra: string]: unknown;
}

/** Totals of an inventory plan, over the job or one site. */
export interface InventoryTotals {
  series: number;
  /** Σ order_up_to × unit_cost over the series with a unit cost (0 when none has one) */
  stock_value: number;
  costed_series: number;
  /** series whose suggested_order is > 0, and the units they order */
  parts_to_order: number;
  units_to_order: number;
  /**
   * 1 − Σ expected units short / Σ expected lead-time demand over these series (units-weighted); absent on
   * plans made before it was kept
   */
  expected_fill_rate?: number;
}

/** One point of a stock-vs-fill-rate curve: Σ unit_cost × order_up_to and the expected fill rate. */
export interface FillPoint {
  stock_value: number;
  expected_fill_rate: number;
}

/**
 * How the plan spent its stock (absent on plans made before plan modes): the mode and its figure, and the
 * frontier over the series with a unit cost: the allocation's (stock value, expected fill rate) at ≥ 20
 * spends, ascending, next to one service level for every part (uniform) and the plan's own point.
 */
export interface PlanAllocationMetrics {
  plan_mode: 'service_level' | 'budget' | 'fill_rate';
  stock_budget: number | null;
  /** budget mode: the budget per site, each spent over its site alone (absent on older plans) */
  stock_budget_by_site?: Record<string, number> | null;
  /** sites stock_budget_by_site names that the plan has no series of (their budgets are not spent) */
  unknown_budget_sites?: string[];
  target_fill_rate: number | null;
  min_service_level: number | null;
  /** series without a unit cost, planned at their service level (budget and fill_rate modes) */
  costless_series: number;
  /** budget mode: the floors (parts' own and the minimum service level) alone cost more than the budget */
  below_floors: boolean;
  /** fill_rate mode: the target is out of reach (every part at its highest level) */
  target_unreachable: boolean;
  /** the plan's point over the series with a unit cost; null without costs */
  plan_point: FillPoint | null;
  frontier: FillPoint[];
  uniform: (FillPoint & { service_level: number })[];
}

/** The inventory plan in the job metrics. */
export interface InventoryMetrics extends InventoryTotals {
  /** the job's default target (parts may have their own) */
  service_level: number;
  /**
   * How the backtest figures below were obtained: 'holdout_last_origin' = out of sample. The model (dispersion,
   * mean correction, level map) is refitted on the backtest windows of the job sample whose demand ended by
   * the latest in-history backtest origin, and scored on the windows that start there (per protection interval
   * P, the latest origin a window of P periods fits after), which that fit never saw. The plan itself is fitted
   * on all windows.
   */
  backtest_basis: 'holdout_last_origin';
  /** Share of the scored windows whose demand over P was at most the order-up-to level at service_level; null: none. */
  backtest_coverage: number | null;
  /** The same windows' coverage at 0.5, 0.8, 0.9, 0.95, 0.99 (keys '0.5' ...); empty when none were scored. */
  backtest_coverage_by_level: Record<string, number>;
  /** Their mean scaled pinball loss over those five levels (the bench's score); null: none scored. */
  backtest_spl: number | null;
  /** Windows scored (at the latest backtest origin), and windows the holdout fit was fitted on. */
  backtest_windows: number;
  backtest_fit_windows: number;
  by_site: Record<string, InventoryTotals>;
  /** When a re-plan last replaced the plan (ISO); absent on a plan as the run made it. */
  replanned_at?: string;
  allocation?: PlanAllocationMetrics;
}

/** A job as every REST answer and socket push carries it. */
export interface JobDto {
  id: string;
  filename: string;
  /** The name a person gave the job (at most 100 characters, no control or bidi characters); null: none. */
  name: string | null;
  status: JobStatus;
  progress: number;
  /** CANCELLED: the progress reached when it was stopped (progress itself is back at 0); otherwise null. */
  stopped_progress: number | null;
  /** English text (API users, logs); pages word `stage_info` instead. */
  stage: string;
  /** The stage as codes and values (parseStage of `stage`); null for a text no version wrote as a stage. */
  stage_info: Stage | null;
  error_message: string | null;
  config: JobConfig;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  partitions: PartitionCounts;
  rows: number | null;
  queue_position: number | null;
  metrics: JobMetrics | null;
  /** When the inventory plan was last re-planned at other settings (null: never, or before this was kept). */
  replanned_at: string | null;
  has_output: boolean;
  /** A COMPLETED job with an inventory plan (GET /api/jobs/:id/inventory); false on jobs from before plans. */
  has_plan: boolean;
  /** Actuals were sent for this COMPLETED job: GET /api/jobs/:id/tracking holds its forecast and plan against them. */
  has_actuals: boolean;
  /** The parts file's name as uploaded (null: none; the plan used the config's defaults). */
  parts_filename: string | null;
  /** Size of the uploaded file in bytes. */
  file_size: number;
  /** Username of whoever created the job (null with AUTH=off). */
  created_by: string | null;
  /** While running: when the progress last changed, the last log line, the worker's last sign of life. */
  last_progress_at: string | null;
  last_log_at: string | null;
  last_heartbeat_at: string | null;
  /** While running: how long a job of this size is expected to take (from past jobs), in seconds. */
  expected_seconds: number | null;
  /** Watchdog flags, all false unless the job is PROCESSING. */
  flags: JobFlags;
}

/**
 * stalled: no progress change for STALL_AFTER (default 3 min); slow: running longer than twice the
 * expected time; silent: no log line for 2 min.
 */
export interface JobFlags {
  stalled: boolean;
  slow: boolean;
  silent: boolean;
}

export interface JobListDto {
  total: number;
  page: number;
  page_size: number;
  jobs: JobDto[];
}

export interface HealthDto {
  /** false (HTTP 503) when the server cannot do its work: see `problem`. */
  ok: boolean;
  version: string;
  pool: { threads: number; busy: number; queued: number };
  /** Why ok is false: the storage disk is full or a storage folder cannot be written. */
  problem?: { code: 'DISK_FULL' | 'STORAGE_UNWRITABLE'; message: string };
}

export interface JobLogDto {
  id: string;
  lines: LogLine[];
}

export interface LogLine {
  /** ISO time. */
  t: string;
  level: 'info' | 'warn' | 'error';
  msg: string;
}

export interface JobProgressDto {
  id: string;
  progress: number;
  stage: string;
  stage_info: Stage | null;
  partitions: PartitionCounts;
}

/** GET /api/jobs/:id/sites: the site codes found in a job's uploaded file, sorted. */
export interface JobSitesDto {
  id: string;
  sites: string[];
}

/** What POST /api/preview tells about a file before a job is run. */
export interface PreviewDto {
  filename: string;
  format: 'csv' | 'xlsx';
  encoding: string;
  delimiter: string | null;
  /** Canonical column → header found in the file. */
  columns: Record<'demand_qty' | 'date' | 'partnumber' | 'site_code', string>;
  extra_columns: string[];
  rows: number;
  parts: number;
  series: number;
  sites: string[];
  /** How a/b/yyyy dates were read (ISO dates are always accepted). */
  date_order: 'DMY' | 'MDY' | 'YMD';
  /** True when no date proved the order (every a/b ≤ 12): the order was assumed. */
  date_order_ambiguous: boolean;
  first_date: string | null;
  last_date: string | null;
  frequency: Frequency;
  duplicates: number;
  /** Problems found, each with a count and a few example values. */
  issues: PreviewIssue[];
  /** English notes for API users and the CLI; each restates an issue or `date_order_ambiguous`, which pages word. */
  warnings: string[];
  /** The parts file sent with the preview: its rows, how many of the file's series it covers, its warnings. */
  parts_file?: {
    filename: string;
    rows: number;
    covered: number;
    /** part numbers of the demand file merged into their new numbers (the parts file's replaced_by) */
    merged?: number;
    warnings: string[];
    notices?: Notice[];
  } | null;
  /**
   * Why the parts file sent with the preview cannot be used (its message names it); the demand file's
   * preview above stands on its own. A job with that parts file is refused.
   */
  parts_file_error?: { filename: string; code: ErrorCode; message: string } | null;
}

/** One (part, site) series of a finished job, as GET /api/jobs/:id/series/keys lists them. */
export interface SeriesKeyDto {
  partnumber: string;
  site_code: string;
  method: string;
  demand_class: string;
  /** Total demand in the series' history (null when not known, e.g. an old job read without an index). */
  volume: number | null;
}

/** The matching series, biggest history volume first, and how many matched in all. */
export interface SeriesKeysDto {
  keys: SeriesKeyDto[];
  total: number;
}

export interface HistoryPointDto {
  date: string;
  qty: number;
}

export interface ForecastPointDto {
  date: string;
  qty: number;
  raw: number;
  model: number;
  /** Interval bounds; null when the method gives none. */
  lo: number | null;
  hi: number | null;
}

/** GET /api/jobs/:id/series: one series' history (from the upload) and forecast (from the output). */
export interface SeriesDto extends SeriesKeyDto {
  history: HistoryPointDto[];
  forecast: ForecastPointDto[];
}
