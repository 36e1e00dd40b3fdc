/**
 * The inventory plan as an Excel workbook, written with exceljs's streaming writer (rows are committed as
 * they are added, so a big plan is never a whole workbook in memory). Numbers stay numbers; every text cell
 * (part, site, class) goes through safeText, so a part number such as `=HYPERLINK(…)` shows as text.
 */
import { createWriteStream } from 'node:fs';
import type { PlanRowDto } from '../../contract/inventory.js';
import { isPlanTextColumn, PLAN_COLUMNS } from '../../contract/plan-columns.js';
import { checkSize } from '../../storage/whole-file.js';
import { safeText } from './cells.js';

/**
 * Writes `rows` to a new .xlsx at `file` (which must not exist); returns how many. Runs in a worker thread
 * (jobs/results/plan-workbooks.ts): tens of thousands of rows take seconds of CPU that must not block the event loop.
 */
export async function writePlanXlsx(
  file: string,
  rows: Iterable<PlanRowDto> | AsyncIterable<PlanRowDto>,
): Promise<number> {
  // exceljs costs ~30 MB once loaded: only when someone downloads a workbook
  const { default: ExcelJS } = await import('exceljs');
  // our own stream, 'wx' as every temp file, so that what it wrote can be checked against the file below
  const stream = createWriteStream(file, { flags: 'wx' });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('Inventory plan', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = PLAN_COLUMNS.map((c) => ({ header: c, key: c, width: isPlanTextColumn(c) ? 18 : 12 }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  let n = 0;
  for await (const r of rows) {
    n++;
    const values = PLAN_COLUMNS.map((c) => {
      const v = r[c];
      return typeof v === 'string' ? safeText(v) : v;
    });
    ws.addRow(values).commit();
  }
  ws.commit();
  await wb.commit();
  await checkSize(file, stream.bytesWritten, 'the inventory plan workbook');
  return n;
}
