/**
 * Inventory plans from forecasts: lead-time demand over P = L + R periods per series.
 * Job/partition level: the pooled parameters once, from the engine's backtest windows
 * (new WindowSet(); set.addOrigin(...) per series and origin; fitWindows(set.windows())) or, without them,
 * from reference-forecaster windows (fitPooled(histories, { periods })); per series: planLtd(input, pooled).
 */
export { cdf, lgamma, logPmf, mixtureWithMean, quantiles, type LtdDist } from './dist.js';
export { RunningStats, statsOf, type DemandClass } from './features.js';
export { alphaAt, fitPooled, fitWindows, meanAt, paramsFor, PRIOR } from './fit.js';
export type { FitOptions, GroupParams, PooledParams } from './fit.js';
export { PLAN_LEVELS, planLtd, readLevel } from './ltd.js';
export { daysToPeriods, forecastOverP, protectionPeriods, type Freq } from './periods.js';
export { collectWindows, WindowSet, type Windows } from './windows.js';
