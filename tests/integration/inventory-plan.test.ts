/**
 * The inventory plan of a job, end to end on the real server: upload with a parts file, COMPLETED, the plan
 * as CSV and XLSX (read back with exceljs), the Inventory view's rows and summary, a job without a parts
 * file, a rerun that keeps the parts file, and the files gone on delete.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import type { InventoryRowsDto, InventorySummaryDto, PlanRowDto } from '../../server/contract/inventory.js';
import { api, bootServer, filesIn, type TestServer } from '../helpers/server.js';
import { PLAN_HEADER, demandCsv, partsCsv, sendJob, untilFinal } from './inventory-support.js';

let s: TestServer;
let job: JobDto;
beforeAll(async () => {
  s = await bootServer();
  const up = await sendJob(s.url, demandCsv(), { name: 'parts list.csv', content: partsCsv() }, { service_level: 90 });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  job = await untilFinal(s.url, up.body.id);
});
afterAll(() => s.stop());

const rowsOf = async (q: string) =>
  (await api<InventoryRowsDto>(s.url, 'GET', `/api/jobs/${job.id}/inventory/rows${q}`)).body;

describe('inventory plan of a job', () => {
  it('completes with a plan: CSV download with the fixed columns and the parts file applied', async () => {
    expect(job.status, job.error_message ?? '').toBe('COMPLETED');
    expect(job.has_plan).toBe(true);
    expect(job.parts_filename).toBe('parts list.csv');
    expect(filesIn(s.storage, 'uploads').sort()).toEqual([`${job.id}.csv`, `${job.id}.parts.csv`]);
    expect(filesIn(s.storage, 'outputs')).toContain(`${job.id}.plan.csv`);
    const res = await fetch(`${s.url}/api/jobs/${job.id}/inventory`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="?demand-inventory-\w+\.csv/);
    const lines = (await res.text()).trimEnd().split('\n');
    expect(lines[0]).toBe(PLAN_HEADER);
    expect(lines).toHaveLength(1 + 12); // 6 parts × 2 sites
    const col = (c: string) => PLAN_HEADER.split(',').indexOf(c);
    const p1a = lines.find((l) => l.startsWith('P1,A,'))!.split(',');
    // 14 days at a daily frequency, the parts file's cost and stock; the job's 90 % target
    expect(p1a[col('lead_time_periods')]).toBe('14');
    expect(p1a[col('service_level')]).toBe('0.9');
    expect(Number(p1a[col('order_up_to')])).toBe(Number(p1a[col('ltd_q90')]));
    expect(Number(p1a[col('stock_value')])).toBeCloseTo(Number(p1a[col('order_up_to')]) * 2.5, 6);
    expect(p1a[col('suggested_order')]).toBe(String(Math.max(0, Number(p1a[col('order_up_to')]) - 3 - 1)));
    // the formula-like part stays text: quoted with a leading '
    expect(lines.some((l) => l.startsWith(`"'=HYPERLINK(""http://x"")",A,`))).toBe(true);
  });

  it('CSV and rows: the chance of any demand within lead time + review, and the periods since the last demand', async () => {
    // the last day each (part, site) sold in the upload, and the upload's last day (the forecast origin)
    const last = new Map<string, number>();
    let end = 0;
    for (const l of demandCsv().trimEnd().split('\n').slice(1)) {
      const m = /^\d+,([\d-]+),("(?:[^"]|"")*"|[^,]*),(\w+)$/.exec(l)!;
      const day = Date.parse(m[1]) / 86_400_000;
      const part = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/""/g, '"') : m[2];
      last.set(`${part}@${m[3]}`, Math.max(last.get(`${part}@${m[3]}`) ?? 0, day));
      end = Math.max(end, day);
    }
    const text = await (await fetch(`${s.url}/api/jobs/${job.id}/inventory`)).text();
    const cells = text
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const at = PLAN_HEADER.split(',').indexOf('demand_chance');
    const tail = cells.map((c) => c.slice(at, at + 2));
    for (const [chance, since] of tail) {
      expect(chance).toMatch(/^(0|1|0\.\d{1,4})$/);
      expect(since).toMatch(/^\d+$/);
    }
    const rows = (await rowsOf('?page_size=500')).rows;
    expect(rows).toHaveLength(12);
    const sinces = new Set<number>();
    for (const r of rows) {
      expect(r.periods_since_demand).toBe(end - last.get(`${r.partnumber}@${r.site_code}`)!);
      sinces.add(r.periods_since_demand!);
      expect(r.demand_chance).toBeGreaterThan(0);
      expect(r.demand_chance).toBeLessThanOrEqual(1);
      // the mean is the chance times the mean demand when some comes: never below the mean itself
      expect(r.ltd_mean / r.demand_chance!).toBeGreaterThanOrEqual(r.ltd_mean);
    }
    expect(sinces.size).toBeGreaterThan(1); // the file's parts differ in how long ago they sold
  });

  it('XLSX download: the same rows, numbers as numbers, the formula-like part as text', async () => {
    const res = await fetch(`${s.url}/api/jobs/${job.id}/inventory?format=xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    // readable headers (issue 21 item 12e), each with the CSV's column name as its note
    const notes = PLAN_HEADER.split(',').map((_, i) => {
      const note = ws.getRow(1).getCell(i + 1).note;
      return (typeof note === 'string' ? note : (note?.texts ?? []).map((t) => t.text).join('')).replace(
        'column: ',
        '',
      );
    });
    expect(notes.join(',')).toBe(PLAN_HEADER);
    expect(ws.rowCount).toBe(13);
    const cells = [...Array(ws.rowCount - 1).keys()].map((i) => (ws.getRow(i + 2).values as unknown[]).slice(1));
    const evil = cells.find((r) => String(r[0]).includes('HYPERLINK'))!;
    expect(evil[0]).toBe(`'=HYPERLINK("http://x")`);
    for (const r of cells) {
      expect(typeof r[0]).toBe('string');
      expect(typeof r[12]).toBe('number'); // order_up_to
    }
    for (let i = 2; i <= ws.rowCount; i++) expect(ws.getRow(i).getCell(1).formula).toBeUndefined();
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });

  it('rows: filter by part, site, class and to_order; sort both ways; paginate', async () => {
    const all = await rowsOf('?page_size=500');
    expect(all.total).toBe(12);
    const evil = all.rows.find((r) => r.partnumber.startsWith('='));
    expect(evil?.partnumber).toBe('=HYPERLINK("http://x")'); // as uploaded
    const byValue = (r: PlanRowDto[]) => r.map((x) => x.stock_value);
    const values = byValue(all.rows);
    const costed = values.filter((v): v is number => v !== null);
    expect(costed).toEqual([...costed].sort((a, b) => b - a)); // default: stock_value desc
    expect(values.slice(costed.length).every((v) => v === null)).toBe(true); // blanks last
    const siteB = await rowsOf('?site_code=B&sort=partnumber&dir=asc');
    expect(siteB.total).toBe(6);
    expect(siteB.rows.every((r) => r.site_code === 'B')).toBe(true);
    const names = siteB.rows.map((r) => r.partnumber);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect((await rowsOf('?q=p1')).rows.map((r) => `${r.partnumber}@${r.site_code}`).sort()).toEqual(['P1@A', 'P1@B']);
    const cls = all.rows[0].demand_class;
    const byClass = await rowsOf(`?demand_class=${encodeURIComponent(cls)}&page_size=500`);
    expect(byClass.total).toBe(all.rows.filter((r) => r.demand_class === cls).length);
    const toOrder = await rowsOf('?to_order=true&page_size=500');
    expect(toOrder.total).toBe(all.rows.filter((r) => (r.suggested_order ?? 0) > 0).length);
    const p2 = await rowsOf('?sort=partnumber&dir=asc&page=2&page_size=5');
    expect(p2).toMatchObject({ total: 12, page: 2, page_size: 5 });
    const sortedAll = (await rowsOf('?sort=partnumber&dir=asc&page_size=500')).rows;
    expect(p2.rows).toEqual(sortedAll.slice(5, 10));
    const bad = await api<{ error: { code: string } }>(s.url, 'GET', `/api/jobs/${job.id}/inventory/rows?sort=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('summary: totals per site and overall, the service-vs-stock curve over costed series', async () => {
    const sum = (await api<InventorySummaryDto>(s.url, 'GET', `/api/jobs/${job.id}/inventory/summary`)).body;
    const rows = (await rowsOf('?page_size=500')).rows;
    expect(sum.service_level).toBe(0.9);
    expect(sum.has_parts_file).toBe(true);
    expect(sum.by_site.map((x) => x.site_code)).toEqual(['A', 'B']);
    const value = (rs: PlanRowDto[]) => rs.reduce((t, r) => t + (r.stock_value ?? 0), 0);
    expect(sum.overall.series).toBe(12);
    expect(sum.overall.stock_value).toBeCloseTo(value(rows), 2);
    expect(sum.overall.costed_series).toBe(rows.filter((r) => r.unit_cost !== null).length);
    expect(sum.overall.stocked_series).toBe(rows.filter((r) => r.on_hand !== null).length);
    expect(sum.overall.stocked_series).toBeGreaterThan(0);
    expect(sum.overall.stocked_series).toBeLessThan(12);
    for (const site of sum.by_site) {
      const mine = rows.filter((r) => r.site_code === site.site_code);
      expect(site.series).toBe(mine.length);
      expect(site.stock_value).toBeCloseTo(value(mine), 2);
      const order = mine.filter((r) => (r.suggested_order ?? 0) > 0);
      expect(site.parts_to_order).toBe(order.length);
      expect(site.units_to_order).toBe(order.reduce((t, r) => t + r.suggested_order!, 0));
    }
    const q99 = rows.reduce((t, r) => t + (r.unit_cost === null ? 0 : r.unit_cost * r.ltd_q99), 0);
    expect(sum.curve.map((c) => c.service_level)).toEqual([0.8, 0.9, 0.95, 0.99]);
    expect(sum.curve[3].stock_value).toBeCloseTo(q99, 2);
    const v = sum.curve.map((c) => c.stock_value);
    expect(v).toEqual([...v].sort((a, b) => a - b));
    expect(sum.demand_classes).toEqual([...new Set(rows.map((r) => r.demand_class))].sort());
  });

  it('a job without a parts file gets a plan with the default lead time and no costs', async () => {
    const up = await sendJob(s.url, demandCsv(), null, { lead_time_days: 7, review_periods: 2 });
    const done = await untilFinal(s.url, up.body.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.parts_filename).toBeNull();
    const rows = (await api<InventoryRowsDto>(s.url, 'GET', `/api/jobs/${done.id}/inventory/rows?page_size=500`)).body;
    expect(rows.total).toBe(12);
    for (const r of rows.rows) {
      expect(r).toMatchObject({ lead_time_periods: 7, review_periods: 2, service_level: 0.95, unit_cost: null });
      expect(r.stock_value).toBeNull();
      expect(r.suggested_order).toBeNull();
    }
    const sum = (await api<InventorySummaryDto>(s.url, 'GET', `/api/jobs/${done.id}/inventory/summary`)).body;
    expect(sum).toMatchObject({ has_parts_file: false, service_level: 0.95 });
    // unknown, not zero: nothing is stocked or costed (issue 21 item 4)
    expect(sum.overall).toMatchObject({ series: 12, stock_value: 0, costed_series: 0, stocked_series: 0 });
    for (const site of sum.by_site) expect(site).toMatchObject({ stocked_series: 0, costed_series: 0 });
  });

  it('rerun keeps a copy of the parts file; delete removes each job its own files and plan', async () => {
    const rerun = await api<JobDto>(s.url, 'POST', `/api/jobs/${job.id}/rerun`, {});
    expect(rerun.status).toBe(201);
    expect(rerun.body.parts_filename).toBe('parts list.csv');
    const done = await untilFinal(s.url, rerun.body.id);
    expect(done.status).toBe('COMPLETED');
    const first = (await rowsOf('?page_size=500')).rows;
    const again = await api<InventoryRowsDto>(s.url, 'GET', `/api/jobs/${done.id}/inventory/rows?page_size=500`);
    expect(again.body.rows.find((r) => r.partnumber === 'P1' && r.site_code === 'A')?.unit_cost).toBe(2.5);
    expect(again.body.rows.length).toBe(first.length);
    expect((await api(s.url, 'DELETE', `/api/jobs/${job.id}`)).status).toBe(204);
    for (const f of [`uploads/${job.id}.parts.csv`, `uploads/${job.id}.csv`, `outputs/${job.id}.plan.csv`])
      expect(existsSync(path.join(s.storage, f))).toBe(false);
    expect(existsSync(path.join(s.storage, 'uploads', `${done.id}.parts.csv`))).toBe(true);
    const gone = await api<{ error: { code: string } }>(s.url, 'GET', `/api/jobs/${job.id}/inventory/summary`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('JOB_NOT_FOUND');
  });
});
