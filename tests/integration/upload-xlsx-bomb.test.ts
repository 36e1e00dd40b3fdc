/**
 * Workbooks that are cheap to send and dear to read (issue 14): a shared-strings bomb under the 100×
 * rule is refused with a readable 400 before any workbook reader sees it, and an upload whose client
 * goes away while it is being checked creates no job and leaves no temp file.
 */
import { rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../server/contract/errors.js';
import { createUploadGate } from '../../server/http/upload-gate.js';
import { openSource, readHeadRows, readRows } from '../../server/forecast/parse/source.js';
import { readXlsxHeadRows, xlsxSheetHeads } from '../../server/forecast/parse/xlsx-head.js';
import { DEMAND_SHEET } from '../../server/forecast/parse/load.js';
import { xlsxSharedStringsBomb, xlsxZipBomb } from '../fixtures/bad/builders.js';
import { api, bootServer, filesIn, uploadJob, type TestServer } from '../helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await bootServer();
});
afterAll(async () => {
  await s.stop();
});

async function until(ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

/** Sends the whole multipart body, then drops the connection `afterMs` later without reading the answer. */
async function abandonUpload(url: string, name: string, content: Buffer, afterMs: number): Promise<void> {
  const boundary = 'sparecast-abandon';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const req = http.request(`${url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
  });
  req.on('error', () => undefined);
  await new Promise<void>((resolve) => req.end(body, () => resolve()));
  await new Promise((r) => setTimeout(r, afterMs));
  req.destroy();
}

describe('XLSX uploads that would cost far more memory than their size', () => {
  it('refuses a workbook of 40 MB of shared strings (72× its size) with a clear 400', async () => {
    const file = await xlsxSharedStringsBomb(40);
    expect(file.length).toBeLessThan(1024 * 1024);
    const r = await uploadJob(s.url, { name: 'strings.xlsx', content: file }, {});
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('DAMAGED_FILE');
    expect(r.body.error?.message).toMatch(/"strings\.xlsx" holds more than 16 MB of shared text when unzipped/);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
    expect(filesIn(s.storage, 'uploads')).toEqual([]);
  });

  it('still accepts a workbook with a modest shared-strings part', async () => {
    const r = await uploadJob(s.url, { name: 'small.xlsx', content: await xlsxSharedStringsBomb(2) }, {});
    expect(r.status).toBe(201);
    await api(s.url, 'DELETE', `/api/jobs/${r.body.id}?force=true`);
  });

  it('creates nothing and leaves no temp file when the client leaves mid-check', async () => {
    const before = (await api<{ total: number }>(s.url, 'GET', '/api/jobs')).body.total;
    // 60 MB of sheet XML: under the inflate limit, and slow enough to read that the client leaves first.
    await abandonUpload(s.url, 'slow.xlsx', await xlsxZipBomb(60), 100);
    await until(() => filesIn(s.storage, 'tmp').length === 0, 30_000);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
    // Give a check that was not stopped the time to finish and create its job.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await api<{ total: number }>(s.url, 'GET', '/api/jobs')).body.total).toBe(before);
    expect(filesIn(s.storage, 'uploads')).toEqual([]);
  });
});

describe('the cap on uploads checked at once', () => {
  it('lets two through, makes the third wait for a slot, and answers 429 after the wait', async () => {
    const gate = createUploadGate(2, 200);
    const signal = new AbortController().signal;
    const a = await gate.acquire(signal);
    const b = await gate.acquire(signal);
    let third = false;
    const c = gate.acquire(signal).then((release) => ((third = true), release));
    await new Promise((r) => setTimeout(r, 50));
    expect(third).toBe(false);
    a();
    (await c)();
    expect(third).toBe(true);
    const d = await gate.acquire(signal);
    const late = await gate.acquire(signal).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(AppError);
    expect((late as AppError).status).toBe(429);
    expect((late as AppError).code).toBe('RATE_LIMITED');
    b();
    d();
    expect(gate.active).toBe(0);
  });

  it('gives up the wait at once when the client leaves', async () => {
    const gate = createUploadGate(1, 10_000);
    const hold = await gate.acquire(new AbortController().signal);
    const ctl = new AbortController();
    const waiting = gate.acquire(ctl.signal).catch((e: unknown) => e);
    ctl.abort();
    expect(((await waiting) as AppError).message).toMatch(/abandoned/);
    hold();
    expect(gate.active).toBe(0);
  });
});

describe('the bounded head reader', () => {
  it('reads the first rows exactly as the workbook reader does, shared strings and all', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('demand');
    ws.addRow(['demand_qty', 'date', 'part & <number>', 'site_code']);
    ws.getCell('F1').value = { richText: [{ text: 'rich ' }, { text: 'text' }] };
    for (let i = 0; i < 3000; i++) ws.addRow([i, `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, `P${i}`, 'S1']);
    const file = path.join(os.tmpdir(), `sparecast-head-${process.pid}.xlsx`);
    await wb.xlsx.writeFile(file);
    try {
      const { source } = await openSource(file, 'head.xlsx');
      const expected: string[][] = [];
      for await (const row of readRows(file, source)) if (expected.push(row) >= 20) break;
      expect(await readXlsxHeadRows(file, 20)).toEqual(expected);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('picks the same sheet as the workbook reader: the first with the demand header, named as exceljs names it', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Catatan').addRow(['only notes here']);
    wb.addWorksheet('Kosong');
    const data = wb.addWorksheet('Data & <more>');
    data.addRow([]);
    data.addRow(['qty', 'tanggal', 'kode_part', 'gudang']);
    for (let i = 0; i < 30; i++) data.addRow([i, '2024-01-01', `P${i}`, 'S1']);
    wb.addWorksheet('Later').addRow(['demand_qty', 'date', 'partnumber', 'site_code']);
    const file = path.join(os.tmpdir(), `sparecast-pick-${process.pid}.xlsx`);
    await wb.xlsx.writeFile(file);
    try {
      const names: string[] = [];
      for await (const sheet of xlsxSheetHeads(file, 2)) names.push(sheet.name);
      expect(names).toEqual(['Catatan', 'Kosong', 'Data & <more>', 'Later']);
      const { source } = await openSource(file, 'pick.xlsx');
      const head: string[][] = [];
      for await (const row of readHeadRows(file, source, DEMAND_SHEET)) head.push(row);
      const all: string[][] = [];
      for await (const row of readRows(file, source, undefined, DEMAND_SHEET)) all.push(row);
      expect(all.length).toBe(31);
      expect(head).toEqual(all.slice(0, 20));
      expect(head[0]).toEqual(['qty', 'tanggal', 'kode_part', 'gudang']);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
