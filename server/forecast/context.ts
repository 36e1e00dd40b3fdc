/** What forecastPartition and combineMetrics need to know about the whole job (structured-clonable). */
import type { Frequency } from '../contract/dto.js';
import type { Notice } from '../contract/vocab.js';
import type { Selection, WeightPrior } from './choose/choose.js';
import type { SeasonProfile } from './series/season.js';
import type { InventoryContext } from './inventory/job-fit.js';
import type { HurdleModel } from './inventory/hurdle.js';
import type { PlanOverrides } from './inventory/overrides.js';

/** How each series' model history starts (the holdout scale always starts at the first demand). */
export type SeriesStart = 'auto' | 'file' | 'first_demand';

export interface EngineContext {
  freq: Frequency;
  anchor: number;
  /** First period of the file (all sites). */
  fileStart: number;
  /** Last training period (inclusive). */
  trainEnd: number;
  /** First output period (> trainEnd). */
  fcStart: number;
  warnings: string[];
  /** The warnings as codes and values (contract/vocab.ts); the parts file's have none. */
  notices?: Notice[];
  seriesStart: SeriesStart;
  /** Obsolescence prior: average life of a part in periods. */
  lifePeriods: number;
  /** How the backtest picks a method (choose/choose.ts). */
  selection: Selection;
  /** Job-level combination weights per class (choose/prior.ts), unless the job is one small site. */
  prior?: WeightPrior;
  /** Group seasonal profile of the job (series/season.ts), applied to the automatic choice's forecasts. */
  season?: SeasonProfile;
  /** The job's hurdle on the engine's mean (inventory/hurdle.ts): the one expected demand; absent: none. */
  hurdle?: HurdleModel;
  /** The job's inventory model and plan settings (inventory/job-fit.ts); without it no plan is made. */
  inventory?: InventoryContext;
  /** The planners' overrides in force when the job started (inventory/overrides.ts); absent: none. */
  overrides?: PlanOverrides;
}
