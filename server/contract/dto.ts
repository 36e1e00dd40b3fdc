/**
 * Wire shapes shared by the server, the Svelte client and scripts.
 * No Node imports here: the client bundles this folder.
 */

/** Every status a job can be in; the last three are final. */
export const JOB_STATUSES = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINAL_STATUSES: readonly JobStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED'];
export const ACTIVE_STATUSES: readonly JobStatus[] = ['QUEUED', 'PROCESSING'];

/** True when the job can no longer change (Stop answers 409, plain Delete is allowed). */
export function isFinal(status: JobStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export type DateFormat = 'auto' | 'DMY' | 'MDY' | 'YMD';
export type RoundingMode = 'half_up' | 'half_even' | 'ceil' | 'floor';
export type Frequency = 'D' | 'W' | 'M';

/** The job's forecast configuration, as validated at upload (see schemas.ts). */
export interface JobConfig {
  forecast_horizon: number;
  /** ISO date (YYYY-MM-DD) or null: forecast from the period after the file's last date. */
  forecast_start_date: string | null;
  /** Empty array: every site in the file. */
  forecast_site_codes: string[];
  date_format: DateFormat;
  zero_threshold: number;
  rounding_mode: RoundingMode;
  /** null: detected from the dates. */
  frequency: Frequency | null;
  /** 'auto' or one method name of the engine. */
  method: string;
}

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
  horizon: number;
  warnings: string[];
  seconds: number;
  /** Engine-specific extras. */
  [extra: string]: unknown;
}

/** A job as every REST answer and socket push carries it. */
export interface JobDto {
  id: string;
  filename: string;
  status: JobStatus;
  progress: number;
  stage: string;
  error_message: string | null;
  config: JobConfig;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  partitions: PartitionCounts;
  rows: number | null;
  queue_position: number | null;
  metrics: JobMetrics | null;
  has_output: boolean;
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
  ok: boolean;
  version: string;
  pool: { threads: number; busy: number; queued: number };
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
  partitions: PartitionCounts;
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
  issues: { code: string; message: string; count: number; examples: string[] }[];
  warnings: string[];
}
