import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type { TrackingDto, TrackingSummary } from '../../../server/contract/tracking.js';
import type { TrackingApi } from '../../../client/src/lib/tracking-api.js';
import { LiveBus } from '../../../client/src/lib/live.js';
import { fail, ok, type Result } from '../../../client/src/lib/result.js';
import { TrackingStore, type Timers } from '../../../client/src/lib/tracking.svelte.js';
import {
  accuracyRows,
  exceptionList,
  exceptionTotal,
  periodLabel,
  servicePairs,
  sourceView,
} from '../../../client/src/lib/tracking-view.js';
import { makeJob, tick } from './fakes.js';

const ID = '0123456789abcdef0123456789abcdef';
const LATER = 'fedcba9876543210fedcba9876543210';
const err = (rmsse: number | null, bias: number | null) => ({ rmsse, mase: rmsse, mae: 1, rmse: 1, bias_pct: bias });
const service = {
  evaluated: 50,
  promised_cycle_service: 0.95,
  achieved_cycle_service: 0.9,
  promised_fill_rate: null,
  achieved_fill_rate: null,
  fill_rate_series: 0,
};
const counts = { DEMAND_ABOVE_PLAN: 5, BIAS_DRIFT: 2, NEW_PART: 0, STOPPED_SELLING: 1 };

function ready(source: unknown = { kind: 'file', filename: 'a.csv', uploaded_at: '2026-01-01T00:00:00Z' }) {
  const summary: TrackingSummary = {
    frequency: 'M',
    origin: '2001-03-01',
    periods: { count: 12, first: '2001-04-01', last: '2002-03-01', forecast: 12 },
    series: { total: 60, in_actuals: 60, in_forecast: 60, scored: 55, excluded_no_history: 5, excluded_zero_scale: 0 },
    accuracy: { ...err(0.9, -4), naive: err(1.1, 10), sba: err(0.95, 2) },
    totals: { forecast: 1000, actual: 1040 },
    service,
    by_site: [],
    by_class: [],
    exceptions: counts,
    rows_ignored: { before_origin: 0, after_window: 0, other_sites: 0 },
    warnings: [],
  };
  return { ...summary, state: 'ready', job_id: ID, source } as TrackingDto;
}

describe('tracking view values', () => {
  it('names a month by its month, a day or week by its day, in the page’s language', () => {
    expect(periodLabel('2001-04-01', 'M', 'en-GB')).toBe('Apr 2001');
    expect(periodLabel('2001-04-01', 'M', 'id-ID')).toBe('Apr 2001');
    expect(periodLabel('2002-08-01', 'M', 'id-ID')).toBe('Agu 2002');
    expect(periodLabel('2024-03-04', 'W', 'en-GB')).toBe('4 Mar 2024');
    expect(periodLabel('2024-03-04', 'D', 'id-ID')).toBe('4 Mar 2024');
  });

  it('reads a file source, a later job by job_id, id or bare id, and nothing else', () => {
    expect(sourceView({ kind: 'file', filename: 'a.csv', uploaded_at: 'T' })).toEqual({
      kind: 'file',
      filename: 'a.csv',
      uploaded_at: 'T',
    });
    expect(sourceView({ kind: 'job', job_id: LATER, name: 'April' })).toEqual({
      kind: 'job',
      id: LATER,
      name: 'April',
    });
    expect(sourceView({ kind: 'job', id: LATER, filename: 'b.csv' })).toEqual({
      kind: 'job',
      id: LATER,
      name: 'b.csv',
    });
    expect(sourceView(LATER)).toEqual({ kind: 'job', id: LATER, name: null });
    expect(sourceView('not-an-id')).toBeNull();
    expect(sourceView({ kind: 'job' })).toBeNull();
    expect(sourceView(null)).toBeNull();
  });

  it('puts the forecast next to its baselines and marks the best (lowest error, bias nearest 0)', () => {
    const rows = accuracyRows({ ...err(0.9, -4), naive: err(1.1, 10), sba: err(0.95, 2) });
    expect(rows.map((r) => [r.metric, r.job, r.naive, r.sba, r.best])).toEqual([
      ['rmsse', 0.9, 1.1, 0.95, 'job'],
      ['mase', 0.9, 1.1, 0.95, 'job'],
      ['bias_pct', -4, 10, 2, 'sba'],
    ]);
    const none = accuracyRows({ ...err(null, null), naive: err(null, null), sba: err(2, null) });
    expect(none.map((r) => r.best)).toEqual(['sba', 'sba', null]);
  });

  it('pairs promised and achieved service, the fill rate only where there is one', () => {
    expect(servicePairs(service)).toEqual([
      { kind: 'cycle', promised: 0.95, achieved: 0.9, gap: expect.closeTo(-5, 6), short: true },
    ]);
    const both = servicePairs({
      ...service,
      achieved_cycle_service: 0.953,
      promised_fill_rate: 0.98,
      achieved_fill_rate: 0.99,
    });
    expect(both.map((p) => [p.kind, p.short])).toEqual([
      ['cycle', false],
      ['fill', false],
    ]);
    expect(both[1].gap).toBeCloseTo(1, 6);
  });

  it('lists every exception code in the contract order, zeros included', () => {
    expect(exceptionList(counts)).toEqual([
      { code: 'DEMAND_ABOVE_PLAN', count: 5 },
      { code: 'BIAS_DRIFT', count: 2 },
      { code: 'NEW_PART', count: 0 },
      { code: 'STOPPED_SELLING', count: 1 },
    ]);
    expect(exceptionTotal(counts)).toBe(8);
  });
});

class FakeTrackingApi implements TrackingApi {
  gets: Result<TrackingDto>[] = [];
  sent: string[] = [];
  removed = 0;
  sendAnswer: Result<TrackingDto> = ok(ready());
  removeAnswer: Result<void> = ok(undefined);
  asked = 0;
  get() {
    this.asked += 1;
    return Promise.resolve(this.gets.shift() ?? ok<TrackingDto>({ state: 'none', job_id: ID }));
  }
  send(_id: string, file: { name: string }) {
    this.sent.push(file.name);
    return Promise.resolve(this.sendAnswer);
  }
  remove() {
    this.removed += 1;
    return Promise.resolve(this.removeAnswer);
  }
  rows(_id: string, q: { page_size: number }) {
    return Promise.resolve(
      ok({ state: 'none' as const, total: 0, page: 1, page_size: q.page_size, periods: [], rows: [] }),
    );
  }
}

class ManualTimers implements Timers {
  queue: { fn: () => void; ms: number }[] = [];
  set(fn: () => void, ms: number) {
    const h = { fn, ms };
    this.queue.push(h);
    return h;
  }
  clear(h: unknown) {
    this.queue = this.queue.filter((q) => q !== h);
  }
  async fire() {
    const next = this.queue.shift();
    next?.fn();
    await tick();
    await tick();
    return next?.ms;
  }
}

const file = (name: string) => new File(['x'], name);

describe('TrackingStore', () => {
  it('waits for a running job, loads once it completes, and shows the empty state', async () => {
    const api = new FakeTrackingApi();
    const store = new TrackingStore(api, ID, new ManualTimers());
    store.sync(makeJob({ status: 'PROCESSING' }));
    expect(store.phase).toBe('waiting');
    expect(api.asked).toBe(0);
    store.sync(makeJob({ status: 'COMPLETED' }));
    await tick();
    expect(store.phase).toBe('none');
    store.sync(makeJob({ status: 'COMPLETED' }));
    await tick();
    expect(api.asked).toBe(1);
    store.sync(makeJob({ status: 'FAILED' }));
    expect(store.phase).toBe('unavailable');
  });

  it('an upload shows the tracking it answers; a refused file keeps the page as it was with the error', async () => {
    const api = new FakeTrackingApi();
    const store = new TrackingStore(api, ID, new ManualTimers());
    store.sync(makeJob({ status: 'COMPLETED', has_actuals: false }));
    await tick();
    api.sendAnswer = fail('MISSING_COLUMNS', 'demand_qty is missing');
    expect(await store.send(file('bad.csv'))).toBe(false);
    expect(store.phase).toBe('none');
    expect(store.sendError?.code).toBe('MISSING_COLUMNS');
    expect(store.refused).toBe('bad.csv');
    api.sendAnswer = ok(ready());
    expect(await store.send(file('good.csv'))).toBe(true);
    expect(api.sent).toEqual(['bad.csv', 'good.csv']);
    expect(store.phase).toBe('ready');
    expect(store.sendError).toBeNull();
    expect(store.data?.periods.count).toBe(12);
  });

  it('remove goes back to the empty state; a refused remove keeps the tracking and says why', async () => {
    const api = new FakeTrackingApi();
    api.gets.push(ok(ready()));
    const store = new TrackingStore(api, ID, new ManualTimers());
    store.sync(makeJob({ status: 'COMPLETED', has_actuals: true }));
    await tick();
    expect(store.phase).toBe('ready');
    api.removeAnswer = fail('FORBIDDEN', 'no');
    expect(await store.remove()).toBe(false);
    expect(store.phase).toBe('ready');
    expect(store.removeError?.code).toBe('FORBIDDEN');
    api.removeAnswer = ok(undefined);
    expect(await store.remove()).toBe(true);
    expect(store.phase).toBe('none');
    expect(store.data).toBeNull();
  });

  it('keeps a load error for Try again, and reloads when the job says its actuals changed', async () => {
    const api = new FakeTrackingApi();
    api.gets.push(fail('INTERNAL', 'boom'));
    const store = new TrackingStore(api, ID, new ManualTimers());
    store.sync(makeJob({ status: 'COMPLETED', has_actuals: false }));
    await tick();
    expect(store.phase).toBe('error');
    await store.load();
    expect(store.phase).toBe('none');
    api.gets.push(ok(ready()));
    store.sync(makeJob({ status: 'COMPLETED', has_actuals: true }));
    await tick();
    expect(store.phase).toBe('ready');
    expect(api.asked).toBe(3);
  });

  it('after another job completes, asks a few times until the later job’s tracking shows, then stops', async () => {
    const api = new FakeTrackingApi();
    const timers = new ManualTimers();
    const bus = new LiveBus();
    const store = new TrackingStore(api, ID, timers, [10, 20, 30]);
    const off = store.follow(bus);
    store.sync(makeJob({ status: 'COMPLETED' }));
    await tick();
    bus.emit('job:updated', makeJob({ id: ID, status: 'COMPLETED' })); // itself: nothing to ask
    bus.emit('job:updated', makeJob({ id: LATER, status: 'PROCESSING' }));
    expect(timers.queue).toEqual([]);
    bus.emit('job:updated', makeJob({ id: LATER, status: 'COMPLETED' }));
    expect(store.polling).toBe(true);
    expect(await timers.fire()).toBe(10); // still none
    expect(store.phase).toBe('none');
    api.gets.push(ok(ready({ kind: 'job', job_id: LATER })));
    expect(await timers.fire()).toBe(20);
    expect(store.phase).toBe('ready');
    expect(sourceView(store.data?.source)).toEqual({ kind: 'job', id: LATER, name: null });
    expect(store.polling).toBe(false);
    expect(timers.queue).toEqual([]);
    // nothing new: it gives up after the last delay
    bus.emit('job:updated', makeJob({ id: 'other', status: 'COMPLETED' }));
    api.gets.push(ok(ready({ kind: 'job', job_id: LATER })), ok(ready({ kind: 'job', job_id: LATER })));
    api.gets.push(ok(ready({ kind: 'job', job_id: LATER })));
    for (let i = 0; i < 3; i++) await timers.fire();
    expect(store.polling).toBe(false);
    expect(timers.queue).toEqual([]);
    expect(api.asked).toBe(6);
    off();
  });
});
