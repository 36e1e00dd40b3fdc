/**
 * The exceptions worklist on the real server, pool and SQLite: a carparts job (60 parts) without stock has
 * nothing to judge; the same job with stock on hand in its parts file lists EXCESS and DEAD_STOCK before any
 * actuals; with actuals (and a new part whose number looks like a formula) it adds the tracking's codes, as
 * many as the tracking counts. Ranked by money at stake, reasons in the request's language, CSV and XLSX
 * downloads formula-safe. (STOCKOUT_RISK cannot come from these slow movers: tests/unit/server/worklist.test.ts.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import type { InventoryRowsDto, PlanRowDto } from '../../server/contract/inventory.js';
import type { TrackingDto } from '../../server/contract/tracking.js';
import { WORKLIST_COLUMNS, type WorklistDto } from '../../server/contract/worklist.js';
import { api, bootServer, filesIn, type TestServer } from '../helpers/server.js';
import { sendJob, untilFinal } from './inventory-support.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tracking');
const lines = (f: string) => readFileSync(path.join(FIXTURES, f), 'utf8').trimEnd().split('\n');
// the 40 parts with the most demand in the history and the 20 with the least (some idle for a year)
const sold = new Map<string, number>();
for (const l of lines('carparts-train.csv').slice(1)) {
  const [qty, , part] = l.split(',');
  sold.set(part, (sold.get(part) ?? 0) + Number(qty));
}
const busiest = [...sold].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([p]) => p);
const chosen = new Set([...busiest.slice(0, 40), ...busiest.slice(-20)]);
const pick = (f: string, col: number) => {
  const [head, ...rest] = lines(f);
  return `${[head, ...rest.filter((l) => chosen.has(l.split(',')[col]))].join('\n')}\n`;
};
const train = pick('carparts-train.csv', 2);
const test = pick('carparts-test.csv', 1);
const parts = pick('carparts-parts.csv', 0);
// a part the history never had, whose number a spreadsheet would run as a formula
const FORMULA_PART = '=1+2';
const actuals = `${test}2001-06-01,${FORMULA_PART},CARPARTS,7\n`;

type Err = { error?: { code: string; message: string } };
let s: TestServer;
let bare: JobDto, stocked: JobDto;
let plan: Map<string, PlanRowDto>;
const designed: Record<'EXCESS' | 'DEAD_STOCK', string> = { EXCESS: '', DEAD_STOCK: '' };
const list = (id: string, query = '', headers: Record<string, string> = {}) =>
  fetch(`${s.url}/api/jobs/${id}/exceptions?${query}`, { headers }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as WorklistDto & Err,
  }));

async function run(partsFile: string): Promise<JobDto> {
  const up = await sendJob(s.url, train, { name: 'parts.csv', content: partsFile }, { forecast_horizon: 12 });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const j = await untilFinal(s.url, up.body.id, 120_000);
  expect(j.status, j.error_message ?? '').toBe('COMPLETED');
  return j;
}

beforeAll(async () => {
  s = await bootServer();
  bare = await run(parts);
  const rows = (await api<InventoryRowsDto>(s.url, 'GET', `/api/jobs/${bare.id}/inventory/rows?page_size=500`)).body
    .rows;
  plan = new Map(rows.map((r) => [r.partnumber, r]));
  // stock on hand per part: the plan's level (nothing to say) except two parts made to need attention
  designed.EXCESS = rows.find((r) => r.ltd_mean > 0 && r.periods_since_demand === 0)!.partnumber;
  designed.DEAD_STOCK = rows.find((r) => r.periods_since_demand === null || r.periods_since_demand >= 12)!.partnumber;
  const onHand = (r: PlanRowDto) =>
    r.partnumber === designed.EXCESS
      ? Math.ceil(r.order_up_to + r.ltd_mean) + 5
      : r.partnumber === designed.DEAD_STOCK
        ? 3
        : Math.ceil(r.order_up_to);
  const [head, ...rest] = parts.trimEnd().split('\n');
  const withStock = [
    `${head},on_hand,on_order`,
    ...rest.map((l) => {
      const r = plan.get(l.split(',')[0])!;
      return `${l},${onHand(r)},0`;
    }),
  ];
  stocked = await run(`${withStock.join('\n')}\n`);
}, 300_000);
afterAll(() => s.stop());

describe('the exceptions worklist', () => {
  it('has nothing to judge without actuals or stock; 404 for no such job, 400 for a bad query', async () => {
    const none = await list(bare.id);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ state: 'none', has_actuals: false, has_stock: false, total: 0, rows: [] });
    expect((await list('0123456789abcdef0123456789abcdef')).status).toBe(404);
    const bad = await list(bare.id, 'format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('VALIDATION_ERROR');
  });

  it('lists excess and dead stock from the plan and the stock alone', async () => {
    const { body } = await list(stocked.id, 'page_size=500');
    expect(body).toMatchObject({ state: 'ready', has_actuals: false, has_stock: true });
    expect(body.total).toBe(body.rows.length);
    const codes = new Set(body.rows.map((r) => r.code));
    expect([...codes].every((c) => ['STOCKOUT_RISK', 'EXCESS', 'DEAD_STOCK'].includes(c))).toBe(true);
    expect(body.counts.STOCKOUT_RISK).toBe(0); // a median lead-time demand of 0 everywhere here
    for (const code of ['EXCESS', 'DEAD_STOCK'] as const) {
      const row = body.rows.find((r) => r.code === code && r.partnumber === designed[code]);
      expect(row, `${code} for ${designed[code]}`).toBeDefined();
      expect(body.counts[code]).toBe(body.rows.filter((r) => r.code === code).length);
    }
    const excess = body.rows.find((r) => r.code === 'EXCESS' && r.partnumber === designed.EXCESS)!;
    const e = plan.get(designed.EXCESS)!;
    expect(excess.units).toBeCloseTo(Math.ceil(e.order_up_to + e.ltd_mean) + 5 - e.order_up_to, 4);
    // ranked by money at stake
    const stakes = body.rows.map((r) => r.stake);
    expect(stakes).toEqual([...stakes].sort((a, b) => b - a));
    for (const r of body.rows) expect(r.stake).toBeCloseTo(r.value ?? r.units, 6);
    // filters and pages
    const only = (await list(stocked.id, 'code=EXCESS&page_size=500')).body;
    expect(only.rows.every((r) => r.code === 'EXCESS')).toBe(true);
    expect(only.total).toBe(body.counts.EXCESS);
    const page2 = (await list(stocked.id, 'page=2&page_size=1')).body;
    expect(page2.rows).toEqual(body.rows.slice(1, 2));
  });

  it('adds the tracking’s codes once actuals exist, as many as the tracking counts', async () => {
    const form = new FormData();
    form.append('file', new Blob([actuals]), 'realisasi.csv');
    const sent = await fetch(`${s.url}/api/jobs/${stocked.id}/actuals`, { method: 'POST', body: form });
    const t = (await sent.json()) as TrackingDto;
    expect(sent.status, JSON.stringify(t)).toBe(201);
    if (t.state !== 'ready') throw new Error('no tracking');
    const { body } = await list(stocked.id, 'page_size=500&lang=en');
    expect(body).toMatchObject({ state: 'ready', has_actuals: true, has_stock: true, lang: 'en' });
    for (const code of ['DEMAND_ABOVE_PLAN', 'BIAS_DRIFT', 'NEW_PART', 'STOPPED_SELLING'] as const)
      expect(body.counts[code], code).toBe(t.exceptions[code]);
    expect(body.counts.DEMAND_ABOVE_PLAN).toBeGreaterThan(0);
    expect(body.counts.NEW_PART).toBe(1);
    const above = body.rows.find((r) => r.code === 'DEMAND_ABOVE_PLAN')!;
    expect(above.reason).toMatch(/^Demand over the \d+-period protection interval was [\d.,]+, above the order-up-to/);
    const fresh = body.rows.find((r) => r.code === 'NEW_PART')!;
    expect(fresh).toMatchObject({ partnumber: FORMULA_PART, units: 7, unit_cost: null, value: null, stake: 7 });
    expect(fresh.reason).toBe('7 units demanded over 12 periods for a part with no history in this job.');
  });

  it('words the reasons in the request’s language: lang, else Accept-Language, else Indonesian', async () => {
    const reason = async (query: string, headers: Record<string, string> = {}) =>
      (await list(stocked.id, `code=NEW_PART&${query}`, headers)).body.rows[0].reason;
    const en = '7 units demanded over 12 periods for a part with no history in this job.';
    const id = '7 unit diminta selama 12 periode untuk part tanpa riwayat di job ini.';
    expect(await reason('lang=en')).toBe(en);
    expect(await reason('lang=id', { 'Accept-Language': 'en-US' })).toBe(id);
    expect(await reason('', { 'Accept-Language': 'en-GB,en;q=0.9' })).toBe(en);
    expect(await reason('', { 'Accept-Language': 'ms-MY' })).toBe(id);
    expect(await reason('')).toBe(id);
    const excess = (await list(stocked.id, 'code=EXCESS&lang=id')).body.rows[0];
    expect(excess.reason).toMatch(/^Stok [\d.,]+ melebihi level order-up-to/);
  });

  it('downloads the list as CSV and XLSX, formula-safe, in the request’s language', async () => {
    const all = (await list(stocked.id, 'page_size=500&lang=en')).body;
    const csv = await fetch(`${s.url}/api/jobs/${stocked.id}/exceptions?format=csv&lang=en`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`exceptions-${stocked.id}-en.csv`);
    const text = await csv.text();
    const csvLines = text.trimEnd().split('\n');
    expect(csvLines[0]).toBe(WORKLIST_COLUMNS.join(','));
    expect(csvLines).toHaveLength(all.total + 1);
    const formulaLine = csvLines.find((l) => l.includes('NEW_PART'))!;
    expect(formulaLine.startsWith(`"'${FORMULA_PART}",CARPARTS,`)).toBe(true);
    // the same rows, in rank order
    expect(csvLines.slice(1).map((l) => l.split(',')[3])).toEqual(all.rows.map((r) => r.code));

    const xlsx = await fetch(`${s.url}/api/jobs/${stocked.id}/exceptions?format=xlsx&code=NEW_PART`, {
      headers: { 'Accept-Language': 'id-ID' },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(`exceptions-${stocked.id}-id.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Pengecualian')!;
    expect(ws.getRow(1).getCell(1).value).toBe('Nomor part');
    expect(ws.getRow(1).getCell(9).value).toBe('Alasan');
    expect(ws.rowCount).toBe(2);
    const cell = ws.getRow(2).getCell(1);
    expect(cell.value).toBe(`'${FORMULA_PART}`);
    expect(cell.formula).toBeUndefined();
    expect(ws.getRow(2).getCell(5).value).toBe(7);
    expect(String(ws.getRow(2).getCell(9).value)).toMatch(/^7 unit diminta/);
    // the temp workbook is gone once sent
    await new Promise((r) => setTimeout(r, 100));
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });
});
