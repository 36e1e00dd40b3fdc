/** The transfers CSV of an inventory plan (inventory/transfers.ts): one line per move of stock between sites. */
import { readFile } from 'node:fs/promises';
import type { Transfer } from '../inventory/transfers.js';
import { readText, safeText } from './cells.js';
import { csvField, num } from './write.js';

export const TRANSFER_COLUMNS = ['partnumber', 'from_site', 'to_site', 'qty', 'value'] as const;
export const TRANSFER_HEADER = TRANSFER_COLUMNS.join(',');

/** One line, ending in '\n'; texts formula-guarded (csvField), a value without a cost blank. */
export function transferLine(t: Transfer): string {
  return `${csvField(t.partnumber)},${csvField(t.from)},${csvField(t.to)},${num(t.qty)},${t.value === null ? '' : num(t.value)}\n`;
}

/** The whole file's text, header included. */
export function transfersCsv(list: readonly Transfer[]): string {
  return `${TRANSFER_HEADER}\n${list.map(transferLine).join('')}`;
}

/** One transfer as read back from the CSV: texts as written (the formula guard undone), numbers. */
export interface TransferRecord {
  partnumber: string;
  from_site: string;
  to_site: string;
  qty: number;
  value: number | null;
}

/** A transfers CSV read back (a few rows per part at most: read whole). */
export async function readTransfers(file: string): Promise<TransferRecord[]> {
  const { parse } = await import('csv-parse/sync');
  const recs = parse(await readFile(file), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return recs.map((r) => ({
    partnumber: readText(r.partnumber ?? ''),
    from_site: readText(r.from_site ?? ''),
    to_site: readText(r.to_site ?? ''),
    qty: Number(r.qty),
    value: r.value ? Number(r.value) : null,
  }));
}

/** The transfers as an .xlsx buffer: the CSV's columns and names, texts that look like formulas kept as text. */
export async function transfersXlsx(list: readonly TransferRecord[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Transfers', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = TRANSFER_COLUMNS.map((c) => ({
    header: c,
    key: c,
    width: c === 'qty' || c === 'value' ? 12 : 18,
    style: c === 'value' ? { numFmt: '#,##0.00' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const t of list) ws.addRow([safeText(t.partnumber), safeText(t.from_site), safeText(t.to_site), t.qty, t.value]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
