/**
 * Job-level combination weights. The server forecasts each site (or chunk of a big site) in its own task, so
 * each task learns its weights from its own series only; a small site, or a small demand class inside a chunk,
 * would lean on equal weights. So weights are first learned from an evenly spaced sample of the whole job's
 * series and passed in the context: each task's weights are then shrunk toward them (choose.ts).
 */
import type { JobConfig } from '../../contract/dto.js';
import type { PartitionInput } from '../types.js';
import { groupWeights, stackInputs, type WeightPrior } from './choose.js';
import type { EngineContext } from '../context.js';
import { isAuto, selectOptions } from './options.js';
import { seriesOf } from '../series/dense.js';
import type { Evaluated } from './evaluated.js';
import { evaluateSeries } from './select.js';
import { PRIOR_SERIES } from './stack.js';

/** Most series evaluated for the job-level weights (on the main thread, before the partitions run). */
const PRIOR_SAMPLE = 500;
/** A partition this large learns its own weights well: the job-level prior weighs ≤ 1/11 there. */
export const SMALL_PARTITION = 10 * PRIOR_SERIES;

const toRecord = (m: Map<string, Float64Array>) => Object.fromEntries([...m].map(([k, v]) => [k, Array.from(v)]));

/** An evenly spaced sample of the job's series with their backtests (the job-level fits learn from it). */
export interface JobSample {
  evs: Evaluated[];
  /** per evaluated series: its model history and the index of its first demand */
  hist: { y: Float64Array; fd: number }[];
}

/** Evaluates up to PRIOR_SAMPLE series spread evenly over the job's partitions. */
export function jobSample(partitions: PartitionInput[], ctx: EngineContext, config: JobConfig): JobSample {
  const sizes = partitions.map((p) => p.data.parts.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const k = Math.min(PRIOR_SAMPLE, total);
  const opts = selectOptions(ctx, config);
  const out: JobSample = { evs: [], hist: [] };
  let part = 0,
    base = 0;
  for (let s = 0; s < k; s++) {
    const g = Math.floor((s * total) / k); // global series index, evenly spaced
    while (g >= base + sizes[part]) {
      base += sizes[part];
      part++;
    }
    const sr = seriesOf(partitions[part].data, g - base, ctx);
    if (!sr) continue;
    out.evs.push(evaluateSeries(sr.y, sr.fd, opts));
    out.hist.push(sr);
  }
  return out;
}

/**
 * Job-level weights, or undefined when they would not matter: one method, or a single partition small enough
 * to be one task that learns from all of its series.
 */
export function jobPrior(
  partitions: PartitionInput[],
  ctx: EngineContext,
  config: JobConfig,
  sample: () => JobSample = () => jobSample(partitions, ctx, config),
): WeightPrior | undefined {
  if (ctx.selection !== 'stack') return undefined;
  if (!isAuto(config)) return undefined;
  const total = partitions.reduce((a, p) => a + p.data.parts.length, 0);
  if (partitions.length < 2 && total < SMALL_PARTITION) return undefined;
  const h = selectOptions(ctx, config).h;
  const inp = stackInputs(sample().evs, 'stack', h);
  return {
    final: toRecord(groupWeights(inp.fin, false, 'stack', h)),
    hold: toRecord(groupWeights(inp.hold, true, 'stack', h)),
  };
}
