/**
 * The engine's one door: workers, jobs, the CLI and the scripts import the engine only from here.
 * The server calls `engine`; the named exports are the same functions and the seam's types.
 */
import { forecastPartition } from './partition.js';
import { inspectHead, loadDemand, previewDemand } from './prepare.js';
import { combineMetrics } from './output/combine.js';
import { OUTPUT_HEADER } from './output/write.js';
import { PLAN_HEADER } from './output/plan-write.js';
import { writeSeriesIndex } from './output/series-index-write.js';
import { splitPartition } from './series/split.js';
import type { EngineApi } from './types.js';

export type {
  EngineApi,
  HeadInfo,
  HistoryPoint,
  HistorySource,
  PartitionHooks,
  PartitionInput,
  PartitionResult,
  PartsSource,
  Prepared,
  SeriesIndexRequest,
} from './types.js';
export type { EngineContext } from './context.js';
export type { PartitionMetrics } from './output/metrics.js';
export type { SiteSeries } from './series/group.js';
export { InputError, namePartsFile, partsFileError, StopRequested, type InputErrorCode } from './errors.js';
export { combineMetrics, forecastPartition, inspectHead, loadDemand, previewDemand, splitPartition };
export { METHOD_NAMES } from './methods/index.js';
export { OUTPUT_COLUMNS, OUTPUT_HEADER, type OutputRecord } from './output/write.js';
export { OrderedOutput } from './output/ordered-output.js';
export { PLAN_COLUMNS, PLAN_HEADER, type PlanColumn } from './output/plan-write.js';
export { planRecords, readPlan } from './output/plan-read.js';
export { writePlanXlsx, type PlanWorkbookJob } from './output/plan-xlsx.js';
export { writeTableXlsx, type TableColumn, type TableWorkbook } from './output/table-xlsx.js';
export type { PlanRow, PlanTotals } from './inventory/plan-row.js';
export type { BacktestCoverage, InventoryContext } from './inventory/job-fit.js';
export { inspectPartsHead, readPartsFile, type PartRow, type PartsFile } from './parse/parts.js';
export { matchParts } from './inventory/settings.js';
export { readOverridesFile } from './parse/overrides.js';
export { planOverridesOf, type PlanOverrides } from './inventory/overrides.js';
export { csvQuote, csvText, csvTextLine, readText, safeText } from './output/cells.js';
export { writeSeriesIndex } from './output/series-index-write.js';
export { SeriesIndexReader } from './output/series-index-read.js';
export { planInputsHeader } from './output/plan-inputs.js';
export { replanFromInputs, type ReplanRequest, type ReplanResult } from './output/replan.js';
export type { PlanSettings } from './inventory/settings.js';
export {
  readTransfers,
  TRANSFER_COLUMNS,
  TRANSFER_HEADER,
  transfersXlsx,
  type TransferRecord,
} from './output/transfers-write.js';
export { allocationMetrics, planSpecOf, totalsOf, withPlan, withPlanNotices } from './output/plan-metrics.js';
export type { PlanSpec } from './inventory/allocate.js';
export type { SeriesIndexEntry } from './output/series-index.js';

// For the benches and tools that score an output against the file's own calendar.
export { readDemand, type RawDemand } from './parse/load.js';
export { dateShape, dayOf, isoOfDay } from './parse/dates.js';
export { periodOfDay } from './series/periods.js';

export const engine: EngineApi = {
  OUTPUT_HEADER,
  PLAN_HEADER,
  inspectHead,
  previewDemand,
  loadDemand,
  forecastPartition,
  splitPartition,
  combineMetrics,
  writeSeriesIndex,
};
export { trackJob, type TrackRequest, type TrackResult } from './tracking/track.js';
export { forecastValueAdded, type FvaRequest } from './tracking/fva.js';
