import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type { SeriesDto, SeriesKeyDto } from '../../../server/contract/dto.js';
import { SeriesStore } from '../../../client/src/lib/series.svelte.js';
import { LiveBus } from '../../../client/src/lib/live.js';
import { ok } from '../../../client/src/lib/result.js';
import { FakeApi, makeJob, tick } from './fakes.js';

const key = (i: number): SeriesKeyDto => ({
  partnumber: `P${i}`,
  site_code: 'S',
  method: 'ets',
  demand_class: 'smooth',
  volume: 100 - i,
});

function fakeSeriesApi() {
  const api = new FakeApi();
  const asked: string[] = [];
  api.seriesKeys = async (_id, q, limit) => {
    asked.push(`keys:${q}:${limit}`);
    return ok({ keys: [key(1), key(2)], total: 250 });
  };
  api.series = async (_id, k) => {
    asked.push(`series:${k.partnumber}`);
    return ok({ ...key(1), history: [], forecast: [] } satisfies SeriesDto);
  };
  return { api, asked };
}

describe('SeriesStore', () => {
  it('loads the keys and the first chart when job:updated says COMPLETED (page open while the job ran)', async () => {
    const { api, asked } = fakeSeriesApi();
    const bus = new LiveBus();
    const job = makeJob({ status: 'PROCESSING' });
    const store = new SeriesStore(api, job.id);
    const off = store.follow(bus);
    bus.emit('job:updated', { ...job, progress: 60 });
    bus.emit('job:updated', makeJob({ status: 'COMPLETED' })); // another job
    await tick();
    expect(asked).toEqual([]);
    bus.emit('job:updated', { ...job, status: 'COMPLETED', progress: 100 });
    await tick();
    await tick();
    expect(store.keys.map((k) => k.partnumber)).toEqual(['P1', 'P2']);
    expect(store.total).toBe(250);
    expect(store.data?.partnumber).toBe('P1');
    // A second COMPLETED push (and the page's own check) do not load again.
    bus.emit('job:updated', { ...job, status: 'COMPLETED', progress: 100 });
    await store.ready();
    expect(asked.filter((a) => a.startsWith('keys'))).toHaveLength(1);
    off();
  });

  it('tries again on the next push when the first load failed', async () => {
    const { api, asked } = fakeSeriesApi();
    const good = api.seriesKeys;
    let fail = true;
    api.seriesKeys = async (...a) =>
      fail ? { ok: false as const, error: { code: 'INTERNAL' as const, message: 'x' } } : good(...a);
    const bus = new LiveBus();
    const job = makeJob({ status: 'COMPLETED' });
    const store = new SeriesStore(api, job.id);
    store.follow(bus);
    await store.ready();
    expect(store.keys).toEqual([]);
    fail = false;
    bus.emit('job:updated', job);
    await tick();
    await tick();
    expect(store.keys).toHaveLength(2);
    expect(asked.some((a) => a.startsWith('keys'))).toBe(true);
  });
});
