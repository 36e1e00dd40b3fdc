/**
 * Issue 21 item 12 (e): the plan workbook a planner opens. Readable headers (the CSV's column name kept as
 * each header's note), a filter on the header row, money with two decimals, and a sheet "Job" with the
 * job's files, date, settings and totals, which follows a re-plan. The CSV keeps its machine header.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { PLAN_COLUMNS } from '../../server/contract/plan-columns.js';
import { api, bootServer, type TestServer } from '../helpers/server.js';
import { PLAN_HEADER, demandCsv, partsCsv, sendJob, untilFinal } from './inventory-support.js';

/** A file name a spreadsheet would run as a formula. */
const BAD_NAME = '=1+2 permintaan.csv';

let s: TestServer;
let job: JobDto;
beforeAll(async () => {
  s = await bootServer();
  const form = new FormData();
  form.append('file', new Blob([demandCsv()]), BAD_NAME);
  form.append('parts', new Blob([partsCsv()]), 'stok.csv');
  form.append('config', JSON.stringify({ forecast_horizon: 14, lead_time_days: 21, review_periods: 2 }));
  const res = await fetch(`${s.url}/api/jobs`, { method: 'POST', body: form });
  expect(res.status).toBe(201);
  job = await untilFinal(s.url, ((await res.json()) as JobDto).id);
  expect(job.status, job.error_message ?? '').toBe('COMPLETED');
});
afterAll(() => s.stop());

async function workbook(id: string): Promise<ExcelJS.Workbook> {
  const res = await fetch(`${s.url}/api/jobs/${id}/inventory?format=xlsx`);
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  return wb;
}

/** The "Job" sheet as label → value. */
const jobSheet = (wb: ExcelJS.Workbook) => {
  const ws = wb.getWorksheet('Job');
  expect(ws).toBeDefined();
  const out: Record<string, unknown> = {};
  ws!.eachRow((row) => (out[String(row.getCell(1).value)] = row.getCell(2).value));
  return out;
};

describe('the plan workbook', () => {
  it('has readable headers with the CSV names as notes, a filter, two-decimal money; the CSV is unchanged', async () => {
    const wb = await workbook(job.id);
    const ws = wb.getWorksheet('Inventory plan')!;
    const head = ws.getRow(1);
    expect(head.getCell(1).value).toBe('Part number');
    expect(head.getCell(PLAN_COLUMNS.indexOf('order_up_to') + 1).value).toBe('Order-up-to level');
    expect(head.getCell(PLAN_COLUMNS.indexOf('suggested_order') + 1).value).toBe('Suggested order');
    PLAN_COLUMNS.forEach((c, i) => {
      const note = head.getCell(i + 1).note;
      const text = typeof note === 'string' ? note : (note?.texts ?? []).map((t) => t.text).join('');
      expect(text, c).toBe(`column: ${c}`);
    });
    // the last column's letters (AA after Z)
    const n = PLAN_COLUMNS.length;
    const last =
      (n > 26 ? String.fromCharCode(64 + Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26));
    expect(ws.autoFilter).toBe(`A1:${last}1`); // every column, AA
    expect(ws.rowCount).toBe(13); // header + 12 rows
    const value = PLAN_COLUMNS.indexOf('stock_value') + 1;
    const costed = [...Array(12).keys()].map((i) => ws.getRow(i + 2).getCell(value)).find((c) => c.value != null);
    expect(costed?.numFmt).toBe('#,##0.00');

    const csv = await (await fetch(`${s.url}/api/jobs/${job.id}/inventory`)).text();
    expect(csv.split('\n')[0]).toBe(PLAN_HEADER);
  });

  it('has a "Job" sheet with the files, the date, the settings and the totals; a re-plan updates it', async () => {
    const before = jobSheet(await workbook(job.id));
    expect(before['Demand file']).toBe(`'${BAD_NAME}`); // a formula-like file name stays text
    expect(before['Parts file']).toBe('stok.csv');
    expect(before['Job id']).toBe(job.id);
    expect((before['Created (UTC)'] as Date).toISOString().slice(0, 16)).toBe(job.created_at.slice(0, 16));
    expect(before).toMatchObject({
      'Forecast horizon (periods)': 14,
      Frequency: 'daily',
      'Service level': 0.95,
      'Lead time (days)': 21,
      'Review periods': 2,
      'Series (part × site)': job.metrics!.inventory!.series,
      'Parts to order': job.metrics!.inventory!.parts_to_order,
      'Units to order': job.metrics!.inventory!.units_to_order,
      'Stock value': job.metrics!.inventory!.stock_value,
    });

    const r = await api(s.url, 'POST', `/api/jobs/${job.id}/inventory/plan`, { service_level: 0.99 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const after = jobSheet(await workbook(job.id));
    expect(after['Service level']).toBe(0.99);
    const now = (await api<JobDto>(s.url, 'GET', `/api/jobs/${job.id}`)).body;
    expect(after['Stock value']).toBe(now.metrics!.inventory!.stock_value);
  });

  it('says "not known" for the stock value of a plan without unit costs', async () => {
    const up = await sendJob(s.url, demandCsv(), null);
    const plain = await untilFinal(s.url, up.body.id);
    const sheet = jobSheet(await workbook(plain.id));
    expect(sheet['Parts file']).toMatch(/^none/);
    expect(sheet['Stock value']).toBe('not known (no unit costs)');
  });
});
