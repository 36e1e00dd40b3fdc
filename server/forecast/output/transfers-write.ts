/** The transfers CSV of an inventory plan (inventory/transfers.ts): one line per move of stock between sites. */
import type { Transfer } from '../inventory/transfers.js';
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
