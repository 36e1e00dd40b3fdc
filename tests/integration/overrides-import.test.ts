/**
 * Overrides imported from a file on the real server, pool and SQLite: a CSV with Indonesian headers, `;` and
 * decimal commas, and a workbook with a notes sheet first, are read like every file; a file with any bad row
 * sets none of its rows and names each bad line; a row replacing an override says so; viewers are refused;
 * the import is in the audit trail and leaves no temp file.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryDto } from '../../server/contract/auth.js';
import type { OverrideImportDto, OverrideListDto } from '../../server/contract/overrides.js';
import { setupAdmin, signIn, type Session } from '../helpers/auth.js';
import { bootServer, filesIn, type TestServer } from '../helpers/server.js';

type Err = { error: { code: string; message: string } };

let s: TestServer;
let admin: Session;
let viewer: Session;

beforeAll(async () => {
  s = await bootServer({ env: { AUTH: 'on' } });
  admin = await setupAdmin(s.url, s.setupUrl!);
  await admin.json('POST', '/api/users', { username: 'viewer1', password: 'viewer1-pass-1', role: 'viewer' });
  viewer = await signIn(s.url, 'viewer1', 'viewer1-pass-1');
}, 60_000);
afterAll(() => s?.stop());

async function send<T>(by: Session, content: string | Uint8Array, name: string) {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  const res = await by.fetch('/api/overrides/import', { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as T };
}
const all = async () => (await admin.json<OverrideListDto>('GET', '/api/overrides')).body;

async function workbook(sheets: [string, (string | number)[][]][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of sheets) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('overrides import', () => {
  it('reads a CSV with Indonesian headers, semicolons and decimal commas', async () => {
    const csv =
      '\uFEFFkode_part;lokasi;jenis;nilai;alasan;berlaku_sampai\n' +
      'P1;A;ramalan;2,5;kontrak armada mulai Maret;31/12/2099\n' +
      'P2;;service_level;99%;menghentikan mesin;\n' +
      'P3;B;level;12;stok minimum gudang;\n';
    const r = await send<OverrideImportDto>(admin, csv, 'penyesuaian.csv');
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ filename: 'penyesuaian.csv', rows: 3, replaced: 0 });
    const list = await all();
    expect(list.overrides.map((o) => [o.partnumber, o.site_code, o.kind, o.value, o.expires_on])).toEqual([
      ['P1', 'A', 'forecast_per_period', 2.5, '2099-12-31'],
      ['P2', null, 'service_level', 0.99, null],
      ['P3', 'B', 'order_up_to', 12, null],
    ]);
    expect(list.overrides[0]).toMatchObject({ reason: 'kontrak armada mulai Maret', created_by: 'admin' });
  });

  it('reads the first sheet of a workbook that has the columns, and replaces what it names again', async () => {
    const xlsx = await workbook([
      ['Notes', [['These are next quarter’s overrides']]],
      [
        'Overrides',
        [
          ['partnumber', 'site_code', 'kind', 'value', 'reason', 'expires_on'],
          ['P3', 'B', 'order_up_to', 20, 'new campaign', ''],
          ['P4', '', 'forecast_per_period', 0, 'mine closing'],
        ],
      ],
    ]);
    const r = await send<OverrideImportDto>(admin, xlsx, 'overrides.xlsx');
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ filename: 'overrides.xlsx', rows: 2, replaced: 1 });
    const list = await all();
    expect(list.total).toBe(4);
    expect(list.overrides.find((o) => o.partnumber === 'P3')).toMatchObject({ value: 20, reason: 'new campaign' });
  });

  it('sets nothing from a file with a bad row, naming every bad line', async () => {
    const before = await all();
    const csv = [
      'partnumber,site_code,kind,value,reason,expires_on',
      'P5,A,order_up_to,3,good row,',
      'P6,A,order_up_to,-2,negative,',
      'P7,A,forecast_per_period,1,,',
      'P5,A,order_up_to,4,twice,',
      'P8,A,price,1,unknown kind,',
      'P9,A,service_level,0.2,too low,',
      'P10,A,order_up_to,1,past,2001-01-01',
    ].join('\n');
    const r = await send<Err>(admin, csv, 'bad.csv');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('OVERRIDES_FILE_INVALID');
    const m = r.body.error.message;
    expect(m).toMatch(/^6 rows .* none was imported/);
    expect(m).toMatch(/line 3: value must not be negative/);
    expect(m).toMatch(/line 4: reason is required/);
    expect(m).toMatch(/line 5: order_up_to of P5 @ A is on line 2 already/);
    expect(m).toMatch(/line 6: kind must be one of/);
    expect(m).toMatch(/line 7: a service_level value/);
    expect(m).toMatch(/line 8: expires_on 2001-01-01 is in the past/);
    expect(await all()).toEqual(before);
    const cols = await send<Err>(admin, 'part,value\nP1,2\n', 'cols.csv');
    expect(cols.status).toBe(400);
    expect(cols.body.error.code).toBe('MISSING_COLUMNS');
    expect(cols.body.error.message).toMatch(/kind, reason/);
    const pdf = await send<Err>(admin, '%PDF', 'x.pdf');
    expect(pdf.body.error.code).toBe('UNSUPPORTED_FILE');
    expect(await all()).toEqual(before);
  });

  it('refuses a viewer and audits the imports; no temp file is left', async () => {
    const denied = await send<Err>(viewer, 'partnumber,kind,value,reason\nP1,order_up_to,1,why not\n', 'v.csv');
    expect(denied.status).toBe(403);
    const audit = await admin.json<{ entries: AuditEntryDto[] }>('GET', '/api/audit?action=override.import');
    expect(audit.body.entries.map((e) => e.detail).reverse()).toEqual([
      'penyesuaian.csv: 3 overrides (0 replaced)',
      'overrides.xlsx: 2 overrides (1 replaced)',
    ]);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });
});
