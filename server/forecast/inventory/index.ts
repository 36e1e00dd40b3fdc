/**
 * Inventory plans from forecasts: lead-time demand over P = L + R periods per series.
 * Job/partition level: fitPooled(histories, { periods }) once; per series: planLtd(input, pooled).
 */
export { cdf, lgamma, logPmf, mixtureWithMean, quantiles, type LtdDist } from './dist.js';
export { statsOf, type DemandClass, type Staleness } from './features.js';
export { alphaAt, DEFAULT_LEVELS, fitPooled, PRIOR, type FitOptions, type PooledParams } from './fit.js';
export { PLAN_LEVELS, planLtd, readLevel, type LtdInput, type LtdPlan } from './ltd.js';
export { daysToPeriods, forecastOverP, protectionPeriods, type Freq } from './periods.js';
