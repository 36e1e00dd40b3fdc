/**
 * Overrides applied on the real server, pool and SQLite, on the 140-part carparts fixture with its parts file:
 * three overrides of the three kinds, and one for a part the job does not have; a re-plan applies those in
 * force (the fixed level; ltd_mean = value × P for the forecast; the service level) with the system's values
 * beside them and every other row as it was; removing one brings the system's value back at the next
 * re-plan; a later job applies them by itself (its forecast rows say so) and its notice counts them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import type { PlanRowDto, ReplanDto } from '../../server/contract/inventory.js';
import type { OverrideSetDto } from '../../server/contract/overrides.js';
import type { TrackingDto } from '../../server/contract/tracking.js';
import { readPlan } from '../../server/forecast/index.js';
import { api, bootServer, type TestServer } from '../helpers/server.js';
import { sendJob, untilFinal } from './inventory-support.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tracking');
const train = readFileSync(path.join(FIXTURES, 'carparts-train.csv'), 'utf8');
const parts = readFileSync(path.join(FIXTURES, 'carparts-parts.csv'), 'utf8');

let s: TestServer;
let first: JobDto;
let system: PlanRowDto[];
const key = (r: PlanRowDto) => `${r.partnumber}@${r.site_code}`;
const planOf = (id: string) => readPlan(path.join(s.storage, 'outputs', `${id}.plan.csv`));
const replan = () => api<ReplanDto>(s.url, 'POST', `/api/jobs/${first.id}/inventory/plan`, {});
const setOverride = (body: Record<string, unknown>) => api<OverrideSetDto>(s.url, 'POST', '/api/overrides', body);
let A: PlanRowDto, B: PlanRowDto, C: PlanRowDto;
let laterJob: JobDto;
const ids: Record<string, number> = {};

async function runJob(): Promise<JobDto> {
  const sent = await sendJob(s.url, train, { name: 'carparts-parts.csv', content: parts }, { forecast_horizon: 12 });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  const done = await untilFinal(s.url, sent.body.id, 120_000);
  expect(done.status, done.error_message ?? '').toBe('COMPLETED');
  return done;
}

beforeAll(async () => {
  s = await bootServer();
  first = await runJob();
  system = await planOf(first.id);
  // three busy series (the biggest means): each kind where it shows
  const busy = [...system].sort((a, b) => b.ltd_mean - a.ltd_mean);
  [A, B, C] = busy;
}, 180_000);
afterAll(() => s?.stop());

describe('overrides in the plan', () => {
  it('a job without overrides plans as the system does, and says nothing of them', async () => {
    expect(system.every((r) => r.override_kind === '' && r.system_ltd_mean === null)).toBe(true);
    expect(first.metrics?.notices?.some((n) => n.code === 'OVERRIDES_APPLIED')).toBe(false);
    expect(existsSync(path.join(s.storage, 'uploads', `${first.id}.overrides.json`))).toBe(false);
  });

  it('a re-plan applies the three kinds, keeping the system values beside them', async () => {
    const set = [
      {
        partnumber: A.partnumber,
        site_code: A.site_code,
        kind: 'forecast_per_period',
        value: 5,
        reason: 'fleet contract',
      },
      { partnumber: B.partnumber, kind: 'order_up_to', value: B.order_up_to + 7, reason: 'campaign stock' },
      { partnumber: C.partnumber, kind: 'service_level', value: 0.99, reason: 'stops an engine' },
      { partnumber: 'NOT-IN-THE-JOB', kind: 'order_up_to', value: 1, reason: 'another plant' },
    ];
    for (const o of set) {
      const r = await setOverride(o);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[`${o.partnumber}:${o.kind}`] = r.body.override.id;
    }
    const r = await replan();
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.overridden).toBe(3);
    const plan = await planOf(first.id);
    expect(plan.map(key)).toEqual(system.map(key));
    const at = new Map(plan.map((x) => [key(x), x]));
    const a = at.get(key(A))!;
    const P = a.lead_time_periods + a.review_periods;
    expect(a.ltd_mean).toBe(5 * P);
    expect(a).toMatchObject({
      system_ltd_mean: A.ltd_mean,
      system_order_up_to: A.order_up_to,
      override_kind: 'forecast_per_period',
      override_reason: 'fleet contract',
    });
    expect(a.ltd_q50).toBeLessThanOrEqual(a.ltd_q99);
    const b = at.get(key(B))!;
    expect(b).toMatchObject({
      order_up_to: B.order_up_to + 7,
      ltd_mean: B.ltd_mean,
      system_order_up_to: B.order_up_to,
      system_ltd_mean: B.ltd_mean,
      override_kind: 'order_up_to',
      override_reason: 'campaign stock',
    });
    // the fixed level's own coverage: above the system's target
    expect(b.service_level).toBeGreaterThan(B.service_level);
    expect(b.stock_value).toBeCloseTo((B.order_up_to + 7) * (B.unit_cost ?? 0), 6);
    const c = at.get(key(C))!;
    expect(c).toMatchObject({
      service_level: 0.99,
      ltd_mean: C.ltd_mean,
      order_up_to: c.ltd_q99,
      system_order_up_to: C.order_up_to,
      override_kind: 'service_level',
      override_reason: 'stops an engine',
    });
    expect(c.order_up_to).toBeGreaterThan(C.order_up_to);
    // every other row as the system planned it
    const others = (rows: PlanRowDto[]) => rows.filter((x) => ![A, B, C].some((o) => key(o) === key(x)));
    expect(others(plan)).toEqual(others(system));
  });

  it('removing an override brings the system value back at the next re-plan', async () => {
    const del = await api(s.url, 'DELETE', `/api/overrides/${ids[`${B.partnumber}:order_up_to`]}`);
    expect(del.status).toBe(200);
    expect((await replan()).body.overridden).toBe(2);
    const at = new Map((await planOf(first.id)).map((x) => [key(x), x]));
    expect(at.get(key(B))).toEqual(B);
    expect(at.get(key(A))!.override_kind).toBe('forecast_per_period');
    expect(at.get(key(C))!.override_kind).toBe('service_level');
  });

  it('where a budget is spent, a fixed level stays as it is and a service level is a floor', async () => {
    const fixed = await setOverride({
      partnumber: B.partnumber,
      kind: 'order_up_to',
      value: B.order_up_to + 7,
      reason: 'campaign stock',
    });
    expect(fixed.status).toBe(201);
    const value = system.reduce((t, r) => t + (r.stock_value ?? 0), 0);
    const r = await api<ReplanDto>(s.url, 'POST', `/api/jobs/${first.id}/inventory/plan`, {
      plan_mode: 'budget',
      stock_budget: Math.round(value / 4),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.overridden).toBe(3);
    const plan = await planOf(first.id);
    const at = new Map(plan.map((x) => [key(x), x]));
    expect(at.get(key(B))).toMatchObject({ order_up_to: B.order_up_to + 7, override_kind: 'order_up_to' });
    const c = at.get(key(C))!;
    expect(c.order_up_to).toBeGreaterThanOrEqual(c.ltd_q99);
    expect(c.service_level).toBeGreaterThanOrEqual(0.99);
    // a quarter of the money: most parts stock less than the service-level plan, the fixed level's value counts
    const spent = plan.reduce((t, x) => t + (x.stock_value ?? 0), 0);
    expect(r.body.stock_value).toBeCloseTo(spent, 1);
    expect(
      plan.filter((x) => x.order_up_to < (system.find((y) => key(y) === key(x))?.order_up_to ?? 0)).length,
    ).toBeGreaterThan(10);
    // back to the service-level plan for what follows, without the fixed level
    expect((await api(s.url, 'DELETE', `/api/overrides/${fixed.body.override.id}`)).status).toBe(200);
    const back = await api<ReplanDto>(s.url, 'POST', `/api/jobs/${first.id}/inventory/plan`, {
      plan_mode: 'service_level',
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect((await planOf(first.id)).find((x) => key(x) === key(B))).toEqual(B);
  });

  it('a later job applies those in force by itself, says so, and keeps what it applied', async () => {
    const later = await runJob();
    const notice = later.metrics?.notices?.find((n) => n.code === 'OVERRIDES_APPLIED');
    expect(notice?.params).toEqual({ count: 2, missing: 1 });
    expect(notice?.examples).toEqual(['NOT-IN-THE-JOB']);
    const plan = await planOf(later.id);
    const at = new Map(plan.map((x) => [key(x), x]));
    const a = at.get(key(A))!;
    expect(a.ltd_mean).toBe(5 * (a.lead_time_periods + a.review_periods));
    expect(a.system_ltd_mean).toBe(A.ltd_mean);
    expect(at.get(key(C))).toMatchObject({ service_level: 0.99, override_kind: 'service_level' });
    expect(at.get(key(B))!.override_kind).toBe('');
    // the forecast rows of the overridden series say so, and carry the planner's value
    const csv = readFileSync(path.join(s.storage, 'outputs', `${later.id}.csv`), 'utf8')
      .trim()
      .split('\n');
    const head = csv[0].split(',');
    const rowsOf = (p: string) =>
      csv
        .slice(1)
        .map((l) => l.split(','))
        .filter((f) => f[head.indexOf('partnumber')] === p);
    const ra = rowsOf(A.partnumber);
    expect(ra).toHaveLength(12);
    for (const f of ra) {
      expect(f[head.indexOf('method')]).toBe('override');
      expect(f[head.indexOf('forecast_qty_raw_model')]).toBe('5');
      expect(Number(f[head.indexOf('forecast_lo')])).toBeLessThan(5);
      expect(Number(f[head.indexOf('forecast_hi')])).toBeGreaterThan(5);
    }
    expect(rowsOf(C.partnumber).every((f) => f[head.indexOf('method')] !== 'override')).toBe(true);
    // its snapshot: what it applied, whatever changes later
    const snap = JSON.parse(readFileSync(path.join(s.storage, 'uploads', `${later.id}.overrides.json`), 'utf8')) as {
      overrides: { partnumber: string; kind: string }[];
    };
    expect(snap.overrides.map((o) => o.kind).sort()).toEqual(['forecast_per_period', 'order_up_to', 'service_level']);
    laterJob = later;
  });

  it('tracking from the later file judges the forecast override (fva), by reason and by person', async () => {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(path.join(FIXTURES, 'carparts-test.csv'))]), 'carparts-test.csv');
    const sent = await fetch(`${s.url}/api/jobs/${laterJob.id}/actuals`, { method: 'POST', body: form });
    expect(sent.status, await sent.clone().text()).toBe(201);
    const t = await api<TrackingDto>(s.url, 'GET', `/api/jobs/${laterJob.id}/tracking`);
    expect(t.status).toBe(200);
    if (t.body.state !== 'ready') throw new Error(`tracking is ${t.body.state}`);
    const fva = t.body.fva!;
    // the one series whose forecast was overridden; its errors from the first job's (system) forecast and 5
    const actual = readFileSync(path.join(FIXTURES, 'carparts-test.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .filter((f) => f[1] === A.partnumber)
      .map((f) => Number(f[3]));
    const out = readFileSync(path.join(s.storage, 'outputs', `${first.id}.csv`), 'utf8')
      .trim()
      .split('\n');
    const head = out[0].split(',');
    const sys = out
      .slice(1)
      .map((l) => l.split(','))
      .filter((f) => f[head.indexOf('partnumber')] === A.partnumber)
      .map((f) => Number(f[head.indexOf('forecast_qty_raw_model')]));
    expect(actual).toHaveLength(12);
    const sysErr = actual.reduce((e, a, k) => e + Math.abs(a - sys[k]), 0);
    const finErr = actual.reduce((e, a) => e + Math.abs(a - 5), 0);
    expect(fva.series).toBe(1);
    expect(fva.system_abs_error).toBeCloseTo(sysErr, 2);
    expect(fva.final_abs_error).toBeCloseTo(finErr, 6);
    expect(fva.net_abs_error_change).toBeCloseTo(finErr - sysErr, 2);
    expect(fva.improved + fva.worsened).toBe(1);
    expect(fva.improved).toBe(finErr < sysErr ? 1 : 0);
    expect(fva.by_reason).toEqual([expect.objectContaining({ reason: 'fleet contract', series: 1 })]);
    expect(fva.by_person).toEqual([expect.objectContaining({ created_by: null, series: 1 })]);
  });

  it('Delete takes the snapshot with the job', async () => {
    expect((await api(s.url, 'DELETE', `/api/jobs/${laterJob.id}`)).status).toBe(204);
    expect(existsSync(path.join(s.storage, 'uploads', `${laterJob.id}.overrides.json`))).toBe(false);
  });
});
