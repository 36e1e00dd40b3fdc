/**
 * The XLSX inflate check walks the ZIP the way the workbook reader does (local headers from the start),
 * so a part the central directory hides, or lies about, is refused, and every entry's real inflated size
 * counts, data-descriptor and "stored" ones too (issue 18).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { inflateLimit, zipInflateVerdict } from '../../../server/http/zip-limit.js';
import {
  xlsx,
  xlsxCorruptDeflate,
  xlsxDescriptorBomb,
  xlsxHiddenSharedStrings,
  xlsxLyingDirectory,
  xlsxWithDescriptors,
} from '../../fixtures/bad/builders.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sparecast-zip-limit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function put(content: Buffer): string {
  const file = path.join(dir, `f${n++}.xlsx`);
  writeFileSync(file, content);
  return file;
}
const verdict = (content: Buffer) => zipInflateVerdict(put(content), inflateLimit(content.length));

const ROWS = [
  ['demand_qty', 'date', 'partnumber', 'site_code'],
  ['1', '2024-01-01', 'P1', 'S1'],
];

describe('the XLSX inflate check', () => {
  it('passes ordinary workbooks: ours, one with data descriptors, and one written by exceljs', async () => {
    expect(await verdict(xlsx(ROWS))).toBeNull();
    expect(await verdict(xlsxWithDescriptors(ROWS))).toBeNull();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('demand');
    ws.addRows([...ROWS, ['2', '2024-01-02', 'P2', 'S1']]);
    const file = path.join(dir, 'exceljs.xlsx');
    await wb.xlsx.writeFile(file);
    expect(await zipInflateVerdict(file, inflateLimit(1))).toBeNull();
  });

  it('refuses a sharedStrings.xml that is in the local headers but not in the central directory', async () => {
    // 20 MB of shared strings in 50 KB: past the 16 MB shared-strings budget, hidden from the directory.
    const file = await xlsxHiddenSharedStrings(20);
    expect(file.length).toBeLessThan(100 * 1024);
    expect(await verdict(file)).toEqual({ part: 'mismatch' });
  });

  it('refuses a directory that lists the sheet as empty or as stored', async () => {
    expect(await verdict(await xlsxLyingDirectory('empty', 70))).toEqual({ part: 'mismatch' });
    expect(await verdict(await xlsxLyingDirectory('stored', 70))).toEqual({ part: 'mismatch' });
  });

  it('inflates entries whose sizes are in data descriptors (local size 0) to learn their size', async () => {
    const file = await xlsxDescriptorBomb(70);
    expect(await verdict(file)).toEqual({ part: 'workbook', limit: 64 * 1024 * 1024 });
  });

  it('calls a workbook with corrupt compressed data, or cut short, broken', async () => {
    expect(await verdict(xlsxCorruptDeflate(ROWS))).toEqual({ part: 'broken' });
    const whole = xlsx(ROWS);
    expect(await verdict(whole.subarray(0, Math.floor(whole.length / 2)))).toEqual({ part: 'broken' });
  });

  it('leaves what is not a ZIP to the CSV reader', async () => {
    expect(await verdict(Buffer.from('demand_qty,date\n1,2024-01-01\n'))).toBeNull();
  });
});
