/**
 * Messages between the job runner and its worker threads. Tasks and results are structured-cloned;
 * progress and log lines travel over a MessagePort transferred with each task.
 */
import type { MessagePort } from 'node:worker_threads';
import type { JobConfig, PreviewDto } from '../contract/dto.js';
import type { EngineStep } from '../contract/stages.js';
import type {
  EngineContext,
  FvaRequest,
  InputErrorCode,
  PartitionInput,
  PartitionResult,
  PartsSource,
  PlanOverrides,
  PlanWorkbookJob,
  Prepared,
  ReplanRequest,
  ReplanResult,
  SeriesIndexRequest,
  TableWorkbook,
  TrackRequest,
} from '../forecast/index.js';
import type { TrackingRow, TrackingSummary } from '../contract/tracking.js';
import type { OverrideFields } from '../contract/override-rules.js';

export type WorkerTask =
  | {
      kind: 'load';
      filePath: string;
      originalName: string;
      config: JobConfig;
      /** The job's optional parts file (inventory plan): read after the demand, in the same task. */
      parts?: PartsSource | null;
      /** false: no inventory plan (no fit in the read phase, so no plan rows either) */
      plan?: boolean;
      /** the planners' overrides the job applies (its snapshot) */
      overrides?: PlanOverrides | null;
      port: MessagePort;
    }
  | {
      kind: 'partition';
      input: PartitionInput;
      context: EngineContext;
      config: JobConfig;
      port: MessagePort;
      /** Int32Array(1) over this buffer: non-zero means "stop now". */
      stop: SharedArrayBuffer;
    }
  | { kind: 'series-index'; request: SeriesIndexRequest; port: MessagePort }
  /** A completed job's plan CSV as a workbook at outFile (a temp file the caller renames). */
  | { kind: 'plan-xlsx'; planFile: string; outFile: string; job?: PlanWorkbookJob | null; port: MessagePort }
  /** A small table (the exceptions worklist) as a workbook at outFile (a temp file the caller removes). */
  | { kind: 'table-xlsx'; outFile: string; table: TableWorkbook; port: MessagePort }
  /** A completed job's plan made again at other settings, from its re-plan inputs. */
  | { kind: 'replan'; request: ReplanRequest; port: MessagePort }
  /**
   * A completed job's forecast and plan held against actuals; with outFile, the figures and rows are also
   * written there as JSON ({ source, summary, labels, rows }: the tracking cache, a temp file the caller renames).
   * With fva (the job's forecast overrides and its re-plan inputs) the summary holds their value added.
   */
  | {
      kind: 'track';
      request: TrackRequest;
      fva?: FvaRequest | null;
      outFile?: string;
      source?: string;
      port: MessagePort;
    }
  /** A file of overrides read and checked (all rows or an input error listing the bad ones by line). */
  | { kind: 'overrides-file'; filePath: string; originalName: string; today: string; port: MessagePort }
  | {
      kind: 'preview';
      filePath: string;
      originalName: string;
      date_format: JobConfig['date_format'];
      /** A parts file sent with the preview: the preview says how many series it covers. */
      parts?: PartsSource | null;
      port: MessagePort;
    };

/** Expected failures come back as values; only unexpected ones are thrown across the thread. */
export type WorkerResult =
  | { kind: 'load'; prepared: Prepared }
  | { kind: 'partition'; result: PartitionResult }
  | { kind: 'series-index'; series: number }
  | { kind: 'plan-xlsx'; rows: number }
  | { kind: 'table-xlsx'; rows: number }
  | { kind: 'replan'; result: ReplanResult }
  | { kind: 'track'; summary: TrackingSummary; labels: string[]; rows: TrackingRow[] | null }
  | { kind: 'overrides-file'; rows: OverrideFields[] }
  | { kind: 'preview'; preview: PreviewDto }
  | { kind: 'input-error'; code: InputErrorCode; message: string }
  | { kind: 'stopped' };

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number; stage: EngineStep }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string }
  /** Sign of life, sent at most every second even while a long computation makes no progress. */
  | { type: 'heartbeat' };
