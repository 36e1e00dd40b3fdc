/** A series of a site as a dense history (demand per period), from its model start or its first demand. */
import type { EngineContext } from '../context.js';
import type { SiteSeries } from './group.js';

/**
 * Where a series' model history starts. 'auto': at the file's start (the file covers that period for every
 * part, so leading zeros are real zero demand) unless so long a leading run of zeros would be implausible for
 * the part's later demand rate (probability < 1 %): then it is a new part and starts at its first demand.
 */
export function modelStart(per: Int32Array, from: number, to: number, ctx: EngineContext): number {
  const pf = per[from];
  if (ctx.seriesStart === 'first_demand' || pf <= ctx.fileStart) return pf;
  if (ctx.seriesStart === 'file') return ctx.fileStart;
  const after = ctx.trainEnd - pf;
  const p = after > 0 ? (to - from - 1) / after : 0;
  const L = pf - ctx.fileStart;
  if (Math.pow(1 - p, L) >= 0.01) return ctx.fileStart;
  // a new part: its first demand is what made it visible, so starting the history there over-states the rate;
  // the part came into use some time before, on average (1 − p) / p periods for a demand chance p per period
  return Math.max(ctx.fileStart, pf - Math.round((1 - p) / p));
}

/** Series i of a site as a dense history from its model start to the training end (null without demand). */
export function seriesOf(data: SiteSeries, i: number, ctx: EngineContext): { y: Float64Array; fd: number } | null {
  const from = data.off[i],
    to = data.off[i + 1];
  if (to <= from) return null;
  const start = modelStart(data.per, from, to, ctx);
  const y = new Float64Array(ctx.trainEnd - start + 1);
  for (let j = from; j < to; j++) y[data.per[j] - start] += data.qty[j];
  return { y, fd: data.per[from] - start };
}

/**
 * Series i's demand per period from its first demand to the training end, in a view of `buf` (reused
 * across series: a fresh array per series was most of the plan's garbage). Same sums as seriesOf.
 */
export function firstDemandHistory(data: SiteSeries, i: number, trainEnd: number, buf: { a: Float64Array }) {
  const from = data.off[i],
    to = data.off[i + 1];
  if (to <= from) return buf.a.subarray(0, 0);
  const first = data.per[from];
  const n = Math.max(0, trainEnd - first + 1);
  if (n > buf.a.length) buf.a = new Float64Array(n);
  const h = buf.a.subarray(0, n);
  h.fill(0);
  for (let j = from; j < to; j++) h[data.per[j] - first] += data.qty[j];
  return h;
}
