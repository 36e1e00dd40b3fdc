import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import os from 'node:os';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { openSource, readRows } from '../../../server/forecast/parse/source.js';
import { DEMAND_SHEET } from '../../../server/forecast/parse/load.js';

// exceljs stores xl/workbook.xml last; unzipper ended its entry stream when its input was written, not
// when its entries were read, so that last entry went unread at random (13 reads in 200 failed).
describe('a workbook whose sheet names come last in the zip', () => {
  it('is read whole every time, 150 reads in a row', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Catatan').addRow(['only notes here']);
    const data = wb.addWorksheet('Data');
    data.addRow(['qty', 'tanggal', 'kode_part', 'gudang']);
    for (let i = 0; i < 30; i++) data.addRow([i, '2024-01-01', `P${i}`, 'S1']);
    const file = path.join(os.tmpdir(), `sparecast-last-entry-${process.pid}.xlsx`);
    await wb.xlsx.writeFile(file);
    try {
      const { source } = await openSource(file, 'last.xlsx');
      const failures: string[] = [];
      for (let k = 0; k < 150; k++) {
        try {
          let n = 0;
          for await (const row of readRows(file, source, undefined, DEMAND_SHEET)) if (row.length) n++;
          if (n !== 31) failures.push(`read ${k}: ${n} rows`);
        } catch (e) {
          failures.push(`read ${k}: ${(e as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
