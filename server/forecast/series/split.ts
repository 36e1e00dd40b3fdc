/** Splitting one site's partition into chunks of whole series, so one big site can use several threads. */
import type { PartitionInput } from '../types.js';
import type { SiteSeries } from './group.js';

/**
 * Most series in one task. A series costs ~35 KB while its site is forecast (backtests of every member, the
 * combination's and the global model's inputs), so this bounds a task's memory (~70 MB) whatever the file's
 * size; a site's chunks share the job-level weights (prior.ts), so splitting costs little accuracy.
 */
export const MAX_CHUNK_SERIES = 2000;

/**
 * Splits a partition into `n` chunks of consecutive series (fewer when it has fewer than 2n series; more when
 * a chunk would exceed MAX_CHUNK_SERIES). Same site, output order kept: concatenate the chunks' csv in order.
 * Each chunk is a valid PartitionInput for forecastPartition.
 */
export function splitPartition(input: PartitionInput, n: number): PartitionInput[] {
  n = Math.max(n, Math.ceil(input.weight / MAX_CHUNK_SERIES)); // a site's weight is its number of series
  if (n <= 1) return [input];
  const d = input.data;
  const S = d.parts.length;
  if (S < 2 * n) return [input];
  const out: PartitionInput[] = [];
  for (let c = 0; c < n; c++) {
    const a = Math.floor((c * S) / n),
      b = Math.floor(((c + 1) * S) / n);
    if (b <= a) continue;
    const lo = d.off[a],
      hi = d.off[b];
    const off = new Int32Array(b - a + 1);
    for (let i = a; i <= b; i++) off[i - a] = d.off[i] - lo;
    const data: SiteSeries = {
      site: d.site,
      parts: d.parts.slice(a, b),
      off,
      per: d.per.slice(lo, hi),
      qty: d.qty.slice(lo, hi),
    };
    out.push({ site: input.site, weight: b - a, data });
  }
  return out;
}
