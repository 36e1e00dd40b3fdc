/** A job's method and backtest options, read from its config: shared by the run and the job-level prior. */
import type { JobConfig } from '../../contract/dto.js';
import type { EngineContext } from '../context.js';
import { InputError } from '../errors.js';
import { isMethodName, METHOD_NAMES, type MethodName } from '../methods/index.js';
import { seasonLength } from '../series/periods.js';
import type { SelectOptions } from './select.js';

/** The method named in the config ('auto' or a method), or UNKNOWN_METHOD. */
export function configMethod(config: JobConfig): 'auto' | MethodName {
  const method = config.method === 'auto' ? 'auto' : config.method.trim().toLowerCase();
  if (method !== 'auto' && !isMethodName(method)) {
    throw new InputError(
      'UNKNOWN_METHOD',
      `Unknown method "${config.method}". Use auto or one of: ${METHOD_NAMES.join(', ')}.`,
    );
  }
  return method;
}

/** Whether the config asks for the automatic choice (false for a named or unknown method). */
export function isAuto(config: JobConfig): boolean {
  try {
    return configMethod(config) === 'auto';
  } catch {
    return false;
  } // an unknown method is reported by forecastPartition
}

/** Backtest options of a job: h counts from the period after the training end to the last output period. */
export function selectOptions(ctx: EngineContext, config: JobConfig): SelectOptions {
  const h = config.forecast_horizon + ctx.fcStart - ctx.trainEnd - 1;
  return {
    h,
    method: configMethod(config),
    lifePeriods: ctx.lifePeriods,
    env: { season: seasonLength(ctx.freq), maWindow: ctx.freq === 'D' ? 28 : ctx.freq === 'W' ? 13 : 12 },
    baselines: ['naive', 'sba'],
  };
}
