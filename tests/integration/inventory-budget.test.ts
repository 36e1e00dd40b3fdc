/**
 * Plan modes of issue 22 on the real server and pool: a stock budget and a fill-rate target through
 * POST /api/jobs, the re-plan and the CLI; the summary's expected fill rates and frontier; bad budgets and
 * budgets without costs are 400s naming the field.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import type { InventoryFrontierDto, InventorySummaryDto, ReplanDto } from '../../server/contract/inventory.js';
import { api, bootServer, filesIn, type TestServer } from '../helpers/server.js';
import { PLAN_HEADER, demandCsv, sendJob, untilFinal } from './inventory-support.js';

/** Every part of demandCsv() with a cost at both sites: cheap fast movers and dear ones. */
const PARTS_ALL_COSTED = [
  'partnumber,lead_time_days,unit_cost',
  'P1,14,2.5',
  'P2,14,40',
  'P3,14,1',
  'P4,14,120',
  'P5,14,7',
  '"=HYPERLINK(""http://x"")",14,3',
].join('\n');

type Row = Record<string, string>;
const rowsOf = (text: string): Row[] => {
  const cols = PLAN_HEADER.split(',');
  return text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => {
      const m = /^("(?:[^"]|"")*"|[^,]*),(.*)$/.exec(l)!;
      const cells = [m[1], ...m[2].split(',')];
      return Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
    });
};
const value = (rows: Row[]) => rows.reduce((s, r) => s + Number(r.stock_value || 0), 0);

let s: TestServer;
let base: JobDto;
let baseSummary: InventorySummaryDto;
const planText = (id: string) => readFileSync(path.join(s.storage, 'outputs', `${id}.plan.csv`), 'utf8');
const summaryOf = async (id: string) =>
  (await api<InventorySummaryDto>(s.url, 'GET', `/api/jobs/${id}/inventory/summary`)).body;
const parts = { name: 'parts.csv', content: PARTS_ALL_COSTED };

beforeAll(async () => {
  s = await bootServer();
  const up = await sendJob(s.url, demandCsv(), parts, { service_level: 0.95 });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  base = await untilFinal(s.url, up.body.id);
  expect(base.status, base.error_message ?? '').toBe('COMPLETED');
  // the summary does not wait for a service-level plan's frontier: the frontier endpoint does
  await api(s.url, 'GET', `/api/jobs/${base.id}/inventory/frontier`);
  baseSummary = await summaryOf(base.id);
});
afterAll(() => s.stop());

describe('plan modes', () => {
  it('a service-level plan says its expected fill rate and draws the frontier next to the uniform curve', () => {
    const sum = baseSummary;
    expect(sum.plan_mode).toBe('service_level');
    expect(sum.overall.expected_fill_rate).toBeGreaterThan(0.5);
    expect(sum.overall.expected_fill_rate).toBeLessThanOrEqual(1);
    for (const site of sum.by_site) expect(site.expected_fill_rate).toBeGreaterThan(0.5);
    expect(sum.frontier.length).toBeGreaterThanOrEqual(20);
    for (let j = 1; j < sum.frontier.length; j++) {
      expect(sum.frontier[j].stock_value).toBeGreaterThanOrEqual(sum.frontier[j - 1].stock_value);
      expect(sum.frontier[j].expected_fill_rate).toBeGreaterThanOrEqual(sum.frontier[j - 1].expected_fill_rate);
    }
    const u95 = sum.uniform.find((u) => u.service_level === 0.95)!;
    // the plan at 95 % for every part is the uniform 95 % point
    expect(sum.plan_point).toEqual({ stock_value: u95.stock_value, expected_fill_rate: u95.expected_fill_rate });
    expect(sum.plan_point!.stock_value).toBeCloseTo(sum.overall.stock_value, 2);
    // the run paid for no allocation: the frontier was made by the first summary and kept next to the plan
    expect(base.metrics?.inventory?.allocation).toBeUndefined();
    expect(existsSync(path.join(s.storage, 'outputs', `${base.id}.plan.csv.frontier.json`))).toBe(true);
    const rows = rowsOf(planText(base.id));
    for (const r of rows) {
      expect(Number(r.expected_fill_rate)).toBeGreaterThan(0);
      expect(Number(r.expected_fill_rate)).toBeLessThanOrEqual(1);
      expect(Number(r.expected_units_short)).toBeGreaterThanOrEqual(0);
    }
  });

  it('budget mode through POST /api/jobs: within the budget, a higher expected fill rate for the same money', async () => {
    const budget = baseSummary.overall.stock_value;
    const up = await sendJob(s.url, demandCsv(), parts, { plan_mode: 'budget', stock_budget: budget });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const job = await untilFinal(s.url, up.body.id);
    expect(job.status, job.error_message ?? '').toBe('COMPLETED');
    expect(job.config).toMatchObject({ plan_mode: 'budget', stock_budget: budget });
    const rows = rowsOf(planText(job.id));
    expect(value(rows)).toBeLessThanOrEqual(budget + 1e-6);
    const sum = await summaryOf(job.id);
    expect(sum.plan_mode).toBe('budget');
    expect(sum.stock_budget).toBe(budget);
    expect(sum.overall.stock_value).toBeLessThanOrEqual(budget);
    expect(sum.overall.expected_fill_rate!).toBeGreaterThan(baseSummary.overall.expected_fill_rate!);
    // each row's service level is the level whose quantile is its order-up-to level: not all the same
    const levels = new Set(rows.map((r) => r.service_level));
    expect(levels.size).toBeGreaterThan(1);
    for (const r of rows) {
      expect(Number(r.service_level)).toBeGreaterThan(0);
      expect(Number(r.service_level)).toBeLessThan(1);
    }
    // the cheap parts get more of the money than the dear ones, relative to the service-level plan
    const old = new Map(rowsOf(planText(base.id)).map((r) => [`${r.partnumber}@${r.site_code}`, r]));
    const up3 = rows
      .filter((r) => r.partnumber === 'P3')
      .map((r) => Number(r.order_up_to) - Number(old.get(`P3@${r.site_code}`)!.order_up_to));
    const up4 = rows
      .filter((r) => r.partnumber === 'P4')
      .map((r) => Number(r.order_up_to) - Number(old.get(`P4@${r.site_code}`)!.order_up_to));
    expect(Math.min(...up3)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...up4)).toBeLessThanOrEqual(0);
  });

  it("budget mode keeps a part's own min_service_level from the parts file as its floor", async () => {
    // P4, the dearest, is the one a tight budget takes stock from; its own minimum of 99 % holds it up
    const withMin = {
      name: 'parts.csv',
      content: PARTS_ALL_COSTED.replace('unit_cost', 'unit_cost,min_service_level')
        .split('\n')
        .map((l, j) => (j === 0 ? l : `${l},${l.startsWith('P4,') ? '99' : ''}`))
        .join('\n'),
    };
    const budget = Math.round(baseSummary.overall.stock_value * 0.6);
    const run = async (p: { name: string; content: string }) => {
      const up = await sendJob(s.url, demandCsv(), p, { plan_mode: 'budget', stock_budget: budget });
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      const job = await untilFinal(s.url, up.body.id);
      expect(job.status, job.error_message ?? '').toBe('COMPLETED');
      return rowsOf(planText(job.id));
    };
    const p4 = (rows: Row[]) => rows.filter((r) => r.partnumber === 'P4');
    const plain = p4(await run(parts));
    const floored = p4(await run(withMin));
    expect(floored.length).toBeGreaterThan(0);
    for (const r of floored) {
      expect(Number(r.service_level)).toBeGreaterThanOrEqual(0.99);
      expect(Number(r.order_up_to)).toBeGreaterThanOrEqual(Number(r.ltd_q99));
    }
    // without it the budget leaves P4 below 99 % somewhere
    expect(Math.min(...plain.map((r) => Number(r.service_level)))).toBeLessThan(0.99);
  });

  it('fill-rate mode through POST /api/jobs: reaches the target for less money than one level for all', async () => {
    const target = baseSummary.overall.expected_fill_rate!;
    const up = await sendJob(s.url, demandCsv(), parts, { plan_mode: 'fill_rate', target_fill_rate: target });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const job = await untilFinal(s.url, up.body.id);
    expect(job.status, job.error_message ?? '').toBe('COMPLETED');
    const sum = await summaryOf(job.id);
    expect(sum.plan_mode).toBe('fill_rate');
    expect(sum.target_fill_rate).toBe(target);
    expect(sum.overall.expected_fill_rate!).toBeGreaterThanOrEqual(target - 1e-4);
    expect(sum.overall.stock_value).toBeLessThan(baseSummary.overall.stock_value);
  });

  it('re-plans to a budget and back: the same settings give the same bytes', async () => {
    const before = planText(base.id);
    const budget = Math.round(baseSummary.overall.stock_value * 0.6);
    const res = await api<ReplanDto>(s.url, 'POST', `/api/jobs/${base.id}/inventory/plan`, {
      plan_mode: 'budget',
      stock_budget: budget,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ plan_mode: 'budget', stock_budget: budget });
    expect(res.body.stock_value).toBeLessThanOrEqual(budget);
    const sum = await summaryOf(base.id);
    expect(sum.plan_mode).toBe('budget');
    expect(sum.overall.stock_value).toBeLessThanOrEqual(budget);
    expect(value(rowsOf(planText(base.id)))).toBeLessThanOrEqual(budget + 1e-6);
    const j = (await api<JobDto>(s.url, 'GET', `/api/jobs/${base.id}`)).body;
    expect(j.config).toMatchObject({ plan_mode: 'budget', stock_budget: budget });
    // a fill-rate target next, then back to the service level: the run's own plan again
    const fr = await api<ReplanDto>(s.url, 'POST', `/api/jobs/${base.id}/inventory/plan`, {
      plan_mode: 'fill_rate',
      target_fill_rate: 0.9,
    });
    expect(fr.status, JSON.stringify(fr.body)).toBe(200);
    expect(fr.body.expected_fill_rate).toBeGreaterThanOrEqual(0.9 - 1e-4);
    const back = await api<ReplanDto>(s.url, 'POST', `/api/jobs/${base.id}/inventory/plan`, {
      plan_mode: 'service_level',
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(planText(base.id)).toBe(before);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });

  it('stock_budget_by_site: each site within its own budget, through POST /api/jobs and the re-plan', async () => {
    const site = (code: string) => baseSummary.by_site.find((b) => b.site_code === code)!.stock_value;
    const map = { A: Math.round(site('A') * 0.5), B: Math.round(site('B') * 0.8), Z: 100 };
    const up = await sendJob(s.url, demandCsv(), parts, { plan_mode: 'budget', stock_budget_by_site: map });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const job = await untilFinal(s.url, up.body.id);
    expect(job.status, job.error_message ?? '').toBe('COMPLETED');
    const rows = rowsOf(planText(job.id));
    const at = (code: string) => value(rows.filter((r) => r.site_code === code));
    expect(at('A')).toBeLessThanOrEqual(map.A + 1e-6);
    expect(at('B')).toBeLessThanOrEqual(map.B + 1e-6);
    // A's budget is the tighter: its share of the money falls below the service-level plan's
    expect(at('A') / at('B')).toBeLessThan(site('A') / site('B'));
    const sum = await summaryOf(job.id);
    expect(sum.plan_mode).toBe('budget');
    expect(sum.stock_budget_by_site).toEqual(map);
    // a site the file does not have: a notice, its budget not spent
    expect(sum.unknown_budget_sites).toEqual(['Z']);
    expect(job.metrics?.notices).toContainEqual(
      expect.objectContaining({ code: 'PLAN_UNKNOWN_SITES', params: { count: 1 }, examples: ['Z'] }),
    );
    expect(sum.frontier.length).toBeGreaterThanOrEqual(20);

    // the re-plan: new per-site budgets, then back to one budget for the job (null drops the map)
    const re = await api<ReplanDto>(s.url, 'POST', `/api/jobs/${job.id}/inventory/plan`, {
      stock_budget_by_site: { A: map.B, B: map.A },
    });
    expect(re.status, JSON.stringify(re.body)).toBe(200);
    expect(re.body).toMatchObject({ plan_mode: 'budget', stock_budget_by_site: { A: map.B, B: map.A } });
    expect(re.body.unknown_budget_sites).toEqual([]);
    const rows2 = rowsOf(planText(job.id));
    expect(value(rows2.filter((r) => r.site_code === 'A'))).toBeLessThanOrEqual(map.B + 1e-6);
    expect(value(rows2.filter((r) => r.site_code === 'B'))).toBeLessThanOrEqual(map.A + 1e-6);
    const j2 = (await api<JobDto>(s.url, 'GET', `/api/jobs/${job.id}`)).body;
    expect(j2.metrics?.notices?.some((n) => n.code === 'PLAN_UNKNOWN_SITES')).toBe(false);
    const one = await api<ReplanDto>(s.url, 'POST', `/api/jobs/${job.id}/inventory/plan`, {
      stock_budget_by_site: null,
      stock_budget: map.A + map.B,
    });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.stock_budget_by_site).toBeNull();
    const j3 = (await api<JobDto>(s.url, 'GET', `/api/jobs/${job.id}`)).body;
    expect(j3.config).not.toHaveProperty('stock_budget_by_site');
    expect(j3.config).toMatchObject({ plan_mode: 'budget', stock_budget: map.A + map.B });
    // another mode leaves the budgets aside
    const fill = await api<ReplanDto>(s.url, 'POST', `/api/jobs/${job.id}/inventory/plan`, {
      plan_mode: 'fill_rate',
      target_fill_rate: 0.9,
    });
    expect(fill.status, JSON.stringify(fill.body)).toBe(200);
    expect(fill.body).toMatchObject({ plan_mode: 'fill_rate', stock_budget_by_site: null });
  });

  it('refuses bad per-site budgets with a 400 naming stock_budget_by_site, at upload and at re-plan', async () => {
    const bad: unknown[] = [{}, { A: -1 }, { A: 'lots' }, { '': 5 }, [5], 'A=5', { A: 0 }];
    for (const m of bad) {
      const config = { plan_mode: 'budget' as const, stock_budget: 10, stock_budget_by_site: m };
      // (bad on purpose: not what the config's type allows)
      const up = await sendJob(s.url, demandCsv(), parts, config as Parameters<typeof sendJob>[3]);
      expect(up.status, JSON.stringify(m)).toBe(400);
      expect(up.body.error!.code).toBe('INVALID_CONFIG');
      expect(up.body.error!.message).toMatch(/stock_budget_by_site/);
      const re = await api<{ error: { code: string; message: string } }>(
        s.url,
        'POST',
        `/api/jobs/${base.id}/inventory/plan`,
        config,
      );
      expect(re.status, JSON.stringify(m)).toBe(400);
      expect(re.body.error.message).toMatch(/stock_budget_by_site/);
    }
  });

  it('refuses bad budgets and targets with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ plan_mode: 'budget' }, /stock_budget/],
      [{ plan_mode: 'budget', stock_budget: -5 }, /stock_budget/],
      [{ plan_mode: 'budget', stock_budget: 'lots' }, /stock_budget/],
      [{ plan_mode: 'fill_rate' }, /target_fill_rate/],
      [{ plan_mode: 'fill_rate', target_fill_rate: 1.2 }, /target_fill_rate/],
      [{ plan_mode: 'fill_rate', target_fill_rate: 0.2 }, /target_fill_rate/],
      [{ plan_mode: 'cheapest' }, /plan_mode/],
      [{ plan_mode: 'budget', stock_budget: 10, min_service_level: 2 }, /min_service_level/],
    ];
    // (the re-plan merges with the job's config, which holds a budget by now: the missing ones are below)
    for (const [config, field] of cases) {
      const up = await sendJob(s.url, demandCsv(), parts, config);
      expect(up.status, JSON.stringify(config)).toBe(400);
      expect(up.body.error!.code).toBe('INVALID_CONFIG');
      expect(up.body.error!.message).toMatch(field);
      const re = await api<ReplanDto & { error: { code: string; message: string } }>(
        s.url,
        'POST',
        `/api/jobs/${base.id}/inventory/plan`,
        config,
      );
      if (Object.keys(config).length === 1 && config.plan_mode !== 'cheapest') continue;
      expect(re.status, JSON.stringify(config)).toBe(400);
      expect(re.body.error.message).toMatch(field);
    }
  });

  it('a budget without unit costs is a 400 that says so, at upload and at re-plan', async () => {
    const up = await sendJob(s.url, demandCsv(), null, { plan_mode: 'budget', stock_budget: 100 });
    expect(up.status).toBe(400);
    expect(up.body.error).toMatchObject({ code: 'NO_COSTS' });
    expect(up.body.error!.message).toMatch(/unit cost/);
    // a job without a parts file has no costs to re-plan a budget with
    const noParts = await sendJob(s.url, demandCsv(), null, {});
    const job = await untilFinal(s.url, noParts.body.id);
    expect(job.status).toBe('COMPLETED');
    const re = await api<{ error: { code: string; message: string } }>(
      s.url,
      'POST',
      `/api/jobs/${job.id}/inventory/plan`,
      { plan_mode: 'fill_rate', target_fill_rate: 0.9 },
    );
    expect(re.status).toBe(400);
    expect(re.body.error.code).toBe('NO_COSTS');
    // a mode without its figure, in the change or the job's config, names the field
    const missing = await api<{ error: { code: string; message: string } }>(
      s.url,
      'POST',
      `/api/jobs/${job.id}/inventory/plan`,
      { plan_mode: 'budget' },
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/stock_budget/);
    const sum = await summaryOf(job.id);
    expect(sum.frontier).toEqual([]);
    expect(sum.plan_point).toBeNull();
    expect(sum.overall.expected_fill_rate).toBeGreaterThan(0);
  });
});

describe('npm run forecast -- --stock-budget / --target-fill-rate', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sparecast-cli-budget-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = async (...args: string[]) => {
    const root = path.resolve(import.meta.dirname, '../..');
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'server/cli/forecast.ts'), ...args],
        { cwd: root, encoding: 'utf8' },
      );
      return { code: 0, stdout, stderr: '' };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it('plans within the budget, reaches the target, and refuses a budget without a parts file', async () => {
    const demand = path.join(dir, 'demand.csv');
    const partsFile = path.join(dir, 'parts.csv');
    writeFileSync(demand, demandCsv());
    writeFileSync(partsFile, PARTS_ALL_COSTED);
    const io = ['--input', demand, '--output', path.join(dir, 'f.csv'), '--horizon', '14', '--threads', '2'];
    const plan = path.join(dir, 'plan.csv');
    const budget = Math.round(baseSummary.overall.stock_value * 0.7);
    const b = await cli(...io, '--inventory', plan, '--parts', partsFile, '--stock-budget', String(budget));
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(new RegExp(`plan mode budget ${budget}`));
    expect(b.stdout).toMatch(/expected fill rate [\d.]+ %/);
    expect(value(rowsOf(readFileSync(plan, 'utf8')))).toBeLessThanOrEqual(budget + 1e-6);
    const f = await cli(...io, '--inventory', plan, '--parts', partsFile, '--target-fill-rate', '90');
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toMatch(/plan mode fill-rate target 0\.9/);
    const fill = Number(/expected fill rate ([\d.]+) %/.exec(f.stdout)![1]);
    expect(fill).toBeGreaterThanOrEqual(89.9);
    const none = await cli(...io, '--inventory', plan, '--stock-budget', '100');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs --parts/);
    const bad = await cli(...io, '--inventory', plan, '--parts', partsFile, '--stock-budget', '-1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/stock_budget/);
    // per-site budgets, inline JSON and from a file
    const map = { A: Math.round(budget / 3), B: Math.round(budget / 2) };
    const mapFile = path.join(dir, 'budgets.json');
    writeFileSync(mapFile, JSON.stringify(map));
    for (const arg of [JSON.stringify(map), mapFile]) {
      const bs = await cli(...io, '--inventory', plan, '--parts', partsFile, '--stock-budget-by-site', arg);
      expect(bs.code, bs.stderr).toBe(0);
      expect(bs.stdout).toMatch(/plan mode budget by site \{"A":\d+,"B":\d+\}/);
      const rows = rowsOf(readFileSync(plan, 'utf8'));
      expect(value(rows.filter((r) => r.site_code === 'A'))).toBeLessThanOrEqual(map.A + 1e-6);
      expect(value(rows.filter((r) => r.site_code === 'B'))).toBeLessThanOrEqual(map.B + 1e-6);
    }
    const badMap = await cli(...io, '--inventory', plan, '--parts', partsFile, '--stock-budget-by-site', '{"A":-3}');
    expect(badMap.code).toBe(2);
    expect(badMap.stderr).toMatch(/stock_budget_by_site/);
    const notJson = await cli(...io, '--inventory', plan, '--parts', partsFile, '--stock-budget-by-site', '{A:3');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/--stock-budget-by-site must be a JSON object/);
  });
});

describe('the frontier of a service-level plan', () => {
  it('the summary answers without waiting for it (pending), GET .../inventory/frontier waits', async () => {
    const up = await sendJob(s.url, demandCsv(), parts, { service_level: 0.9 });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const job = await untilFinal(s.url, up.body.id);
    expect(job.status, job.error_message ?? '').toBe('COMPLETED');
    // made in the background once completed; gone, it is made again on the next request
    const file = path.join(s.storage, 'outputs', `${job.id}.plan.csv.frontier.json`);
    await api(s.url, 'GET', `/api/jobs/${job.id}/inventory/frontier`);
    expect(existsSync(file)).toBe(true);
    rmSync(file);
    const pending = await summaryOf(job.id);
    expect(pending.frontier_state).toBe('pending');
    expect(pending.frontier).toEqual([]);
    expect(pending.plan_point).toBeNull();
    expect(pending.overall.expected_fill_rate).toBeGreaterThan(0.5);
    const f = await api<InventoryFrontierDto>(s.url, 'GET', `/api/jobs/${job.id}/inventory/frontier`);
    expect(f.status).toBe(200);
    expect(f.body.frontier.length).toBeGreaterThanOrEqual(20);
    expect(f.body.uniform.length).toBeGreaterThan(0);
    expect(f.body.plan_point).not.toBeNull();
    const ready = await summaryOf(job.id);
    expect(ready.frontier_state).toBe('ready');
    expect({ plan_point: ready.plan_point, frontier: ready.frontier, uniform: ready.uniform }).toEqual(f.body);
    // the endpoint follows the plan's checks: an unknown job is a 404
    const none = await api(s.url, 'GET', '/api/jobs/nope/inventory/frontier');
    expect(none.status).toBe(404);
  });

  it('goes with its job on Delete', async () => {
    const file = path.join(s.storage, 'outputs', `${base.id}.plan.csv.frontier.json`);
    expect(existsSync(file)).toBe(true);
    const del = await api(s.url, 'DELETE', `/api/jobs/${base.id}`);
    expect(del.status).toBeLessThan(300);
    expect(existsSync(file)).toBe(false);
  });
});
