/**
 * Issue 21 items 8 and 10: a workbook whose demand sits on its second sheet is read from there (the upload
 * check and the run agree on the sheet), and a workbook without one names its sheets; a bad parts file
 * gets its own error in the preview, next to the demand preview, and the job's refusal names it.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewDto } from '../../server/contract/dto.js';
import { api, bootServer, filesIn, type TestServer } from '../helpers/server.js';
import { demandCsv, partsCsv, untilFinal } from './inventory-support.js';

let s: TestServer;
beforeAll(async () => {
  s = await bootServer();
});
afterAll(() => s?.stop());

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(ok()).toBe(true);
}

type Answer = { status: number; body: PreviewDto & { id: string; error?: { code: string; message: string } } };

async function send(
  p: '/api/preview' | '/api/jobs',
  demand: { name: string; content: Uint8Array | string },
  parts?: { name: string; content: string },
): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([demand.content]), demand.name);
  if (parts) form.append('parts', new Blob([parts.content]), parts.name);
  form.append('config', JSON.stringify({ forecast_horizon: 14 }));
  const res = await fetch(`${s.url}${p}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** A workbook written by exceljs: each sheet its name and rows. */
async function workbook(sheets: [string, (string | number)[][]][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of sheets) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  const file = path.join(os.tmpdir(), `sparecast-sheets-${process.pid}-${Math.random().toString(36).slice(2)}.xlsx`);
  await wb.xlsx.writeFile(file);
  try {
    const { readFileSync } = await import('node:fs');
    return new Uint8Array(readFileSync(file));
  } finally {
    rmSync(file, { force: true });
  }
}

const NOTES: (string | number)[][] = [['Catatan: data permintaan ada di sheet berikutnya'], ['dibuat oleh tim gudang']];
const DATA: (string | number)[][] = demandCsv()
  .trim()
  .split('\n')
  .map((l, i) => {
    const cells = l
      .match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)!
      .slice(0, 4)
      .map((c) => c.replace(/,$/, ''));
    return i === 0 ? cells : [Number(cells[0]), cells[1], cells[2].replace(/^"|"$/g, '').replace(/""/g, '"'), cells[3]];
  });

describe('a workbook whose demand sits on its second sheet', () => {
  it('is previewed from that sheet and runs to COMPLETED', async () => {
    const xlsx = await workbook([
      ['Notes', NOTES],
      ['Data', DATA],
    ]);
    const pv = await send('/api/preview', { name: 'two-sheets.xlsx', content: xlsx });
    expect(pv.status, JSON.stringify(pv.body)).toBe(200);
    expect(pv.body.format).toBe('xlsx');
    expect(pv.body.rows).toBe(DATA.length - 1);
    expect(pv.body.sites).toEqual(['A', 'B']);

    const job = await send('/api/jobs', { name: 'two-sheets.xlsx', content: xlsx });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const done = await untilFinal(s.url, job.body.id);
    expect(done.status, done.error_message ?? '').toBe('COMPLETED');
    expect(done.rows).toBe(DATA.length - 1);
    await api(s.url, 'DELETE', `/api/jobs/${done.id}`);
  });

  it('without a demand sheet: 400 naming every sheet, and no advice about delimiters', async () => {
    const xlsx = await workbook([
      ['Notes', NOTES],
      [
        'Ringkasan',
        [
          ['total', 'bulan'],
          [12, 'Jan'],
        ],
      ],
    ]);
    for (const p of ['/api/preview', '/api/jobs'] as const) {
      const r = await send(p, { name: 'no-demand.xlsx', content: xlsx });
      expect(r.status).toBe(400);
      expect(r.body.error?.code).toBe('MISSING_COLUMNS');
      expect(r.body.error?.message).toMatch(/No sheet of this workbook has the demand columns/);
      expect(r.body.error?.message).toMatch(/"Notes", "Ringkasan"/);
      expect(r.body.error?.message).not.toMatch(/delimiter/);
    }
    await until(() => filesIn(s.storage, 'tmp').length === 0);
    expect(filesIn(s.storage, 'uploads')).toEqual([]);
  });
});

describe('a bad parts file next to a good demand file', () => {
  const demand = { name: 'demand.csv', content: demandCsv() };
  const unclosed = { name: 'stok-gudang.csv', content: `${partsCsv()}\n"P3,,7,1,0,0\nP4,,2,1,0,0\n` };

  it('the preview still shows the demand file, and the parts file its own error naming it', async () => {
    const r = await send('/api/preview', demand, unclosed);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.sites).toEqual(['A', 'B']);
    expect(r.body.series).toBeGreaterThan(0);
    expect(r.body.parts_file ?? null).toBeNull();
    expect(r.body.parts_file_error?.filename).toBe('stok-gudang.csv');
    expect(r.body.parts_file_error?.message).toMatch(/^The parts file "stok-gudang\.csv"/);
    expect(r.body.parts_file_error?.message).toMatch(/quote/);

    // refused at the upload check (no part column): the same, with the check's code
    const noPart = await send('/api/preview', demand, { name: 'harga.csv', content: 'colour,unit_cost\nred,1\n' });
    expect(noPart.status, JSON.stringify(noPart.body)).toBe(200);
    expect(noPart.body.sites).toEqual(['A', 'B']);
    expect(noPart.body.parts_file_error).toMatchObject({ filename: 'harga.csv', code: 'MISSING_COLUMNS' });
    expect(noPart.body.parts_file_error?.message).toMatch(/^The parts file "harga\.csv" is missing partnumber/);
    await until(() => filesIn(s.storage, 'tmp').length === 0);
  });

  it('a job with it is refused or fails with a message naming the parts file', async () => {
    const noPart = await send('/api/jobs', demand, { name: 'harga.csv', content: 'colour,unit_cost\nred,1\n' });
    expect(noPart.status).toBe(400);
    expect(noPart.body.error?.message).toMatch(/^The parts file "harga\.csv" is missing partnumber/);

    const quote = await send('/api/jobs', demand, unclosed);
    expect(quote.status).toBe(400);
    expect(quote.body.error?.message).toMatch(/^The parts file "stok-gudang\.csv": .*quote/);

    // found bad only when the job reads it: FAILED, naming it
    const job = await send('/api/jobs', demand, { name: 'lain.csv', content: 'part,lead_time\nNOPE,3\n' });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const done = await untilFinal(s.url, job.body.id);
    expect(done.status).toBe('FAILED');
    expect(done.error_message).toMatch(/^The parts file "lain\.csv": None of the 1 rows/);
    await api(s.url, 'DELETE', `/api/jobs/${done.id}`);
  });
});
