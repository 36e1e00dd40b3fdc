import './runes-shim.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore, PAGE_SIZE } from '../../../client/src/lib/history.svelte.js';
import { LiveBus } from '../../../client/src/lib/live.js';
import { FakeApi, FakeCommands, makeJob, tick } from './fakes.js';
import { permissionsFor } from '../../../client/src/lib/permissions.js';

describe('HistoryStore', () => {
  let api: FakeApi;
  let bus: LiveBus;
  let store: HistoryStore;

  beforeEach(async () => {
    api = new FakeApi();
    bus = new LiveBus();
    store = new HistoryStore(api, new FakeCommands(api), bus, { refillDelayMs: 0 });
  });

  const ids = () => store.jobs.map((j) => j.id);

  it('loads page 1 newest first, 20 per page', async () => {
    api.jobs = Array.from({ length: 25 }, () => makeJob({ status: 'COMPLETED' }));
    store.start();
    await tick();
    expect(store.jobs).toHaveLength(PAGE_SIZE);
    expect(store.total).toBe(25);
    expect(store.pages).toBe(2);
    expect(store.jobs[0]!.id).toBe(api.jobs[24]!.id);
    expect(api.listCalls[0]).toMatchObject({ page: 1, page_size: 20, sort: 'created_desc', status: [] });
  });

  it('prepends job:created on page 1 and keeps the page at 20 rows', async () => {
    api.jobs = Array.from({ length: 20 }, () => makeJob());
    store.start();
    await tick();
    const fresh = makeJob();
    bus.emit('job:created', fresh);
    expect(ids()[0]).toBe(fresh.id);
    expect(store.jobs).toHaveLength(20);
    expect(store.total).toBe(21);
  });

  it('ignores a created job that does not pass the filter or search', async () => {
    store.start();
    await store.setFilter(['COMPLETED']);
    bus.emit('job:created', makeJob({ status: 'QUEUED' }));
    await store.setFilter([]);
    await store.setQuery('forecast-may');
    bus.emit('job:created', makeJob({ filename: 'other.csv' }));
    expect(store.jobs).toHaveLength(0);
    bus.emit('job:created', makeJob({ filename: 'Forecast-May.xlsx' }));
    expect(store.jobs).toHaveLength(1);
  });

  it('applies job:updated in place (status, progress) and never moves a job backwards', async () => {
    const j = makeJob({ status: 'PROCESSING', progress: 10 });
    api.jobs = [j];
    store.start();
    await tick();
    bus.emit('job:updated', { ...j, progress: 40 });
    expect(store.jobs[0]!.progress).toBe(40);
    bus.emit('job:updated', { ...j, status: 'CANCELLED', progress: 41 });
    expect(store.jobs[0]!.status).toBe('CANCELLED');
    // a late push from before the stop must not resurrect the job
    bus.emit('job:updated', { ...j, status: 'PROCESSING', progress: 45 });
    expect(store.jobs[0]!.status).toBe('CANCELLED');
  });

  it('drops a row that leaves the status filter and refills the page from REST', async () => {
    const running = makeJob({ status: 'PROCESSING' });
    api.jobs = [running, makeJob({ status: 'PROCESSING' })];
    store.start();
    await store.setFilter(['PROCESSING']);
    expect(store.jobs).toHaveLength(2);
    running.status = 'COMPLETED';
    bus.emit('job:updated', { ...running });
    expect(ids()).not.toContain(running.id);
    expect(store.total).toBe(1);
  });

  it('removes a row on job:deleted, from the selection too', async () => {
    const a = makeJob({ status: 'COMPLETED' });
    const b = makeJob({ status: 'FAILED' });
    api.jobs = [a, b];
    store.start();
    await tick();
    store.toggle(a.id);
    expect(store.selected).toEqual([a.id]);
    api.jobs = [b];
    bus.emit('job:deleted', { id: a.id });
    expect(ids()).toEqual([b.id]);
    expect(store.selected).toEqual([]);
    expect(store.total).toBe(1);
  });

  it('replays pushes that arrive while a page is loading (no lost delete)', async () => {
    const a = makeJob({ status: 'COMPLETED' });
    const b = makeJob({ status: 'PROCESSING', progress: 5 });
    api.jobs = [a, b];
    let open!: () => void;
    api.gate = new Promise((r) => (open = r));
    // no refill in between: the answer itself must already be corrected by the replay
    store = new HistoryStore(api, new FakeCommands(api), bus, { refillDelayMs: 60_000 });
    store.start();
    // the server answered with a snapshot, then these pushes overtake the HTTP answer
    bus.emit('job:deleted', { id: a.id });
    bus.emit('job:updated', { ...b, progress: 60 });
    open();
    await tick();
    await tick();
    expect(ids()).toEqual([b.id]);
    expect(store.jobs[0]!.progress).toBe(60);
    store.stop();
  });

  it('resyncs from REST after a reconnect that was not recovered, not after a recovered one', async () => {
    store.start();
    await tick();
    const calls = api.listCalls.length;
    bus.emit('connect', { recovered: true, first: false });
    await tick();
    expect(api.listCalls.length).toBe(calls);
    api.jobs = [makeJob()];
    bus.emit('connect', { recovered: false, first: false });
    await tick();
    expect(api.listCalls.length).toBe(calls + 1);
    expect(store.jobs).toHaveLength(1);
    // the first connect after the page loaded also refetches: pushes before it were never received
    bus.emit('connect', { recovered: false, first: true });
    await tick();
    expect(api.listCalls.length).toBe(calls + 2);
  });

  it('selects only finished jobs and bulk-deletes them', async () => {
    const done = makeJob({ status: 'COMPLETED' });
    const failed = makeJob({ status: 'FAILED' });
    const running = makeJob({ status: 'PROCESSING' });
    api.jobs = [done, failed, running];
    store.start();
    await tick();
    store.toggle(running.id);
    expect(store.selected).toEqual([]);
    store.toggleAll();
    expect([...store.selected].sort()).toEqual([done.id, failed.id].sort());
    expect(store.allSelected).toBe(true);
    const n = await store.deleteSelected();
    expect(n).toBe(2);
    expect(ids()).toEqual([running.id]);
  });

  it('force-deletes a running job and stops one through the socket commands', async () => {
    const a = makeJob({ status: 'PROCESSING' });
    const b = makeJob({ status: 'QUEUED' });
    api.jobs = [a, b];
    store.start();
    await tick();
    expect(await store.deleteJob(a.id, false)).toBe(false);
    expect(store.error?.code).toBe('JOB_NOT_FINISHED');
    expect(await store.deleteJob(a.id, true)).toBe(true);
    expect(ids()).toEqual([b.id]);
    expect(await store.stopJob(b.id)).toBe(true);
    expect(store.jobs[0]!.status).toBe('CANCELLED');
  });

  it('stops listening when stopped', async () => {
    store.start();
    await tick();
    store.stop();
    bus.emit('job:created', makeJob());
    expect(store.jobs).toHaveLength(0);
  });

  it('a planner can select only their own finished jobs for bulk delete', async () => {
    const can = permissionsFor({ username: 'pat', role: 'planner' });
    const own = new HistoryStore(api, new FakeCommands(api), bus, {
      refillDelayMs: 0,
      mayDelete: (j) => can.deleteJob(j),
    });
    const mine = makeJob({ status: 'COMPLETED', created_by: 'pat' });
    const theirs = makeJob({ status: 'COMPLETED', created_by: 'ada' });
    const running = makeJob({ status: 'PROCESSING', created_by: 'pat' });
    api.jobs = [mine, theirs, running];
    own.start();
    await tick();
    own.toggleAll();
    expect(own.selected).toEqual([mine.id]);
    expect(own.allSelected).toBe(true);
    own.toggle(theirs.id);
    expect(own.selected).toEqual([mine.id]);
    own.stop();
  });
});
