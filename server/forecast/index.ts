/**
 * The forecast engine behind the seam in ./types.ts. The server uses `engine`; the named exports are the
 * same functions for tests, scripts and the CLI.
 */
import type { EngineApi } from './types.js';
import { combineMetrics } from './output/combine.js';
import { forecastPartition } from './partition.js';
import { inspectHead, loadDemand, previewDemand } from './prepare.js';
import { OUTPUT_HEADER } from './output/write.js';

export { InputError } from './types.js';
export type { EngineApi, HeadInfo, InputErrorCode, PartitionHooks, PartitionInput, PartitionResult, Prepared } from './types.js';
export { combineMetrics, forecastPartition, inspectHead, loadDemand, previewDemand, OUTPUT_HEADER };
export { METHOD_NAMES, METHOD_LABELS, STACK_LABEL } from './methods/index.js';
import { splitPartition } from './series/split.js';
export { splitPartition };

export const engine: EngineApi = { OUTPUT_HEADER, inspectHead, previewDemand, loadDemand, forecastPartition, splitPartition, combineMetrics };
