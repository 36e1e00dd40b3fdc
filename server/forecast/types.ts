/**
 * The types of the engine's seam, re-exported by ./index.ts (the one door). Everything passed between
 * threads must be structured-clonable.
 */
import type { Frequency, JobConfig, JobMetrics, PreviewDto } from '../contract/dto.js';
import type { EngineStep } from '../contract/stages.js';
import type { EngineContext } from './context.js';
import type { PartitionMetrics } from './output/metrics.js';
import type { PlanTotals } from './inventory/plan-row.js';
import type { SiteSeries } from './series/group.js';
import type { PlanOverrides } from './inventory/overrides.js';

/** One period of a series' demand history (the job page's chart). */
export interface HistoryPoint {
  date: string;
  qty: number;
}

/** What a quick look at the head of a file finds (no full read). */
export interface HeadInfo {
  format: 'csv' | 'xlsx';
  encoding: string;
  delimiter: string | null;
  columns: Record<'demand_qty' | 'date' | 'partnumber' | 'site_code', string>;
  extraColumns: string[];
}

/** One site's work (or a chunk of it). The server only reads `site` and `weight`. */
export interface PartitionInput {
  site: string;
  /** Relative cost (the number of series): the job's progress is the weighted sum. */
  weight: number;
  data: SiteSeries;
}

export interface Prepared {
  /** Data rows read from the file (after the header). */
  rows: number;
  frequency: Frequency;
  warnings: string[];
  /** What the engine learned about the whole job that a planner may want to know (job log lines). */
  notes: string[];
  /** Every site found in the file, sorted. */
  sites: string[];
  /** One per selected site (all sites when forecast_site_codes is empty), in output order. */
  partitions: PartitionInput[];
  /** What forecastPartition and combineMetrics need to know about the whole job. */
  context: EngineContext;
}

export interface PartitionHooks {
  /** done/total in this partition's own units; stage is the step (a code the page words). */
  progress(done: number, total: number, stage: EngineStep): void;
  /** Polled between series batches; when true, forecastPartition throws StopRequested. */
  shouldStop(): boolean;
}

export interface PartitionResult {
  site: string;
  /** Output rows written. */
  rows: number;
  /** Output lines for this site, without header, each ending in '\n', columns as OUTPUT_HEADER. */
  csv: string;
  /** Holdout accumulators for combineMetrics. */
  metrics: PartitionMetrics;
  /** The inventory plan of the same series; absent when the context has no inventory fit. */
  plan?: PartitionPlan;
}

/** A task's inventory plan lines (columns as PLAN_HEADER, each ending in '\n') and their totals. */
export interface PartitionPlan {
  rows: number;
  csv: string;
  /** the same series' re-plan input lines (output/plan-inputs.ts), each ending in '\n' */
  inputs: string;
  totals: PlanTotals;
}

/** The optional parts file of a job, read after the demand file by loadDemand. */
export interface PartsSource {
  filePath: string;
  originalName: string;
}

export interface EngineApi {
  /** Header line of the output CSV (no trailing newline). */
  OUTPUT_HEADER: string;
  /** Header line of the inventory plan CSV (no trailing newline). */
  PLAN_HEADER: string;
  /** Fast check at upload time: format, encoding, delimiter and required columns. Throws InputError. */
  inspectHead(filePath: string, originalName: string): Promise<HeadInfo>;
  /** Full preview for the dashboard (reads the whole file, streaming). Throws InputError. */
  previewDemand(
    filePath: string,
    originalName: string,
    opts: { date_format: JobConfig['date_format']; parts?: PartsSource | null },
  ): Promise<PreviewDto>;
  /**
   * Reads, validates and prepares the demand (streaming), then the parts file when given (its problems are
   * warnings; no usable column or no known part: InputError), and fits the job's inventory model.
   */
  loadDemand(
    filePath: string,
    originalName: string,
    config: JobConfig,
    onProgress?: (fraction: number) => void,
    parts?: PartsSource | null,
    /**
     * plan false: no inventory fit, so no plan rows (the forecast alone, for timing the plan's cost);
     * overrides: the planners' overrides the job applies (its snapshot)
     */
    opts?: { plan?: boolean; overrides?: PlanOverrides | null },
  ): Promise<Prepared>;
  /** Forecasts one site (synchronous, CPU-bound; runs in a worker). Throws InputError or StopRequested. */
  forecastPartition(
    input: PartitionInput,
    context: EngineContext,
    config: JobConfig,
    hooks: PartitionHooks,
  ): PartitionResult;
  /**
   * Splits one site's partition into n chunks of whole series (fewer for a small site), so a big site can
   * use several threads, and into more when needed to bound a task's memory (call it for every site, with
   * n = 1 when no split is wanted); the chunks' csv, concatenated in order, equals the site's output order.
   */
  splitPartition(input: PartitionInput, n: number): PartitionInput[];
  /** Job-level metrics from every partition's (or chunk's) accumulator. */
  combineMetrics(results: PartitionResult[], context: EngineContext, config: JobConfig, seconds: number): JobMetrics;
  /** Writes a finished job's per-series index (chart history + output byte ranges). Throws InputError. */
  writeSeriesIndex(req: SeriesIndexRequest): Promise<{ series: number }>;
}

/** What the series index needs of a job's calendar. */
export type HistoryContext = Pick<EngineContext, 'freq' | 'anchor' | 'fileStart' | 'trainEnd'>;

/** Where the histories come from: the job's upload read again, or the series the run already holds. */
export type HistorySource =
  | {
      from: 'upload';
      uploadFile: string;
      originalName: string;
      config: JobConfig;
      /** the job's parts file: its replacements merge the histories as the run did */
      parts?: PartsSource | null;
    }
  | { from: 'prepared'; sites: SiteSeries[]; context: HistoryContext };

export interface SeriesIndexRequest {
  history: HistorySource;
  outputFile: string;
  /** Where to write (a temp file: the caller renames it next to the output). */
  indexFile: string;
}
