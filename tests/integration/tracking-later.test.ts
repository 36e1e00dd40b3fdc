/**
 * A later job as a job's actuals, on the real server, pool and SQLite: job 1 on 60 carparts parts without
 * their last 12 months; a job on the same parts with 6 more months, then one with all 12, each become job 1's
 * source by themselves when they complete (the newest wins), with the same figures as sending those months as
 * a file; a file sent wins over them; deleting the source moves job 1 on to the next later job, then to none.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import type { TrackingDto, TrackingRowsDto } from '../../server/contract/tracking.js';
import { api, bootServer, filesIn, type TestServer } from '../helpers/server.js';
import { sendJob, untilFinal } from './inventory-support.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tracking');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sparecast-tracking-later-'));
const lines = (f: string) => readFileSync(path.join(FIXTURES, f), 'utf8').trimEnd().split('\n');
const partsLines = lines('carparts-parts.csv');
const chosen = new Set(partsLines.slice(1, 61).map((l) => l.split(',')[0]));
const [trainHead, ...trainRows] = lines('carparts-train.csv');
const [testHead, ...testRows] = lines('carparts-test.csv');
const train = trainRows.filter((l) => chosen.has(l.split(',')[2]));
// the later months in the train file's column order (demand_qty,date,partnumber,site_code)
const later = testRows
  .filter((l) => chosen.has(l.split(',')[1]))
  .map((l) => {
    const [date, part, site, qty] = l.split(',');
    return { date, row: [qty, date, part, site].join(',') };
  });
const file = (rows: string[]) => `${[trainHead, ...rows].join('\n')}\n`;
const parts = { name: 'parts.csv', content: `${[partsLines[0], ...partsLines.slice(1, 61)].join('\n')}\n` };
const testFile = `${[testHead, ...testRows.filter((l) => chosen.has(l.split(',')[1]))].join('\n')}\n`;

type Err = { error?: { code: string; message: string } };
let s: TestServer;
let job1: JobDto, job2: JobDto, job3: JobDto;
const tracking = (id: string) => api<TrackingDto>(s.url, 'GET', `/api/jobs/${id}/tracking`);
async function run(rows: string[]): Promise<JobDto> {
  const up = await sendJob(s.url, file(rows), parts, { forecast_horizon: 12 });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const j = await untilFinal(s.url, up.body.id, 120_000);
  expect(j.status, j.error_message ?? '').toBe('COMPLETED');
  return j;
}
/** job `id`'s tracking once its source is `want` (a job id, or null for none). */
async function until(id: string, want: string | null, ms = 60_000): Promise<TrackingDto> {
  const end = Date.now() + ms;
  for (;;) {
    const t = (await tracking(id)).body;
    const at = t.state === 'ready' && t.source.kind === 'job' ? t.source.job_id : null;
    if (at === want && (want !== null || t.state === 'none')) return t;
    if (Date.now() > end) throw new Error(`job ${id}'s source stayed ${at} (${t.state})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function sendActuals(content: string, id: string) {
  const form = new FormData();
  form.append('file', new Blob([content]), 'realisasi.csv');
  const res = await fetch(`${s.url}/api/jobs/${id}/actuals`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as TrackingDto };
}
/** The figures of a tracking, without where the actuals came from and which rows of them were not counted. */
function figures(t: TrackingDto) {
  if (t.state !== 'ready') throw new Error('no tracking');
  const { source: _s, rows_ignored: _r, warnings: _w, ...rest } = t;
  return rest;
}

beforeAll(async () => {
  s = await bootServer();
  job1 = await run(train);
}, 200_000);
afterAll(async () => {
  await s.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a later job as the actuals of an earlier one', () => {
  it('is found by itself when it completes, the newest one winning, with the figures of the file', async () => {
    expect((await tracking(job1.id)).body).toEqual({ state: 'none', job_id: job1.id });
    // 6 more months: job 1's source, over 6 periods
    job3 = await run([...train, ...later.filter((l) => l.date < '2001-10-01').map((l) => l.row)]);
    const six = await until(job1.id, job3.id);
    if (six.state !== 'ready') throw new Error('no tracking');
    expect(six.source).toMatchObject({ kind: 'job', job_id: job3.id, filename: 'demand.csv' });
    expect(six.periods).toMatchObject({ count: 6, first: '2001-04-01', last: '2001-09-01', forecast: 12 });
    expect((await api<JobDto>(s.url, 'GET', `/api/jobs/${job1.id}`)).body.has_actuals).toBe(true);
    // all 12: the newest covering job wins
    job2 = await run([...train, ...later.map((l) => l.row)]);
    const auto = await until(job1.id, job2.id);
    if (auto.state !== 'ready') throw new Error('no tracking');
    expect(auto.periods).toMatchObject({ count: 12, first: '2001-04-01', last: '2002-03-01' });
    expect(auto.series.scored).toBeGreaterThan(40);
    expect(auto.service.evaluated).toBeGreaterThan(40);
    // the later job itself has nothing after its history
    expect((await tracking(job2.id)).body.state).toBe('none');
    // job 3 is judged by job 2 too
    expect((await until(job3.id, job2.id)).state).toBe('ready');
    expect(filesIn(s.storage, 'outputs')).toContain(`${job1.id}.csv.tracking.json`);

    // the later 12 months sent as a file: the same figures; the file wins while it is there
    const sent = await sendActuals(testFile, job1.id);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(figures(sent.body)).toEqual(figures(auto));
    const now = (await tracking(job1.id)).body;
    expect(now.state === 'ready' && now.source.kind).toBe('file');
    expect((await api(s.url, 'DELETE', `/api/jobs/${job1.id}/actuals`)).status).toBe(204);
    expect(figures(await until(job1.id, job2.id))).toEqual(figures(auto));
    // a lost cache is computed again, to the same figures
    rmSync(path.join(s.storage, 'outputs', `${job1.id}.csv.tracking.json`));
    expect(figures((await tracking(job1.id)).body)).toEqual(figures(auto));
  }, 400_000);

  it('serves the per-series rows paged, searchable, filtered and sorted like the plan rows', async () => {
    const t = (await tracking(job1.id)).body;
    if (t.state !== 'ready') throw new Error('no tracking');
    const rows = (query: string) =>
      api<TrackingRowsDto & Err>(s.url, 'GET', `/api/jobs/${job1.id}/tracking/rows?${query}`);
    const all = (await rows('page_size=500')).body;
    expect(all.state).toBe('ready');
    expect(all.total).toBe(t.series.total);
    expect(all.periods).toHaveLength(12);
    expect(all.periods[0]).toBe('2001-04-01');
    for (const r of all.rows) {
      expect(r.forecast).toHaveLength(12);
      expect(r.actual).toHaveLength(12);
      expect(r.actual.reduce((a, b) => a + b, 0)).toBe(r.actual_total);
    }
    // the default order: biggest actual demand first
    const totals = all.rows.map((r) => r.actual_total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    // exceptions: as many rows as the summary counts
    const above = (await rows('exception=DEMAND_ABOVE_PLAN&page_size=500')).body;
    expect(above.total).toBe(t.exceptions.DEMAND_ABOVE_PLAN);
    expect(above.total).toBeGreaterThan(0);
    for (const r of above.rows) {
      expect(r.exceptions).toContain('DEMAND_ABOVE_PLAN');
      expect(r.actual_over_p!).toBeGreaterThan(r.order_up_to!);
    }
    // search on part or site, site filter
    const part = all.rows[7].partnumber;
    const one = (await rows(`q=${part.slice(2)}&page_size=500`)).body;
    expect(one.rows.map((r) => r.partnumber)).toContain(part);
    for (const r of one.rows) expect(r.partnumber).toContain(part.slice(2));
    expect((await rows('q=carparts')).body.total).toBe(all.total);
    expect((await rows('site_code=ELSEWHERE')).body).toMatchObject({ state: 'ready', total: 0, rows: [] });
    // sorted ascending, blanks last; pages that add up to the whole
    const asc = (await rows('sort=tracking_signal&dir=asc&page_size=500')).body.rows.map((r) => r.tracking_signal);
    const filled = asc.filter((x) => x !== null);
    expect(asc.slice(0, filled.length)).toEqual([...filled].sort((a, b) => a - b));
    const pages = [];
    for (let p = 1; p <= Math.ceil(all.total / 25); p++)
      pages.push(...(await rows(`sort=rmsse&page=${p}&page_size=25`)).body.rows);
    expect(pages).toEqual((await rows('sort=rmsse&page_size=500')).body.rows);
    // bad query, a job without actuals, no such job
    const bad = await rows('sort=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('VALIDATION_ERROR');
    const none = await api<TrackingRowsDto>(s.url, 'GET', `/api/jobs/${job2.id}/tracking/rows`);
    expect(none.body).toMatchObject({ state: 'none', total: 0, rows: [] });
    const missing = await api(s.url, 'GET', '/api/jobs/0123456789abcdef0123456789abcdef/tracking/rows');
    expect(missing.status).toBe(404);
  });

  it('moves on to the next later job when its source is deleted, then to none', async () => {
    expect((await api(s.url, 'DELETE', `/api/jobs/${job2.id}`)).status).toBe(204);
    const back = await until(job1.id, job3.id);
    expect(back.state === 'ready' && back.periods.count).toBe(6);
    expect((await until(job3.id, null)).state).toBe('none');
    expect((await api(s.url, 'DELETE', `/api/jobs/${job3.id}`)).status).toBe(204);
    expect(await until(job1.id, null)).toEqual({ state: 'none', job_id: job1.id });
    expect((await api<JobDto>(s.url, 'GET', `/api/jobs/${job1.id}`)).body.has_actuals).toBe(false);
    const left = [...filesIn(s.storage, 'outputs'), ...filesIn(s.storage, 'uploads'), ...filesIn(s.storage, 'tmp')];
    expect(left.filter((f) => f.includes('tracking') || f.startsWith(job2.id) || f.startsWith(job3.id))).toEqual([]);
  }, 120_000);
});
