import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderedOutput, type PartitionMetrics, type PartitionResult } from '../../../server/forecast/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sparecast-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const acc = () => ({ n: 0, rmsse: 0, mase: 0, ae: 0, se: 0, cells: 0, f: 0, a: 0 });
const metrics: PartitionMetrics = {
  chosen: acc(),
  naive: acc(),
  sba: acc(),
  series: 0,
  scored: 0,
  classes: {},
  methods: {},
  total_model: 0,
  total_rounded: 0,
};
const chunk = (k: number, lines: number): PartitionResult => ({
  site: `S${k}`,
  rows: lines,
  csv: `${k},x${'y'.repeat(200)}\n`.repeat(lines),
  metrics,
});

describe('OrderedOutput', () => {
  it('writes chunks in order whatever order they arrive in, and keeps no listener per drain', async () => {
    const file = path.join(dir, 'a.csv');
    const out = new OrderedOutput(file, 'h');
    const stream = (out as unknown as { out: NodeJS.EventEmitter }).out;
    const order = [3, 0, 2, 1, ...Array.from({ length: 36 }, (_, i) => 39 - i)];
    const results = order.map((k) => ({ k, r: chunk(k, 500) })); // 100 KB each: every write waits for a drain
    await Promise.all(results.map(({ k, r }) => out.push(k, r)));
    expect(stream.listenerCount('error')).toBeLessThanOrEqual(2);
    expect(await out.finish()).toBe(40 * 500);
    const keys = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[0]));
    expect(keys).toEqual(Array.from({ length: 40 }, (_, k) => Array(500).fill(k)).flat());
    for (const { r } of results) expect(r.csv).toBe(''); // written chunks are not held
  });
  it('finish rejects when a chunk never arrived', async () => {
    const out = new OrderedOutput(path.join(dir, 'b.csv'), 'h');
    await out.push(1, chunk(1, 1));
    await expect(out.finish()).rejects.toThrow(/chunk 0 never arrived/);
    await out.abandon();
  });
});
