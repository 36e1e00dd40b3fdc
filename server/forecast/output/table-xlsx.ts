/**
 * A small table as an Excel workbook (the exceptions worklist's download), written with exceljs's streaming
 * writer as the plan workbook is (plan-xlsx.ts): numbers stay numbers, every text cell goes through safeText,
 * so a part number such as `=HYPERLINK(…)` shows as text; a filter and a frozen header, the machine column
 * name as each header's note. Runs in a worker thread: thousands of rows are CPU the event loop must not pay.
 */
import { createWriteStream } from 'node:fs';
import { checkSize } from '../../storage/whole-file.js';
import { safeText } from './cells.js';

export interface TableColumn {
  key: string;
  header: string;
  width?: number;
  numFmt?: string;
}

export interface TableWorkbook {
  sheet: string;
  columns: TableColumn[];
  rows: Record<string, string | number | null>[];
}

/** Writes the table to a new .xlsx at `file` (which must not exist); returns how many rows. */
export async function writeTableXlsx(file: string, table: TableWorkbook): Promise<number> {
  const { default: ExcelJS } = await import('exceljs');
  const stream = createWriteStream(file, { flags: 'wx' });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet(safeText(table.sheet).slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = table.columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width ?? 14,
    style: c.numFmt ? { numFmt: c.numFmt } : {},
  }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'top' };
  table.columns.forEach((c, i) => (head.getCell(i + 1).note = `column: ${c.key}`));
  head.commit();
  for (const r of table.rows)
    ws.addRow(
      table.columns.map((c) => {
        const v = r[c.key];
        return typeof v === 'string' ? safeText(v) : v;
      }),
    ).commit();
  ws.commit();
  await wb.commit();
  await checkSize(file, stream.bytesWritten, 'the workbook');
  return table.rows.length;
}
