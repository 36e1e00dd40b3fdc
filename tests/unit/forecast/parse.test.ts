import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobConfig } from '../../../server/contract/dto.js';
import { engine, InputError } from '../../../server/forecast/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sparecast-parse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let k = 0;
const file = (content: string | Buffer, ext = 'csv') => {
  const p = join(dir, `f${k++}.${ext}`);
  writeFileSync(p, content);
  return p;
};
const cfg = (over: Partial<JobConfig> = {}): JobConfig => ({
  forecast_horizon: 3,
  forecast_start_date: null,
  forecast_site_codes: [],
  date_format: 'auto',
  zero_threshold: 0,
  rounding_mode: 'half_up',
  frequency: null,
  method: 'naive',
  ...over,
});
const rejects = async (p: Promise<unknown>, code: string, text?: RegExp) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InputError);
  expect((e as InputError).code).toBe(code);
  if (text) expect((e as InputError).message).toMatch(text);
};
const run = async (path: string, c: JobConfig) => {
  const prep = await engine.loadDemand(path, path, c);
  const res = prep.partitions.map((p) =>
    engine.forecastPartition(p, prep.context, c, { progress() {}, shouldStop: () => false }),
  );
  return {
    prep,
    res,
    lines: res
      .map((r) => r.csv)
      .join('')
      .trimEnd()
      .split('\n'),
  };
};

describe('reading files', () => {
  it('matches aliases case-insensitively and sniffs ; with a BOM and CRLF', async () => {
    const p = file('\uFEFF Quantity ;Date;SKU;Warehouse;Note\r\n2;2024-01-01;A1;W1;x\r\n3;2024-01-02;A1;W1;y\r\n');
    const h = await engine.inspectHead(p, 'x.csv');
    expect(h).toMatchObject({ format: 'csv', encoding: 'utf8-bom', delimiter: ';', extraColumns: ['Note'] });
    expect(h.columns).toEqual({ demand_qty: 'Quantity', date: 'Date', partnumber: 'SKU', site_code: 'Warehouse' });
  });
  it.each([['\t'], ['|'], [',']])('reads delimiter %j', async (d) => {
    const p = file(['qty', 'date', 'part', 'site'].join(d) + '\n' + ['5', '2024-01-01', '007', 'S'].join(d) + '\n');
    const pv = await engine.previewDemand(p, 'x.csv', { date_format: 'auto' });
    expect(pv.delimiter).toBe(d);
    expect(pv.rows).toBe(1);
  });
  it('decodes cp1252', async () => {
    const p = file(iconv.encode('qty,date,part,site\n1,2024-01-01,P1,Zürich\n', 'win1252'));
    const pv = await engine.previewDemand(p, 'x.csv', { date_format: 'auto' });
    expect(pv.encoding).toBe('cp1252');
    expect(pv.sites).toEqual(['Zürich']);
  });
  it('reads XLSX with date cells and numeric parts', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('demand');
    ws.addRow(['Part_Number', 'Location', 'Demand', 'Date']);
    ws.addRow(['0061234567', 'S1', 4, new Date(Date.UTC(2024, 0, 1))]);
    ws.addRow([61234567, 'S1', 2, new Date(Date.UTC(2024, 1, 1))]);
    const p = join(dir, 'book.xlsx');
    await wb.xlsx.writeFile(p);
    const pv = await engine.previewDemand(p, 'book.xlsx', { date_format: 'auto' });
    expect(pv).toMatchObject({ format: 'xlsx', rows: 2, parts: 2, first_date: '2024-01-01', last_date: '2024-02-01' });
  });
  it('names the missing columns', async () => {
    await rejects(
      engine.inspectHead(file('qty,when,part\n1,2024-01-01,A\n'), 'x.csv'),
      'MISSING_COLUMNS',
      /date.*site_code/s,
    );
  });
  it('rejects empty and binary files', async () => {
    await rejects(engine.inspectHead(file(''), 'x.csv'), 'EMPTY_FILE');
    await rejects(engine.inspectHead(file(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0])), 'x.xls'), 'UNSUPPORTED_FILE');
  });
});

describe('dates', () => {
  it('a day above 12 proves DMY', async () => {
    const pv = await engine.previewDemand(file('qty,date,part,site\n1,13/01/2024,A,S\n1,02/01/2024,A,S\n'), 'x.csv', {
      date_format: 'auto',
    });
    expect(pv).toMatchObject({
      date_order: 'DMY',
      date_order_ambiguous: false,
      first_date: '2024-01-02',
      last_date: '2024-01-13',
    });
  });
  it('ambiguous dates are read MDY with a warning', async () => {
    const pv = await engine.previewDemand(file('qty,date,part,site\n1,8/5/2024,A,S\n1,8/6/2024,A,S\n'), 'x.csv', {
      date_format: 'auto',
    });
    expect(pv).toMatchObject({ date_order: 'MDY', date_order_ambiguous: true, first_date: '2024-08-05' });
    expect(pv.warnings.join(' ')).toMatch(/ambiguous/i);
    const dmy = await engine.previewDemand(file('qty,date,part,site\n1,8/5/2024,A,S\n'), 'x.csv', {
      date_format: 'DMY',
    });
    expect(dmy.first_date).toBe('2024-05-08');
  });
  it('unreadable dates fail with a count and examples', async () => {
    await rejects(
      engine.loadDemand(
        file('qty,date,part,site\n1,2024-01-01,A,S\n1,yesterday,A,S\n1,2024-02-30,A,S\n'),
        'x.csv',
        cfg(),
      ),
      'BAD_DATES',
      /2 rows.*"yesterday".*"2024-02-30"/,
    );
  });
});

describe('rows, series and config', () => {
  const csv =
    'qty,date,part,site\n2,2024-01-01,0061234567,S1\n3,2024-01-01,0061234567,S1\n1,2024-01-03,61234567,S1\nabc,2024-01-02,X,S1\n-1,2024-01-02,X,S1\n4,2024-01-02,,S1\n5,2024-01-02,B,S2\n';
  it('sums duplicates, keeps leading zeros, reports bad rows', async () => {
    const pv = await engine.previewDemand(file(csv), 'x.csv', { date_format: 'auto' });
    expect(pv).toMatchObject({ rows: 7, parts: 3, series: 3, duplicates: 1, sites: ['S1', 'S2'], frequency: 'D' });
    const codes = Object.fromEntries(pv.issues.map((i) => [i.code, i.count]));
    expect(codes).toMatchObject({ BAD_QUANTITY: 1, NEGATIVE_QUANTITY: 1, BLANK_PARTNUMBER: 1 });
    expect(pv.issues.find((i) => i.code === 'BAD_QUANTITY')!.examples[0]).toMatch(/abc/);
    const { lines } = await run(file(csv), cfg({ forecast_site_codes: ['S1'] }));
    const first = lines.filter((l) => l.includes(',0061234567,'));
    // series 0061234567: 5, 0, 0 over 2024-01-01..03 → naive 0; 61234567: 0, 0, 1 (starts at the file start) → 1
    expect(first[0]).toBe('2024-01-04,0061234567,S1,0,0,0,naive,intermittent,0,' + first[0].split(',')[9]);
    expect(
      lines
        .find((l) => l.includes(',61234567,'))!
        .split(',')
        .slice(0, 6),
    ).toEqual(['2024-01-04', '61234567', 'S1', '1', '1', '1']);
    expect(lines.every((l) => !l.includes(',S2,'))).toBe(true);
  });
  it('unknown sites are listed with the available ones', async () => {
    await rejects(
      engine.loadDemand(file(csv), 'x.csv', cfg({ forecast_site_codes: ['S9'] })),
      'UNKNOWN_SITES',
      /S9.*S1, S2/,
    );
  });
  it('a start date inside the history uses only earlier data', async () => {
    const p = file('qty,date,part,site\n1,2024-01-01,A,S\n2,2024-02-01,A,S\n7,2024-03-01,A,S\n9,2024-04-01,A,S\n');
    const { prep, lines } = await run(p, cfg({ forecast_start_date: '2024-03-01', forecast_horizon: 2 }));
    expect(prep.frequency).toBe('M');
    expect(lines.map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      '2024-03-01,A,S,2,2,2',
      '2024-04-01,A,S,2,2,2',
    ]);
    await rejects(engine.loadDemand(p, 'x.csv', cfg({ forecast_start_date: '2023-01-01' })), 'START_DATE_OUT_OF_RANGE');
  });
  it('zero threshold and rounding reach the output', async () => {
    const p = file('qty,date,part,site\n1,2024-01-01,A,S\n2,2024-02-01,A,S\n');
    const out = async (c: Partial<JobConfig>) =>
      (await run(p, cfg({ method: 'mean', ...c }))).lines[0].split(',').slice(3, 6);
    expect(await out({ rounding_mode: 'half_up' })).toEqual(['2', '1.5', '1.5']);
    expect(await out({ rounding_mode: 'half_even' })).toEqual(['2', '1.5', '1.5']);
    expect(await out({ rounding_mode: 'floor' })).toEqual(['1', '1.5', '1.5']);
    expect(await out({ zero_threshold: 2 })).toEqual(['0', '0', '1.5']);
  });
  it('unknown methods and stop requests are refused', async () => {
    const p = file('qty,date,part,site\n1,2024-01-01,A,S\n');
    const prep = await engine.loadDemand(p, 'x.csv', cfg());
    expect(() =>
      engine.forecastPartition(prep.partitions[0], prep.context, cfg({ method: 'magic' }), {
        progress() {},
        shouldStop: () => false,
      }),
    ).toThrow(/Unknown method "magic"/);
    expect(() =>
      engine.forecastPartition(prep.partitions[0], prep.context, cfg(), { progress() {}, shouldStop: () => true }),
    ).toThrow(expect.objectContaining({ name: 'StopRequested' }));
    expect(prep.partitions[0].data.parts).toEqual(['A']);
  });
  it('counts every row whose part number Excel turned into scientific notation', async () => {
    const pv = await engine.previewDemand(
      file('qty,date,part,site\n1,2024-01-01,1.9E+10,S\n2,2024-01-02,1.9E+10,S\n3,2024-01-02,B,S\n'),
      'x.csv',
      { date_format: 'auto' },
    );
    expect(pv.issues.find((i) => i.code === 'SCIENTIFIC_PARTNUMBER')).toMatchObject({
      count: 2,
      examples: ['1.9E+10'],
    });
    expect(pv.warnings.join(' ')).toMatch(/scientific notation/);
  });
  it('auto: a learned combination per class, job-level weights when sites are small, holdout metrics', async () => {
    let text = 'qty,date,part,site\n';
    for (let p = 0; p < 12; p++)
      for (let m = 0; m < 30; m++)
        if ((p * 7 + m * 3) % 5 < 2 || m === 0)
          text +=
            `${1 + ((p + m) % 4)},2022-${String((m % 12) + 1).padStart(2, '0')}-01,P${p},${p % 2 ? 'S1' : 'S2'}\n`.replace(
              '2022-',
              `${2022 + Math.floor(m / 12)}-`,
            );
    const c = cfg({ method: 'auto', forecast_horizon: 6 });
    const { prep, res, lines } = await run(file(text), c);
    expect(prep.frequency).toBe('M');
    expect(prep.context.prior).toBeDefined();
    expect(lines.every((l) => l.split(',')[6] === 'stack')).toBe(true);
    const m = engine.combineMetrics(res, prep.context, c, 1);
    expect(m.methods).toEqual({ stack: 12 });
    expect(m.chosen.rmsse).toBeGreaterThan(0);
  });
});
