/** Job-level metrics from the partitions' accumulators. */
import type { JobConfig, JobMetrics } from '../../contract/dto.js';
import type { PartitionResult } from '../types.js';
import { mergeAcc, newAcc, summarize } from './metrics.js';
import type { EngineContext } from '../context.js';

export function combineMetrics(
  results: PartitionResult[],
  ctx: EngineContext,
  config: JobConfig,
  seconds: number,
): JobMetrics {
  const chosen = newAcc(),
    naive = newAcc(),
    sba = newAcc();
  const classes: Record<string, number> = {},
    methods: Record<string, number> = {};
  let series = 0,
    scored = 0;
  for (const r of results) {
    const m = r.metrics;
    mergeAcc(chosen, m.chosen);
    mergeAcc(naive, m.naive);
    mergeAcc(sba, m.sba);
    series += m.series;
    scored += m.scored;
    for (const [k, v] of Object.entries(m.classes)) classes[k] = (classes[k] ?? 0) + v;
    for (const [k, v] of Object.entries(m.methods)) methods[k] = (methods[k] ?? 0) + v;
  }
  return {
    chosen: summarize(chosen),
    naive: summarize(naive),
    sba: summarize(sba),
    series,
    scored_series: scored,
    classes,
    methods,
    frequency: ctx.freq,
    horizon: config.forecast_horizon,
    warnings: ctx.warnings,
    seconds: Math.round(seconds * 100) / 100,
    holdout: 'last horizon of each series; choice made without it',
  };
}
