/**
 * Value sets and defaults of the contract that the engine needs at run time, without zod: every worker thread
 * imports the engine, and zod (through schemas.ts) cost each thread ~17 MB of RSS under tsx. schemas.ts
 * re-exports them, so the client and the server import them from there as before.
 */

/** The named forecast methods (the engine implements them; `auto` is its learned combination). */
export const METHOD_NAMES = [
  'naive',
  'snaive',
  'ma',
  'mean',
  'ses',
  'ets',
  'croston',
  'sba',
  'tsb',
  'adida',
  'imapa',
  'comb',
] as const;

/**
 * Defaults of the inventory fields of the job config. The fields stay optional in the parsed type (a config
 * stored before they existed, or built by hand, is still a JobConfig); the engine applies these.
 */
export const INVENTORY_DEFAULTS = { service_level: 0.95, lead_time_days: 30, review_periods: 1 } as const;

/**
 * The rounding of forecast_qty when a job does not name one: per series, the running total rounded, so the
 * whole numbers keep the forecast's volume (rounding each period's mean of a slow mover gives 0 everywhere).
 */
export const DEFAULT_ROUNDING_MODE = 'cumulative';

/** Tracking: |tracking signal| above this is BIAS_DRIFT (the usual control limit: 4 mean absolute errors). */
export const BIAS_DRIFT_LIMIT = 4;
/**
 * Tracking: the tracking signal's MAD is at least this × √(Σ forecast over the periods covered), so that on
 * slow movers |signal| > 4 means the running error is at least 2 Poisson standard deviations of the forecast
 * total (a sparse series' MAD is about twice its small mean, so the plain signal flagged 30 % of carparts
 * series even when drawn from the forecast itself; with the floor 4.5 %).
 */
export const BIAS_DRIFT_MAD_FLOOR = 0.5;
/** Tracking: STOPPED_SELLING is no demand over the periods covered where the forecast expected this many units. */
export const STOPPED_SELLING_UNITS = 3;
