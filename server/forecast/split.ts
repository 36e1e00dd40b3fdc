/** Splitting one site's partition into chunks of whole series, so one big site can use several threads. */
import type { PartitionInput } from './types.js';
import type { SiteSeries } from './series.js';

/**
 * Splits a partition into at most `n` chunks of consecutive series (same site, output order kept: concatenate
 * the chunks' csv in order). Each chunk is a valid PartitionInput for forecastPartition.
 */
export function splitPartition(input: PartitionInput, n: number): PartitionInput[] {
  const d = input.data as SiteSeries;
  const S = d.parts.length;
  if (n <= 1 || S < 2 * n) return [input];
  const out: PartitionInput[] = [];
  for (let c = 0; c < n; c++) {
    const a = Math.floor((c * S) / n), b = Math.floor(((c + 1) * S) / n);
    if (b <= a) continue;
    const lo = d.off[a], hi = d.off[b];
    const off = new Int32Array(b - a + 1);
    for (let i = a; i <= b; i++) off[i - a] = d.off[i] - lo;
    const data: SiteSeries = { site: d.site, parts: d.parts.slice(a, b), off, per: d.per.slice(lo, hi), qty: d.qty.slice(lo, hi) };
    out.push({ site: input.site, weight: b - a, data });
  }
  return out;
}
