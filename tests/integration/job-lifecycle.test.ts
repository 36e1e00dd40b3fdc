/**
 * The product's core promises, against the real server: real SQLite file, real worker threads,
 * real engine, two socket.io clients.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import {
  api,
  bootServer,
  emitAck,
  filesIn,
  uploadJob,
  waitFor,
  type Client,
  type TestServer,
} from '../helpers/server.js';
import { demandFile } from '../helpers/data.js';

let s: TestServer;
let a: Client;
let b: Client;
let big: Buffer;
const sample = readFileSync(new URL('../../server/assets/sample-demand.csv', import.meta.url));

beforeAll(async () => {
  big = readFileSync(await demandFile(10));
  s = await bootServer();
  a = await s.client();
  b = await s.client();
});
afterAll(async () => {
  await s.stop();
});

const isFinalUpdate = (id: string) => (j: JobDto) =>
  j.id === id && ['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status);

describe('job lifecycle', () => {
  it('stops a job at ~15 %: both clients see CANCELLED at once, upload kept, no output, pool free', async () => {
    const created = waitFor(b, 'job:created', () => true);
    const up = await uploadJob(s.url, { name: 'big.csv', content: big }, { forecast_horizon: 30 });
    expect(up.status).toBe(201);
    const id = up.body.id;
    expect((await created).id).toBe(id);
    const sub = await emitAck(b, 'job:subscribe', { id });
    expect(sub.ok).toBe(true);

    const p = await waitFor(b, 'job:progress', (x) => x.id === id && x.progress >= 15, 60_000);
    expect(p.progress).toBeLessThan(100);

    const seenA = waitFor(a, 'job:updated', isFinalUpdate(id));
    const seenB = waitFor(b, 'job:updated', isFinalUpdate(id));
    const t0 = performance.now();
    const ack = await emitAck(a, 'job:stop', { id });
    const [ja, jb] = await Promise.all([seenA, seenB]);
    const latency = performance.now() - t0;
    expect(ack.ok).toBe(true);
    for (const j of [ja, jb]) {
      expect(j.status).toBe('CANCELLED');
      expect(j.error_message).toBe('Cancelled by user');
      expect(j.progress).toBe(0);
      // where it had got to is kept, so a page opened later can say "stopped at 16 %"
      expect(j.stopped_progress).toBeGreaterThanOrEqual(p.progress);
      expect(j.stopped_progress).toBeLessThan(100);
      expect(j.completed_at).not.toBeNull();
      expect(j.has_output).toBe(false);
    }
    expect(latency).toBeLessThan(2000); // the product promise; the benchmark measures the real figure

    // No late progress after the stop, the thread is gone, the pool is free.
    let late = 0;
    b.on('job:progress', (x) => x.id === id && late++);
    await new Promise((r) => setTimeout(r, 300));
    expect(late).toBe(0);
    const health = await api<{ pool: { busy: number; queued: number } }>(s.url, 'GET', '/api/health');
    expect(health.body.pool).toMatchObject({ busy: 0, queued: 0 });
    expect(filesIn(s.storage, 'uploads')).toEqual([`${id}.csv`]);
    expect(filesIn(s.storage, 'outputs')).toEqual([]);
    // The partial output in tmp/ goes as the run unwinds, just after the threads are free.
    await expect.poll(() => filesIn(s.storage, 'tmp'), { timeout: 2_000 }).toEqual([]);
    const row = await api<JobDto>(s.url, 'GET', `/api/jobs/${id}`);
    expect(row.body.status).toBe('CANCELLED');
    expect(row.body.stopped_progress).toBe(ja.stopped_progress);
    expect((await api(s.url, 'GET', `/api/jobs/${id}/download`)).status).toBe(409);
    expect((await api(s.url, 'POST', `/api/jobs/${id}/stop`)).status).toBe(409);
  });

  it('force-deletes a running job: everyone gets job:deleted, row and files gone', async () => {
    const up = await uploadJob(s.url, { name: 'big.csv', content: big }, { forecast_horizon: 30 });
    const id = up.body.id;
    await waitFor(a, 'job:updated', (j) => j.id === id && j.status === 'PROCESSING' && j.progress > 0, 60_000);
    expect((await api(s.url, 'DELETE', `/api/jobs/${id}`)).status).toBe(409);
    const goneA = waitFor(a, 'job:deleted', (x) => x.id === id);
    const goneB = waitFor(b, 'job:deleted', (x) => x.id === id);
    const ack = await emitAck(b, 'job:delete', { id, force: true });
    expect(ack).toEqual({ ok: true, data: { id } });
    await Promise.all([goneA, goneB]);
    expect((await api(s.url, 'GET', `/api/jobs/${id}`)).status).toBe(404);
    expect(filesIn(s.storage, 'uploads').filter((f) => f.startsWith(id))).toEqual([]);
    expect(filesIn(s.storage, 'outputs')).toEqual([]);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });

  it('completes a forecast, serves the CSV, then deletes it with its files', async () => {
    const up = await uploadJob(
      s.url,
      { name: 'sample demand.csv', content: sample },
      { forecast_horizon: 14, rounding_mode: 'round' },
    );
    expect(up.status).toBe(201);
    expect(up.body.config.rounding_mode).toBe('half_even');
    const id = up.body.id;
    const done = await waitFor(a, 'job:updated', isFinalUpdate(id), 60_000);
    expect(done.status).toBe('COMPLETED');
    expect(done.progress).toBe(100);
    expect(done.has_output).toBe(true);
    expect(done.rows).toBeGreaterThan(10_000);
    expect(done.partitions.completed).toBe(done.partitions.total);
    expect(done.metrics?.chosen.rmsse).toBeGreaterThan(0);

    const res = await fetch(`${s.url}/api/jobs/${id}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?sample_demand-forecast-[0-9a-f]+\.csv"?$/,
    );
    const lines = (await res.text()).trimEnd().split('\n');
    expect(lines[0].startsWith('date,partnumber,site_code,forecast_qty,forecast_qty_raw,forecast_qty_raw_model')).toBe(
      true,
    );
    expect(lines.length - 1).toBeGreaterThan(1000);
    expect((lines.length - 1) % 14).toBe(0); // 14 periods for every series

    const log = await api<{ lines: { msg: string }[] }>(s.url, 'GET', `/api/jobs/${id}/log`);
    expect(log.body.lines.some((l) => l.msg.startsWith('Completed'))).toBe(true);

    // The chart's data: keys, then one series' history (from the upload) and forecast (from the output).
    const keys = await api<{ keys: { partnumber: string; site_code: string; method: string }[] }>(
      s.url,
      'GET',
      `/api/jobs/${id}/series/keys?limit=5`,
    );
    expect(keys.body.keys).toHaveLength(5);
    const k = keys.body.keys[0];
    const some = await api<{ keys: { partnumber: string }[] }>(
      s.url,
      'GET',
      `/api/jobs/${id}/series/keys?q=${k.partnumber.slice(-6)}`,
    );
    expect(some.body.keys.every((x) => x.partnumber.includes(k.partnumber.slice(-6)))).toBe(true);
    type Series = {
      method: string;
      history: { date: string; qty: number }[];
      forecast: { date: string; qty: number; lo: number; hi: number }[];
    };
    const one = await api<Series>(
      s.url,
      'GET',
      `/api/jobs/${id}/series?partnumber=${encodeURIComponent(k.partnumber)}&site_code=${encodeURIComponent(k.site_code)}`,
    );
    expect(one.status).toBe(200);
    expect(one.body.method).toBe(k.method);
    expect(one.body.forecast).toHaveLength(14);
    expect(one.body.history.length).toBeGreaterThan(300);
    expect(one.body.history.some((h) => h.qty > 0)).toBe(true);
    expect(one.body.forecast[0].date > one.body.history.at(-1)!.date).toBe(true);
    expect((await api(s.url, 'GET', `/api/jobs/${id}/series?partnumber=nope&site_code=X`)).status).toBe(404);

    const gone = waitFor(b, 'job:deleted', (x) => x.id === id);
    expect((await api(s.url, 'DELETE', `/api/jobs/${id}`)).status).toBe(204);
    await gone;
    expect((await api(s.url, 'GET', `/api/jobs/${id}`)).status).toBe(404);
    expect(filesIn(s.storage, 'uploads').filter((f) => f.startsWith(id))).toEqual([]);
    expect(filesIn(s.storage, 'outputs')).toEqual([]);
  });

  it('previews a file before running it (off the event loop), with readable errors', async () => {
    const form = new FormData();
    form.append('file', new Blob([sample]), 'sample.csv');
    const res = await fetch(`${s.url}/api/preview`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const p = (await res.json()) as {
      rows: number;
      sites: string[];
      frequency: string;
      date_order: string;
      duplicates: number;
      columns: Record<string, string>;
    };
    expect(p).toMatchObject({ rows: 12_419, frequency: 'D', date_order: 'MDY' });
    expect(p.sites).toHaveLength(13);
    expect(p.duplicates).toBeGreaterThan(0);
    expect(p.columns.partnumber).toBe('partnumber');
    const bad = new FormData();
    bad.append('file', new Blob(['qty,when\n1,2024-01-01\n']), 'bad.csv');
    const r2 = await fetch(`${s.url}/api/preview`, { method: 'POST', body: bad });
    expect(r2.status).toBe(400);
    expect(((await r2.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'MISSING_COLUMNS',
    });
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });

  it('answers 404 for unknown jobs and 409 where the status forbids the action', async () => {
    for (const [m, p] of [
      ['GET', '/api/jobs/nope'],
      ['POST', '/api/jobs/nope/stop'],
      ['DELETE', '/api/jobs/nope'],
      ['GET', '/api/jobs/nope/download'],
      ['GET', '/api/jobs/nope/log'],
      ['GET', '/api/jobs/..%2F..%2Fetc/download'],
    ] as const) {
      const r = await api<{ error: { code: string } }>(s.url, m, p);
      expect(r.status, `${m} ${p}`).toBe(404);
      expect(r.body.error.code).toMatch(/NOT_FOUND/);
    }
    const ack = await emitAck(a, 'job:stop', { id: 'nope' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });
    const bad = await emitAck(a, 'job:stop', { id: 42 } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  });

  it('lists jobs newest first with filters and paging', async () => {
    const ids: string[] = [];
    for (const name of ['alpha.csv', 'beta.csv']) {
      const up = await uploadJob(s.url, { name, content: sample }, { forecast_horizon: 7 });
      ids.push(up.body.id);
      await emitAck(a, 'job:stop', { id: up.body.id });
    }
    const all = await api<{ total: number; jobs: JobDto[] }>(s.url, 'GET', '/api/jobs?status=CANCELLED&page_size=50');
    const names = all.body.jobs.map((j) => j.filename);
    expect(names.indexOf('beta.csv')).toBeLessThan(names.indexOf('alpha.csv'));
    const q = await api<{ total: number; jobs: JobDto[] }>(s.url, 'GET', '/api/jobs?q=alph');
    expect(q.body.jobs.map((j) => j.filename)).toEqual(['alpha.csv']);
    const page = await api<{ total: number; page_size: number; jobs: JobDto[] }>(
      s.url,
      'GET',
      '/api/jobs?page=1&page_size=1',
    );
    expect(page.body.jobs).toHaveLength(1);
    expect(page.body.total).toBeGreaterThanOrEqual(2);
    expect((await api(s.url, 'GET', '/api/jobs?status=BOGUS')).status).toBe(400);
    for (const id of ids) expect((await api(s.url, 'DELETE', `/api/jobs/${id}`)).status).toBe(204);
  });
});
