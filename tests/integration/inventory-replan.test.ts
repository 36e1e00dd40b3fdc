/**
 * Re-planning a completed job's inventory plan (POST /api/jobs/:id/inventory/plan) on the real server and
 * pool: the same settings give the same bytes, a higher level never stocks less, the downloads, summary,
 * job config and metrics follow, bad values and wrong states are refused, and Delete leaves no file.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryDto } from '../../server/contract/auth.js';
import type { JobDto } from '../../server/contract/dto.js';
import type { InventorySummaryDto, ReplanDto } from '../../server/contract/inventory.js';
import { api, bootServer, emitAck, filesIn, FIXTURE_WORKER, type TestServer } from '../helpers/server.js';
import { setupAdmin, signIn, type Session } from '../helpers/auth.js';
import { PLAN_HEADER, demandCsv, partsCsv, sendJob, untilFinal } from './inventory-support.js';

type Row = Record<string, string>;
const planOf = (text: string): Row[] => {
  const cols = PLAN_HEADER.split(',');
  return text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => {
      // the only quoted cell is the formula-like part number (first column): split after it
      const m = /^("(?:[^"]|"")*"|[^,]*),(.*)$/.exec(l)!;
      const cells = [m[1], ...m[2].split(',')];
      return Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
    });
};
const keyOf = (r: Row) => `${r.partnumber}@${r.site_code}`;

let s: TestServer;
let job: JobDto;
const planFile = () => path.join(s.storage, 'outputs', `${job.id}.plan.csv`);
const replan = (body: unknown, id = job.id) => api<ReplanDto>(s.url, 'POST', `/api/jobs/${id}/inventory/plan`, body);

beforeAll(async () => {
  s = await bootServer();
  const up = await sendJob(s.url, demandCsv(), { name: 'parts.csv', content: partsCsv() });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  job = await untilFinal(s.url, up.body.id);
  expect(job.status, job.error_message ?? '').toBe('COMPLETED');
});
afterAll(() => s.stop());

describe('re-plan of a completed job', () => {
  it('keeps the re-plan inputs next to the plan', () => {
    expect(filesIn(s.storage, 'outputs')).toContain(`${job.id}.plan.csv.inputs`);
  });

  it('with the job’s own settings writes the very same plan, byte for byte', async () => {
    const before = readFileSync(planFile());
    const res = await replan({ service_level: 0.95, lead_time_days: 30, review_periods: 1 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ service_level: 0.95, lead_time_days: 30, review_periods: 1, rows: 12 });
    expect(readFileSync(planFile()).equals(before)).toBe(true);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });

  it('at 99 % stocks at least as much for every row; CSV, XLSX, summary, config and metrics follow', async () => {
    const before = planOf(readFileSync(planFile(), 'utf8'));
    const c = await s.client();
    expect((await emitAck(c, 'job:subscribe', { id: job.id })).ok).toBe(true);
    const pushed = new Promise<{ id: string }>((resolve) => c.once('job:replanned', resolve));
    const res = await replan({ service_level: 99 }); // a percentage, as in the job config
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.service_level).toBe(0.99);
    expect(await pushed).toEqual({ id: job.id });

    const csv = await fetch(`${s.url}/api/jobs/${job.id}/inventory`);
    const after = planOf(await csv.text());
    expect(after.map(keyOf)).toEqual(before.map(keyOf));
    const old = new Map(before.map((r) => [keyOf(r), r]));
    let higher = 0;
    for (const r of after) {
      const o = old.get(keyOf(r))!;
      expect(r.service_level).toBe('0.99');
      expect(Number(r.order_up_to)).toBeGreaterThanOrEqual(Number(o.order_up_to));
      expect(Number(r.order_up_to)).toBe(Number(r.ltd_q99));
      expect(r.lead_time_periods).toBe(o.lead_time_periods); // the parts file's 14 and 3 days still apply
      // the same protection interval and history: the same chance of demand and periods since the last one
      expect([r.demand_chance, r.periods_since_demand]).toEqual([o.demand_chance, o.periods_since_demand]);
      if (Number(r.order_up_to) > Number(o.order_up_to)) higher++;
    }
    expect(higher).toBeGreaterThan(0);

    const xres = await fetch(`${s.url}/api/jobs/${job.id}/inventory?format=xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xres.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const cols = PLAN_HEADER.split(',');
    const xOrder = [...Array(ws.rowCount - 1).keys()].map(
      (i) => ws.getRow(i + 2).getCell(cols.indexOf('order_up_to') + 1).value,
    );
    expect(xOrder).toEqual(after.map((r) => Number(r.order_up_to)));

    const sum = (await api<InventorySummaryDto>(s.url, 'GET', `/api/jobs/${job.id}/inventory/summary`)).body;
    expect(sum.service_level).toBe(0.99);
    const j = (await api<JobDto>(s.url, 'GET', `/api/jobs/${job.id}`)).body;
    expect(j.config.service_level).toBe(0.99);
    expect(j.metrics?.inventory?.service_level).toBe(0.99);
    const value = after.reduce((t, r) => t + (r.stock_value ? Number(r.stock_value) : 0), 0);
    expect(j.metrics?.inventory?.stock_value).toBeCloseTo(value, 2);
    expect(sum.overall.stock_value).toBeCloseTo(value, 2);
  });

  it('a longer default lead time changes only the parts without their own', async () => {
    const before = new Map(planOf(readFileSync(planFile(), 'utf8')).map((r) => [keyOf(r), r]));
    const res = await replan({ lead_time_days: 60, review_periods: 2 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.service_level).toBe(0.99); // kept from the last re-plan
    const rows = planOf(readFileSync(planFile(), 'utf8'));
    expect(rows.find((r) => keyOf(r) === 'P1@A')!.lead_time_periods).toBe('14'); // parts file
    expect(rows.find((r) => keyOf(r) === 'P2@A')!.lead_time_periods).toBe('3'); // parts file, site A
    expect(rows.find((r) => keyOf(r) === 'P2@B')!.lead_time_periods).toBe('60'); // the new default
    expect(rows.every((r) => r.review_periods === '2')).toBe(true);
    // a longer protection interval: a higher chance of some demand in it, the same periods since the last one
    let more = 0;
    for (const r of rows) {
      const o = before.get(keyOf(r))!;
      expect(r.periods_since_demand).toBe(o.periods_since_demand);
      expect(Number(r.demand_chance)).toBeGreaterThanOrEqual(Number(o.demand_chance));
      if (Number(r.demand_chance) > Number(o.demand_chance)) more++;
    }
    expect(more).toBeGreaterThan(0);
  });

  it('refuses bad values with 400 and the field named, and leaves the plan alone', async () => {
    const before = readFileSync(planFile());
    for (const [body, field] of [
      [{ service_level: 2 }, 'service_level'],
      [{ service_level: 'high' }, 'service_level'],
      [{ lead_time_days: -1 }, 'lead_time_days'],
      [{ lead_time_days: 4000 }, 'lead_time_days'],
      [{ review_periods: 1.5 }, 'review_periods'],
      [{ lead_time: 5 }, 'lead_time'],
    ] as const) {
      const res = await api<{ error: { code: string; message: string } }>(
        s.url,
        'POST',
        `/api/jobs/${job.id}/inventory/plan`,
        body,
      );
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.message).toContain(field);
    }
    expect(readFileSync(planFile()).equals(before)).toBe(true);
  });

  it('answers 404 for an unknown job and 409 for a job without re-plan inputs', async () => {
    expect((await replan({}, 'nosuchjob')).status).toBe(404);
    const up = await sendJob(s.url, demandCsv(), null);
    const other = await untilFinal(s.url, up.body.id);
    await rm(path.join(s.storage, 'outputs', `${other.id}.plan.csv.inputs`)); // as on a job from before re-plans
    const res = await api<{ error: { code: string } }>(s.url, 'POST', `/api/jobs/${other.id}/inventory/plan`, {});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('REPLAN_UNAVAILABLE');
    await api(s.url, 'DELETE', `/api/jobs/${other.id}`);
  });

  it('Delete during a re-plan, and after one, leaves no file behind', async () => {
    const up = await sendJob(s.url, demandCsv(), { name: 'parts.csv', content: partsCsv() });
    const other = await untilFinal(s.url, up.body.id);
    const inFlight = api(s.url, 'POST', `/api/jobs/${other.id}/inventory/plan`, { service_level: 0.8 });
    const del = await api(s.url, 'DELETE', `/api/jobs/${other.id}`);
    expect(del.status).toBe(204);
    expect([200, 404]).toContain((await inFlight).status);
    const left = (sub: 'uploads' | 'outputs' | 'tmp') => filesIn(s.storage, sub).filter((f) => f.includes(other.id));
    expect([...left('uploads'), ...left('outputs'), ...left('tmp')]).toEqual([]);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);

    // and the main job, after its re-plans
    expect((await api(s.url, 'DELETE', `/api/jobs/${job.id}`)).status).toBe(204);
    expect(filesIn(s.storage, 'outputs').filter((f) => f.includes(job.id))).toEqual([]);
  });
});

describe('re-plan refused while the job runs', () => {
  let f: TestServer;
  beforeAll(async () => {
    f = await bootServer({ workerFile: FIXTURE_WORKER });
  });
  afterAll(() => f.stop());

  it('answers 409 JOB_NOT_COMPLETED for a PROCESSING job', async () => {
    const up = await sendJob(f.url, demandCsv(), null, { method: 'fixture-slow-coop', forecast_horizon: 100 });
    expect(up.status).toBe(201);
    const res = await api<{ error: { code: string } }>(f.url, 'POST', `/api/jobs/${up.body.id}/inventory/plan`, {
      service_level: 0.9,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('JOB_NOT_COMPLETED');
    await api(f.url, 'DELETE', `/api/jobs/${up.body.id}?force=true`);
  });
});

describe('re-plan permissions and rate limit (AUTH=on)', () => {
  let a: TestServer;
  beforeAll(async () => {
    a = await bootServer({ env: { AUTH: 'on', REPLANS_PER_MINUTE: '3' } });
  });
  afterAll(() => a.stop());

  async function completedJob(by: Session): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([demandCsv()]), 'demand.csv');
    form.append('config', JSON.stringify({ forecast_horizon: 14 }));
    const created = (await (await by.fetch('/api/jobs', { method: 'POST', body: form })).json()) as JobDto;
    const end = Date.now() + 60_000;
    while ((await by.json<JobDto>('GET', `/api/jobs/${created.id}`)).body.status !== 'COMPLETED') {
      if (Date.now() > end) throw new Error('job did not complete');
      await new Promise((r) => setTimeout(r, 50));
    }
    return created.id;
  }

  type Err = { error: { code: string; message: string } };
  let admin: Session;
  let planner: Session;
  let adminsJob = '';
  let plannersJob = '';
  let plannersId = '';

  it('a viewer gets 403; a planner re-plans their own job only (as for Delete), an admin anyone’s', async () => {
    admin = await setupAdmin(a.url, a.setupUrl!);
    for (const [username, role] of [
      ['viewer1', 'viewer'],
      ['planner1', 'planner'],
    ])
      await admin.json('POST', '/api/users', { username, password: `${username}-pass-1`, role });
    const viewer = await signIn(a.url, 'viewer1', 'viewer1-pass-1');
    planner = await signIn(a.url, 'planner1', 'planner1-pass-1');
    adminsJob = `/api/jobs/${await completedJob(admin)}/inventory/plan`;
    plannersId = await completedJob(planner);
    plannersJob = `/api/jobs/${plannersId}/inventory/plan`;

    const denied = await viewer.json<Err>('POST', adminsJob, { service_level: 0.9 });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    const notTheirs = await planner.json<Err>('POST', adminsJob, { service_level: 0.9 });
    expect(notTheirs.status, JSON.stringify(notTheirs.body)).toBe(403);
    expect(notTheirs.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/admin/) });
    const ok = await planner.json<ReplanDto>('POST', plannersJob, { service_level: 0.9 });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const audit = await admin.json<{ entries: AuditEntryDto[] }>('GET', `/api/audit?job=${plannersId}`);
    const entry = audit.body.entries.find((e) => e.action === 'job.replan');
    expect(entry).toMatchObject({ username: 'planner1', detail: 'service_level=0.9' });
    expect((await admin.json('POST', plannersJob, { service_level: 0.8 })).status).toBe(200);
  });

  it('refuses a user’s re-plans beyond REPLANS_PER_MINUTE with 429, and only that user’s', async () => {
    // REPLANS_PER_MINUTE=3: the admin has used one above; the fourth is refused
    expect((await admin.json('POST', adminsJob, { service_level: 0.8 })).status).toBe(200);
    expect((await admin.json('POST', adminsJob, { service_level: 0.85 })).status).toBe(200);
    const limited = await admin.json<Err>('POST', adminsJob, { service_level: 0.9 });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/re-plans/) });
    // the planner (two requests so far) is not held back by the admin's count
    expect((await planner.json('POST', plannersJob, { service_level: 0.95 })).status).toBe(200);
  });
});

describe('re-plan after a restart', () => {
  it('the reconcile at boot keeps the re-plan inputs of a completed job; the re-plan still works', async () => {
    const first = await bootServer();
    const up = await sendJob(first.url, demandCsv(), null);
    const done = await untilFinal(first.url, up.body.id);
    await first.stop({ keepStorage: true });
    const again = await bootServer({ storage: first.storage });
    try {
      expect(filesIn(again.storage, 'outputs')).toContain(`${done.id}.plan.csv.inputs`);
      const res = await api<ReplanDto>(again.url, 'POST', `/api/jobs/${done.id}/inventory/plan`, {
        service_level: 0.8,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } finally {
      await again.stop();
    }
  });
});
