/**
 * Actuals for a job and its tracking on the real server, pool and SQLite: a completed carparts job (60 parts)
 * gets the months after its history; its tracking agrees with the reference scorers run on the job's own
 * downloads; bad actuals are refused with a 400 and leave no file; the actuals are kept by Stop and by a
 * restart, removed by DELETE …/actuals and by Delete.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryDto } from '../../server/contract/auth.js';
import type { JobDto } from '../../server/contract/dto.js';
import type { TrackingDto } from '../../server/contract/tracking.js';
import { jobConfigSchema } from '../../server/contract/schemas.js';
import { trackJob } from '../../server/forecast/index.js';
import { setupAdmin, signIn, type Session } from '../helpers/auth.js';
import { api, bootServer, filesIn, type TestServer } from '../helpers/server.js';
import { sendJob, untilFinal } from './inventory-support.js';

// the reference scorers live outside the repository; the data is a 140-part carparts fixture
const SHARED = path.resolve(import.meta.dirname, '../../../shared');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tracking');
const HAVE_SCORERS = existsSync(path.join(SHARED, 'tools', 'score.mjs'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sparecast-tracking-it-'));
const lines = (f: string) => readFileSync(path.join(FIXTURES, f), 'utf8').trimEnd().split('\n');
// 60 parts of carparts: their history, their later 12 months, their lead times
const partsLines = lines('carparts-parts.csv');
const chosen = new Set(partsLines.slice(1, 61).map((l) => l.split(',')[0]));
const pick = (f: string, col: number) => {
  const [head, ...rest] = lines(f);
  return `${[head, ...rest.filter((l) => chosen.has(l.split(',')[col]))].join('\n')}\n`;
};
const train = pick('carparts-train.csv', 2);
const test = pick('carparts-test.csv', 1);
const parts = pick('carparts-parts.csv', 0);
const save = (name: string, text: string) => {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
};

let s: TestServer;
let job: JobDto;
const tracking = (id = job.id) => api<TrackingDto>(s.url, 'GET', `/api/jobs/${id}/tracking`);
async function sendActuals(content: string, name = 'actuals.csv', id = job.id) {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  const res = await fetch(`${s.url}/api/jobs/${id}/actuals`, { method: 'POST', body: form });
  return {
    status: res.status,
    body: (await res.json()) as TrackingDto & { error?: { code: string; message: string } },
  };
}
const jobFilesIn = (area: 'uploads' | 'outputs' | 'tmp') =>
  filesIn(s.storage, area).filter((f) => f.startsWith(job.id));
const reference = (script: string, args: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, [path.join(SHARED, 'tools', script), ...args, '--json'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1)!,
  ) as Record<string, number>;
/**
 * The figures to hold the route's against: the reference scorers on the job's own downloads where they are
 * present; on a clean clone without them, the engine run directly on those downloads (the unit test ties the
 * engine to the scorers' recorded figures).
 */
async function expected(files: { train: string; test: string; parts: string; forecast: string; plan: string }) {
  if (HAVE_SCORERS) {
    const acc = reference('score.mjs', ['--train', files.train, '--test', files.test, '--forecast', files.forecast]);
    const inv = reference('inventory/score.mjs', [
      ...['--train', files.train, '--test', files.test, '--parts', files.parts, '--plan', files.plan, '--lenient'],
    ]);
    return { acc, inv };
  }
  const { summary } = await trackJob({
    history: { uploadFile: files.train, originalName: 'train.csv', config: jobConfigSchema.parse({}) },
    outputFile: files.forecast,
    planFile: files.plan,
    actualsFile: files.test,
    actualsName: 'test.csv',
    rows: false,
  });
  const acc = {
    scored: summary.series.scored,
    rmsse: summary.accuracy.rmsse!,
    mase: summary.accuracy.mase!,
    bias_pct: summary.accuracy.bias_pct!,
  };
  const inv = { n_evaluated: summary.service.evaluated, service_achieved: summary.service.achieved_cycle_service! };
  return { acc, inv };
}

beforeAll(async () => {
  s = await bootServer();
  const up = await sendJob(s.url, train, { name: 'parts.csv', content: parts }, { forecast_horizon: 12 });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  job = await untilFinal(s.url, up.body.id);
  expect(job.status, job.error_message ?? '').toBe('COMPLETED');
}, 120_000);
afterAll(async () => {
  await s.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('actuals and tracking of a job', () => {
  it('answers an empty state before any actuals, 404 for an unknown job', async () => {
    expect((await tracking()).body).toEqual({ state: 'none', job_id: job.id });
    const none = await tracking('0123456789abcdef0123456789abcdef');
    expect(none.status).toBe(404);
  });

  it('refuses a bad actuals file with a 400 naming what is missing, and keeps no file of it', async () => {
    const noQty = await sendActuals('date,partnumber,site_code\n2001-05-01,x,CARPARTS\n');
    expect(noQty.status).toBe(400);
    expect(noQty.body.error?.code).toBe('MISSING_COLUMNS');
    expect(noQty.body.error?.message).toMatch(/demand_qty|quantity/i);
    const early = await sendActuals(train); // the history itself: nothing after the origin
    expect(early.status).toBe(400);
    expect(early.body.error?.code).toBe('NO_ACTUALS_AFTER_ORIGIN');
    expect(early.body.error?.message).toContain('2001-03-01');
    expect(jobFilesIn('uploads').filter((f) => f.includes('actuals'))).toEqual([]);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
    expect((await tracking()).body.state).toBe('none');
  });

  it('holds the forecast and plan against the actuals as the reference scorers do', async () => {
    // the later months through the reader's aliases and a semicolon delimiter
    const [, ...rows] = test.trimEnd().split('\n');
    const aliased = ['tanggal;kode_part;lokasi;jumlah', ...rows.map((l) => l.split(',').join(';'))].join('\n');
    const res = await sendActuals(aliased, 'realisasi.csv');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const t = res.body;
    if (t.state !== 'ready') throw new Error('no tracking');
    expect(t.source).toMatchObject({ kind: 'file', filename: 'realisasi.csv' });
    expect(t.periods).toMatchObject({ count: 12, first: '2001-04-01', last: '2002-03-01', forecast: 12 });

    const forecast = save('forecast.csv', await (await fetch(`${s.url}/api/jobs/${job.id}/download`)).text());
    const plan = save('plan.csv', await (await fetch(`${s.url}/api/jobs/${job.id}/inventory`)).text());
    const [trainF, testF, partsF] = [save('train.csv', train), save('test.csv', test), save('parts.csv', parts)];
    const { acc, inv } = await expected({ train: trainF, test: testF, parts: partsF, forecast, plan });
    expect(acc.scored).toBeGreaterThan(40);
    expect(t.series.scored).toBe(acc.scored);
    expect(t.accuracy.rmsse).toBeCloseTo(acc.rmsse, 4);
    expect(t.accuracy.mase).toBeCloseTo(acc.mase, 4);
    expect(t.accuracy.bias_pct).toBeCloseTo(acc.bias_pct, 2);
    expect(t.accuracy.naive.rmsse).not.toBeNull();
    expect(t.service.evaluated).toBe(inv.n_evaluated);
    expect(t.service.achieved_cycle_service).toBeCloseTo(inv.service_achieved, 4);
    expect(t.exceptions.DEMAND_ABOVE_PLAN).toBe(Math.round(inv.n_evaluated * (1 - inv.service_achieved)));
    expect(t.by_site.map((g) => g.site_code)).toEqual(['CARPARTS']);
    expect((await api<JobDto>(s.url, 'GET', `/api/jobs/${job.id}`)).body.has_actuals).toBe(true);

    // kept: the actuals in uploads/, the figures as a cache in outputs/
    expect(jobFilesIn('uploads')).toContain(`${job.id}.actuals.csv`);
    expect(jobFilesIn('outputs')).toContain(`${job.id}.actuals.csv.tracking.json`);
    const again = await tracking();
    expect(again.body).toEqual(t);
    // a lost cache is computed again, to the same figures, once for two pages asking at the same time
    await rm(path.join(s.storage, 'outputs', `${job.id}.actuals.csv.tracking.json`));
    const both = await Promise.all([tracking(), tracking()]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.map((r) => r.body)).toEqual([t, t]);
    expect(jobFilesIn('outputs')).toContain(`${job.id}.actuals.csv.tracking.json`);
  });

  it('keeps the actuals through a Stop attempt and a restart, removes them on DELETE …/actuals', async () => {
    const stop = await api(s.url, 'POST', `/api/jobs/${job.id}/stop`);
    expect(stop.status).toBe(409);
    expect(jobFilesIn('uploads')).toContain(`${job.id}.actuals.csv`);
    const before = (await tracking()).body;
    await s.stop({ keepStorage: true });
    s = await bootServer({ storage: s.storage });
    expect(jobFilesIn('uploads')).toContain(`${job.id}.actuals.csv`);
    expect((await tracking()).body).toEqual(before);

    const del = await api(s.url, 'DELETE', `/api/jobs/${job.id}/actuals`);
    expect(del.status).toBe(204);
    expect((await tracking()).body).toEqual({ state: 'none', job_id: job.id });
    expect((await api<JobDto>(s.url, 'GET', `/api/jobs/${job.id}`)).body.has_actuals).toBe(false);
    expect([...jobFilesIn('uploads'), ...jobFilesIn('outputs')].filter((f) => f.includes('actuals'))).toEqual([]);
  }, 60_000);

  it('Delete of the job leaves no file of its actuals', async () => {
    expect((await sendActuals(test)).status).toBe(201);
    expect(jobFilesIn('uploads')).toContain(`${job.id}.actuals.csv`);
    const del = await api(s.url, 'DELETE', `/api/jobs/${job.id}`);
    expect(del.status).toBe(204);
    expect([...jobFilesIn('uploads'), ...jobFilesIn('outputs'), ...jobFilesIn('tmp')]).toEqual([]);
    expect((await tracking()).status).toBe(404);
  });
});

describe('who may send actuals (AUTH=on)', () => {
  let a: TestServer;
  beforeAll(async () => {
    a = await bootServer({ env: { AUTH: 'on' } });
  });
  afterAll(() => a.stop());

  type Err = { error: { code: string; message: string } };
  const post = (by: Session, id: string) => {
    const form = new FormData();
    form.append('file', new Blob([test]), 'actuals.csv');
    return by.fetch(`/api/jobs/${id}/actuals`, { method: 'POST', body: form });
  };

  it('a viewer reads the tracking only; a planner changes their own jobs’ actuals, an admin anyone’s', async () => {
    const admin = await setupAdmin(a.url, a.setupUrl!);
    for (const [username, role] of [
      ['viewer1', 'viewer'],
      ['planner1', 'planner'],
    ])
      await admin.json('POST', '/api/users', { username, password: `${username}-pass-1`, role });
    const viewer = await signIn(a.url, 'viewer1', 'viewer1-pass-1');
    const planner = await signIn(a.url, 'planner1', 'planner1-pass-1');
    const form = new FormData();
    form.append('file', new Blob([train]), 'carparts-train.csv');
    form.append('config', JSON.stringify({ forecast_horizon: 12 }));
    const created = (await (await admin.fetch('/api/jobs', { method: 'POST', body: form })).json()) as JobDto;
    const end = Date.now() + 90_000;
    while ((await admin.json<JobDto>('GET', `/api/jobs/${created.id}`)).body.status !== 'COMPLETED') {
      if (Date.now() > end) throw new Error('job did not complete');
      await new Promise((r) => setTimeout(r, 50));
    }
    const id = created.id;

    const denied = await post(viewer, id);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as Err).error.code).toBe('FORBIDDEN');
    const notTheirs = await post(planner, id);
    expect(notTheirs.status).toBe(403);
    expect(((await notTheirs.json()) as Err).error.message).toMatch(/admin/);
    expect((await post(admin, id)).status).toBe(201);
    const seen = await viewer.json<TrackingDto>('GET', `/api/jobs/${id}/tracking`);
    expect(seen.status).toBe(200);
    expect(seen.body.state).toBe('ready');
    expect((await planner.json<Err>('DELETE', `/api/jobs/${id}/actuals`)).status).toBe(403);
    expect((await admin.json('DELETE', `/api/jobs/${id}/actuals`)).status).toBe(204);
    const audit = await admin.json<{ entries: AuditEntryDto[] }>('GET', `/api/audit?job=${id}`);
    const actions = audit.body.entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['job.actuals', 'job.actuals_delete']));
    expect(filesIn(a.storage, 'tmp')).toEqual([]);
  }, 120_000);
});
