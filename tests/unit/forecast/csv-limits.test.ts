/**
 * Issue 18, part 2: the CSV reader's limits of one record (MAX_RECORD_BYTES, MAX_COLUMNS). A line
 * beyond them is refused as an InputError that names the limit and the line, on every reading path:
 * the byte path of UTF-8 demand files, csv-parse (quoted fields), the text path (cp1252, UTF-16, parts
 * files), and the upload check's head read. One endless line is refused after about a MiB, quickly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../server/forecast/errors.js';
import { MAX_COLUMNS, MAX_RECORD_BYTES, csvBatches } from '../../../server/forecast/parse/fastcsv.js';
import { readDemand } from '../../../server/forecast/parse/load.js';
import { readPartsFile } from '../../../server/forecast/parse/parts.js';
import { inspectHead } from '../../../server/forecast/prepare.js';

const dir = mkdtempSync(join(tmpdir(), 'sparecast-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let k = 0;
const file = (content: string | Buffer) => {
  const p = join(dir, `f${k++}.csv`);
  writeFileSync(p, content);
  return p;
};
const HEADER = 'demand_qty,date,partnumber,site_code';
const ROW = '1,2024-01-01,P1,S1';
const LONG = 'x'.repeat(MAX_RECORD_BYTES + 10);

async function refused(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InputError);
  expect((e as InputError).code).toBe('INVALID_INPUT');
  return (e as InputError).message;
}
const demand = (content: string | Buffer) => readDemand(file(content), 'd.csv', 'auto');

describe('a record longer than 1 MiB', () => {
  it('is documented as 1 MiB and 1000 columns', () => {
    expect(MAX_RECORD_BYTES).toBe(1024 * 1024);
    expect(MAX_COLUMNS).toBe(1000);
  });

  it('UTF-8 byte path: refused with its line', async () => {
    const msg = await refused(demand(`${HEADER}\n${ROW}\n${ROW}\n1,2024-01-02,${LONG},S1\n${ROW}\n`));
    expect(msg).toMatch(/^Line 4 of the CSV file is longer than 1 MB \(the limit of one record\)/);
  });

  it('csv-parse path (a quoted field earlier): refused with its line', async () => {
    const msg = await refused(demand(`${HEADER}\n${ROW}\n1,2024-01-01,P1,"S,1"\n1,2024-01-02,"${LONG}",S1\n`));
    expect(msg).toMatch(/^Line 4 of the CSV file is longer than 1 MB/);
  });

  it('text path (cp1252 and UTF-16): refused with its line', async () => {
    const text = `${HEADER}\n${ROW}é\n${ROW}\n1,2024-01-02,${LONG},S1\n`;
    expect(await refused(demand(iconv.encode(text, 'win1252')))).toMatch(/^Line 4 .*longer than 1 MB/);
    const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
    expect(await refused(demand(u16))).toMatch(/^Line 4 .*longer than 1 MB/);
  });

  it('a quote never closed is refused after 1 MiB, not read to the end', async () => {
    const msg = await refused(
      demand(`${HEADER}\n${ROW}\n1,2024-01-02,"P1,S1\n${'2,2024-01-03,P1,S1\n'.repeat(200_000)}`),
    );
    expect(msg).toMatch(/^Line 3 of the CSV file is longer than 1 MB.*quote \("\) that is\s+never closed/);
  });

  it('a file of one 24 MB line without a line break: refused in well under a second, by the upload check too', async () => {
    const p = file(`${HEADER},${'c,'.repeat(12 * 1024 * 1024)}`);
    const t0 = performance.now();
    expect(await refused(inspectHead(p, 'one-line.csv'))).toMatch(/^Line 1 .*longer than 1 MB/);
    expect(await refused(readDemand(p, 'one-line.csv', 'auto'))).toMatch(/^Line 1 .*longer than 1 MB/);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('a parts file: refused with its line', async () => {
    const p = file(`part_number,lead_time_days\nP1,3\nP2,${LONG}\n`);
    expect(await refused(readPartsFile(p, 'parts.csv'))).toMatch(/^Line 3 .*longer than 1 MB/);
  });

  it('text chunks: the partial line is bounded per chunk', async () => {
    async function* chunks(): AsyncGenerator<string> {
      yield `${HEADER}\n`;
      for (let i = 0; i < 1000; i++) yield 'y'.repeat(64 * 1024); // 64 MB if it were all read
    }
    let read = 0;
    const e = await (async () => {
      for await (const b of csvBatches(chunks(), ',')) read += b.length;
    })().then(
      () => null,
      (x: unknown) => x,
    );
    expect((e as InputError).message).toMatch(/^Line 2 .*longer than 1 MB/);
    expect(read).toBe(1);
  });
});

describe(`a record of more than ${MAX_COLUMNS} columns`, () => {
  const wide = (n: number) => Array.from({ length: n }, (_, i) => `e${i}`).join(',');

  it('1000 columns are read', async () => {
    const raw = await demand(`${HEADER},${wide(996)}\n${ROW},${wide(996)}\n`);
    expect(raw.rows).toBe(1);
    expect(raw.parts).toEqual(['P1']);
  });

  it('1001 columns in a data line: refused with its line (byte, csv-parse and text paths)', async () => {
    const rows = `${HEADER}\n${ROW}\n${ROW}\n${ROW},${wide(997)}\n`;
    expect(await refused(demand(rows))).toMatch(/^Line 4 of the CSV file has more than 1000 columns \(the limit\)/);
    expect(await refused(demand(rows.replace('P1,S1\n', 'P1,"S1"\n')))).toMatch(/^Line 4 .*more than 1000 columns/);
    expect(await refused(demand(iconv.encode(rows.replace('S1', 'Sé'), 'win1252')))).toMatch(
      /^Line 4 .*more than 1000 columns/,
    );
  });

  it('1001 columns in the header: refused by the upload check', async () => {
    const p = file(`${HEADER},${wide(997)}\n${ROW}\n`);
    expect(await refused(inspectHead(p, 'wide.csv'))).toMatch(/^Line 1 .*more than 1000 columns/);
  });
});
