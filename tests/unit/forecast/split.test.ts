import { describe, expect, it } from 'vitest';
import { MAX_CHUNK_SERIES, splitPartition } from '../../../server/forecast/series/split.js';
import type { SiteSeries } from '../../../server/forecast/series/group.js';

const site = (S: number): SiteSeries => {
  const per: number[] = [],
    qty: number[] = [],
    off = [0];
  for (let i = 0; i < S; i++) {
    for (let t = i % 3; t < 10; t += 3) {
      per.push(t);
      qty.push(i + t);
    }
    off.push(per.length);
  }
  return {
    site: 'S',
    parts: Array.from({ length: S }, (_, i) => `P${i}`),
    off: Int32Array.from(off),
    per: Int32Array.from(per),
    qty: Float64Array.from(qty),
  };
};
const input = (S: number) => ({ site: 'S', weight: S, data: site(S) });

describe('splitPartition', () => {
  it('keeps a small site whole when no split is asked, and splits into n chunks when asked', () => {
    expect(splitPartition(input(50), 1)).toHaveLength(1);
    expect(splitPartition(input(7), 4)).toHaveLength(1); // fewer than 2 series per chunk
    expect(splitPartition(input(50), 4).map((c) => c.weight)).toEqual([12, 13, 12, 13]);
  });
  it('splits a site too big for one task into chunks of at most MAX_CHUNK_SERIES, in order, losing nothing', () => {
    const S = 2 * MAX_CHUNK_SERIES + 1,
      whole = site(S);
    const chunks = splitPartition({ site: 'S', weight: S, data: whole }, 1);
    expect(chunks).toHaveLength(3);
    const ds = chunks.map((c) => c.data);
    for (const d of ds) expect(d.parts.length).toBeLessThanOrEqual(MAX_CHUNK_SERIES);
    expect(ds.flatMap((d) => d.parts)).toEqual(whole.parts);
    // every series keeps its own entries
    let i = 0;
    for (const d of ds)
      for (let k = 0; k < d.parts.length; k++, i++) {
        expect([...d.per.subarray(d.off[k], d.off[k + 1])]).toEqual([
          ...whole.per.subarray(whole.off[i], whole.off[i + 1]),
        ]);
        expect([...d.qty.subarray(d.off[k], d.off[k + 1])]).toEqual([
          ...whole.qty.subarray(whole.off[i], whole.off[i + 1]),
        ]);
      }
  });
});
