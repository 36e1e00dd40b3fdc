/** Matching the header to the four required columns, with common aliases. */
import { InputError } from '../errors.js';

export type Canonical = 'demand_qty' | 'date' | 'partnumber' | 'site_code';
const CANONICAL: readonly Canonical[] = ['demand_qty', 'date', 'partnumber', 'site_code'];

/** Aliases, compared after lower-casing, trimming and turning spaces/dashes/dots into '_'. */
const ALIASES: Record<Canonical, readonly string[]> = {
  demand_qty: [
    'demand_qty',
    'qty',
    'quantity',
    'demand',
    'demand_quantity',
    'qty_demand',
    'units',
    'sales_qty',
    'usage',
    'consumption',
    'order_qty',
    'amount',
    // Indonesian
    'jumlah',
    'qty_permintaan',
    'jumlah_permintaan',
    'permintaan',
    'kuantitas',
    'jml',
  ],
  date: [
    'date',
    'demand_date',
    'day',
    'period',
    'order_date',
    'transaction_date',
    'posting_date',
    'week',
    'month',
    'ds',
    // Indonesian
    'tanggal',
    'tgl',
    'tanggal_permintaan',
    'periode',
  ],
  partnumber: [
    'partnumber',
    'part_number',
    'part',
    'part_no',
    'partno',
    'part_num',
    'pn',
    'sku',
    'item',
    'item_number',
    'item_no',
    'item_code',
    'material',
    'material_number',
    'article',
    'product',
    'product_code',
    'unique_id',
    // Indonesian
    'kode_part',
    'no_part',
    'nomor_part',
    'kode_barang',
    'kode_material',
    'nomor_barang',
  ],
  site_code: [
    'site_code',
    'site',
    'location',
    'location_code',
    'warehouse',
    'warehouse_code',
    'plant',
    'depot',
    'store',
    'branch',
    'site_id',
    'sitecode',
    // Indonesian
    'kode_site',
    'lokasi',
    'gudang',
    'kode_lokasi',
    'kode_gudang',
    'cabang',
  ],
};

export function normalizeHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s.\-/]+/g, '_');
}

export interface ColumnMap {
  /** Index in the row of each canonical column. */
  index: Record<Canonical, number>;
  /** Header text found for each canonical column. */
  names: Record<Canonical, string>;
  extra: string[];
}

/**
 * Maps a header row; throws MISSING_COLUMNS naming what is missing and what was found (and, for a CSV
 * read as one column, to check the delimiter: a workbook's cells have none).
 */
export function mapColumns(header: string[], format: 'csv' | 'xlsx' = 'csv'): ColumnMap {
  const norm = header.map(normalizeHeader);
  const index = {} as Record<Canonical, number>;
  const names = {} as Record<Canonical, string>;
  const used = new Set<number>();
  const missing: Canonical[] = [];
  for (const c of CANONICAL) {
    let found = -1;
    for (const alias of ALIASES[c]) {
      const i = norm.findIndex((h, j) => h === alias && !used.has(j));
      if (i >= 0) {
        found = i;
        break;
      }
    }
    if (found < 0) {
      missing.push(c);
      continue;
    }
    used.add(found);
    index[c] = found;
    names[c] = header[found].replace(/^\uFEFF/, '').trim();
  }
  if (missing.length) {
    const shown = header.map((h) => h.trim()).filter((h) => h !== '');
    const hint = missing.map((m) => `${m} (also accepted: ${ALIASES[m].slice(1, 5).join(', ')})`).join('; ');
    const looksSingle = format === 'csv' && header.length === 1 && /[,;\t|]/.test(header[0] ?? '') === false;
    throw new InputError(
      'MISSING_COLUMNS',
      `Missing required column${missing.length > 1 ? 's' : ''}: ${hint}. ` +
        `The file's header has: ${shown.length ? listSome(shown) : 'nothing'}.` +
        (looksSingle ? ' Only one column was found: check the delimiter (, ; tab or |).' : ''),
    );
  }
  const extra = header.map((h) => h.trim()).filter((_, j) => !used.has(j) && header[j].trim() !== '');
  return { index, names, extra };
}

/** The first few header fields, quoted and shortened, then how many there are in all. */
function listSome(fields: string[], max = 20): string {
  const q = fields.slice(0, max).map((h) => `"${h.length > 60 ? `${h.slice(0, 57)}…` : h}"`);
  return fields.length > max ? `${q.join(', ')}, … (${fields.length} in all)` : q.join(', ');
}
