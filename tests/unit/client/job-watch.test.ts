import './runes-shim.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { JobWatch, LOG_LIMIT } from '../../../client/src/lib/job-watch.svelte.js';
import { LiveBus } from '../../../client/src/lib/live.js';
import { FakeApi, FakeCommands, makeJob, tick } from './fakes.js';

describe('JobWatch', () => {
  let api: FakeApi;
  let cmds: FakeCommands;
  let bus: LiveBus;
  let watch: JobWatch;

  beforeEach(() => {
    api = new FakeApi();
    cmds = new FakeCommands(api);
    bus = new LiveBus();
    watch = new JobWatch(api, cmds, bus);
  });

  it('loads from REST and subscribes once the socket connects', async () => {
    const j = makeJob({ status: 'PROCESSING', progress: 10 });
    api.jobs = [j];
    api.logs.set(j.id, [{ t: '2026-01-01T00:00:00Z', level: 'info', msg: 'started' }]);
    await watch.watch(j.id);
    expect(watch.job?.progress).toBe(10);
    expect(watch.log).toHaveLength(1);
    expect(cmds.subscribed).toEqual([]);
    bus.emit('connect', { recovered: false, first: true });
    await tick();
    expect(cmds.subscribed).toEqual([j.id]);
  });

  it('re-subscribes after an unrecovered reconnect only', async () => {
    const j = makeJob({ status: 'PROCESSING' });
    api.jobs = [j];
    bus.emit('connect', { recovered: false, first: true });
    await watch.watch(j.id);
    expect(cmds.subscribed).toEqual([j.id]);
    bus.emit('disconnect', 'transport close');
    bus.emit('connect', { recovered: true, first: false });
    await tick();
    expect(cmds.subscribed).toHaveLength(1);
    bus.emit('connect', { recovered: false, first: false });
    await tick();
    expect(cmds.subscribed).toHaveLength(2);
  });

  it('applies progress and log pushes for its job only, and ignores late progress after a stop', async () => {
    const j = makeJob({ status: 'PROCESSING', progress: 5 });
    api.jobs = [j];
    await watch.watch(j.id);
    const parts = { total: 3, completed: 1, skipped: 0, failed: 0 };
    bus.emit('job:progress', { id: j.id, progress: 15, stage: 'forecasting', stage_info: null, partitions: parts });
    bus.emit('job:progress', { id: 'other', progress: 99, stage: 'x', stage_info: null, partitions: parts });
    expect(watch.job).toMatchObject({ progress: 15, stage: 'forecasting', stage_info: null, partitions: parts });
    bus.emit('job:log', { id: j.id, lines: [{ t: '2026-01-01T00:00:01Z', level: 'warn', msg: 'site X skipped' }] });
    expect(watch.log.at(-1)?.msg).toBe('site X skipped');
    expect(await watch.stop()).toBe(true);
    expect(watch.job?.status).toBe('CANCELLED');
    expect(watch.running).toBe(false);
    const finalProgress = watch.job?.progress;
    bus.emit('job:progress', { id: j.id, progress: 20, stage: 'forecasting', stage_info: null, partitions: parts });
    expect(watch.job?.progress).toBe(finalProgress);
    expect(watch.job?.status).toBe('CANCELLED');
  });

  it('keeps at most LOG_LIMIT log lines', async () => {
    const j = makeJob();
    api.jobs = [j];
    await watch.watch(j.id);
    const lines = Array.from({ length: LOG_LIMIT + 50 }, (_, i) => ({
      t: '2026-01-01T00:00:00Z',
      level: 'info' as const,
      msg: `l${i}`,
    }));
    bus.emit('job:log', { id: j.id, lines });
    expect(watch.log).toHaveLength(LOG_LIMIT);
    expect(watch.log.at(-1)?.msg).toBe(`l${LOG_LIMIT + 49}`);
  });

  it('marks the job deleted and reports unknown ids as not found', async () => {
    const j = makeJob();
    api.jobs = [j];
    await watch.watch(j.id);
    bus.emit('job:deleted', { id: j.id });
    expect(watch.deleted).toBe(true);
    await watch.watch('nope');
    expect(watch.notFound).toBe(true);
    expect(watch.job).toBeNull();
  });

  it('unsubscribes when released and then ignores pushes', async () => {
    const j = makeJob({ status: 'PROCESSING' });
    api.jobs = [j];
    bus.emit('connect', { recovered: false, first: true });
    await watch.watch(j.id);
    watch.release();
    expect(cmds.unsubscribed).toEqual([j.id]);
    bus.emit('job:updated', { ...j, status: 'COMPLETED', progress: 100 });
    expect(watch.job?.status).toBe('PROCESSING');
  });
});
