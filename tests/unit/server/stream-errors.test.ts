/**
 * Issue 18: CSV readers compose their streams with pipeline, so a read error (a file gone) or a stop
 * half-way reaches the caller as a rejection, never as an 'error' event without a listener (which would
 * end the process).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource, readRows } from '../../../server/forecast/parse/source.js';
import { planRecords, readPlan } from '../../../server/forecast/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sparecast-streams-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CSV of `n` rows whose texts are quoted (so csv-parse reads them), about 60 bytes a row. */
function quotedCsv(file: string, header: string, row: (i: number) => string, n: number): string {
  const p = path.join(dir, file);
  writeFileSync(p, [header, ...Array.from({ length: n }, (_, i) => row(i))].join('\n') + '\n');
  return p;
}

const settle = () => new Promise((r) => setTimeout(r, 100));

describe('stream errors reach the caller', () => {
  it('a plan file that is gone: readPlan rejects', async () => {
    await expect(readPlan(path.join(dir, 'gone.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
    await settle();
  });

  it('stopping after the first record of a large plan file is quiet', async () => {
    const plan = quotedCsv('plan.csv', 'partnumber,site_code,demand_class', (i) => `"P,${i}","S 1",smooth`, 50_000);
    for await (const row of planRecords(plan)) {
      expect(row.partnumber).toBe('P,0');
      break;
    }
    await settle();
  });

  it('stopping after the header of a large quoted CSV is quiet (UTF-8 and UTF-16)', async () => {
    const text = [
      'demand_qty,date,partnumber,site_code',
      ...Array.from({ length: 20_000 }, (_, i) => `1,2024-01-01,P${i},"Jakarta, Utara"`),
    ].join('\n');
    const utf8 = path.join(dir, 'd8.csv');
    writeFileSync(utf8, text);
    const utf16 = path.join(dir, 'd16.csv');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    for (const f of [utf8, utf16]) {
      const { source } = await openSource(f, 'd.csv');
      for await (const rec of readRows(f, source)) {
        expect(rec[0]).toBe('demand_qty');
        break;
      }
    }
    await settle();
  });
});
