/**
 * The optional parts file of an inventory plan (CSV or XLSX, read like the demand file): per part, or per
 * part and site, its lead time, unit cost, service level, review period and stock. A bad cell never drops
 * its row silently: the value is left out (the job's default applies), counted, and reported with examples.
 */
import { addNotice, type Notice, type PartsValueColumn } from '../../contract/vocab.js';
import { InputError } from '../errors.js';
import { normalizeHeader } from './columns.js';
import { parseQty, stripBidi } from './load.js';
import { openSource, readHeadRows, readRows, type SheetPick } from './source.js';
import { supersessionOf } from './supersession.js';

export type PartsColumn =
  | 'partnumber'
  | 'site_code'
  | 'lead_time_days'
  | 'lead_time_periods'
  | 'unit_cost'
  | 'service_level'
  | 'min_service_level'
  | 'review_periods'
  | 'on_hand'
  | 'on_order'
  | 'replaced_by'
  | 'moq'
  | 'order_multiple';
type ValueColumn = Exclude<PartsColumn, 'partnumber' | 'site_code' | 'replaced_by'> & PartsValueColumn;

/** Aliases after normalizeHeader; the part and site columns take the demand file's own aliases too. */
const PARTS_ALIASES: Record<ValueColumn, readonly string[]> = {
  lead_time_days: [
    'lead_time_days',
    'lead_time',
    'leadtime',
    'lt_days',
    'lt',
    'lead_days',
    'lead_time_hari',
    'lt_hari',
  ],
  lead_time_periods: ['lead_time_periods', 'lt_periods', 'lead_periods', 'lead_time_periode'],
  unit_cost: ['unit_cost', 'cost', 'unit_price', 'price', 'harga', 'harga_satuan', 'biaya_satuan'],
  service_level: ['service_level', 'service', 'target_service', 'csl', 'tingkat_layanan', 'level_layanan'],
  min_service_level: [
    'min_service_level',
    'minimum_service_level',
    'min_service',
    'service_floor',
    'min_csl',
    'tingkat_layanan_minimum',
    'tingkat_layanan_min',
    'min_tingkat_layanan',
    'layanan_minimum',
  ],
  review_periods: ['review_periods', 'review_period', 'review', 'periode_review'],
  on_hand: ['on_hand', 'stock', 'stock_on_hand', 'soh', 'inventory', 'stok', 'stok_tersedia'],
  on_order: ['on_order', 'open_orders', 'in_transit', 'pesanan', 'dalam_pesanan'],
  moq: [
    'moq',
    'min_order_qty',
    'min_order_quantity',
    'minimum_order',
    'min_order',
    'min_pesan',
    'minimal_order',
    'minimum_pesanan',
  ],
  order_multiple: [
    'order_multiple',
    'pack_size',
    'lot_size',
    'pack_qty',
    'multiple',
    'kelipatan',
    'kelipatan_order',
    'isi_kemasan',
  ],
};
/** The new number that replaces a part (supersession): text, matched like the part column. */
const REPLACED_ALIASES = [
  'replaced_by',
  'superseded_by',
  'new_partnumber',
  'new_part_number',
  'new_part',
  'supersession',
  'replacement',
  'pengganti',
  'diganti_oleh',
  'part_pengganti',
  'nomor_pengganti',
];
const VALUE_COLUMNS = Object.keys(PARTS_ALIASES) as ValueColumn[];

/** One row's values; absent = not given (or not usable, then reported). */
export interface PartRow {
  partnumber: string;
  /** null: every site of the part */
  site: string | null;
  leadDays?: number;
  leadPeriods?: number;
  unitCost?: number;
  /** a share in [0.5, 0.999] */
  serviceLevel?: number;
  /** the same: the part's floor when a stock budget or fill-rate target is allocated */
  minServiceLevel?: number;
  reviewPeriods?: number;
  onHand?: number;
  onOrder?: number;
  /** the number that replaces this one (supersession.ts resolves the chains) */
  replacedBy?: string;
  /** the least a purchase may be, and the pack it comes in (0 or absent: none) */
  moq?: number;
  orderMultiple?: number;
}

export interface PartsFile {
  rows: PartRow[];
  /** The canonical columns found, with the header text each was found as. */
  columns: Partial<Record<PartsColumn, string>>;
  /** Readable sentences: what was left out, how often, with examples. */
  warnings: string[];
  /** The same as codes and values, for the pages to word (contract/vocab.ts). */
  notices: Notice[];
}

class Count {
  n = 0;
  examples: string[] = [];
  add(e: string): void {
    this.n++;
    if (this.examples.length < 5) this.examples.push(e);
  }
}

const PART_ALIASES = ['partnumber', 'part_number', 'part', 'part_no', 'partno', 'pn', 'sku', 'item', 'item_code'];
const SITE_ALIASES = ['site_code', 'site', 'location', 'warehouse', 'plant', 'depot', 'lokasi', 'gudang', 'cabang'];
const ALL: Record<PartsColumn, readonly string[]> = {
  partnumber: [...PART_ALIASES, 'material', 'kode_part', 'no_part', 'nomor_part', 'kode_barang'],
  site_code: [...SITE_ALIASES, 'kode_site', 'kode_lokasi', 'kode_gudang'],
  ...PARTS_ALIASES,
  replaced_by: REPLACED_ALIASES,
};

function mapParts(header: string[]): Map<PartsColumn, number> {
  const norm = header.map(normalizeHeader);
  const found = new Map<PartsColumn, number>();
  for (const col of Object.keys(ALL) as PartsColumn[]) {
    for (const alias of ALL[col]) {
      const i = norm.indexOf(alias);
      if (i >= 0 && ![...found.values()].includes(i)) {
        found.set(col, i);
        break;
      }
    }
  }
  const missing: string[] = [];
  if (!found.has('partnumber')) missing.push(`partnumber (also accepted: ${PART_ALIASES.slice(1, 5).join(', ')})`);
  if (!VALUE_COLUMNS.some((c) => found.has(c)) && !found.has('replaced_by'))
    missing.push(
      `at least one of ${VALUE_COLUMNS.join(', ')}, replaced_by (e.g. lead_time_days, also lead_time or lt_days)`,
    );
  if (missing.length) {
    const shown = header.map((h) => `"${h.trim().slice(0, 60)}"`).filter((h) => h !== '""');
    throw new InputError(
      'MISSING_COLUMNS',
      `The parts file is missing ${missing.join('; and ')}. Its header has: ${shown.slice(0, 20).join(', ') || 'nothing'}.`,
    );
  }
  return found;
}

/** Checks of a number column: the range it must fall in and how a percentage is read. */
const RULES: Record<ValueColumn, { int?: boolean; max?: number; what: string }> = {
  lead_time_days: { what: 'lead times (days)', max: 3650 },
  lead_time_periods: { what: 'lead times (periods)', max: 520, int: true },
  unit_cost: { what: 'unit costs' },
  service_level: { what: 'service levels' },
  min_service_level: { what: 'minimum service levels' },
  review_periods: { what: 'review periods', max: 365, int: true },
  on_hand: { what: 'on-hand quantities' },
  on_order: { what: 'on-order quantities' },
  moq: { what: 'minimum order quantities', max: 1e9, int: true },
  order_multiple: { what: 'order multiples', max: 1e9, int: true },
};

/** A service level as a share: 0.5–0.999 as is, 50–99.9 as a percentage; anything else is NaN. */
function serviceShare(v: number): number {
  const s = v >= 50 && v <= 99.9 ? v / 100 : v;
  return s >= 0.5 && s <= 0.999 ? s : NaN;
}

/** A workbook's parts sheet: the first whose header has a part column and a value column. */
const PARTS_SHEET: SheetPick = { what: 'parts', check: (header) => void mapParts(header) };

/**
 * The upload-time check: the header of a parts file names a part column and a value column, and its
 * replaced_by links neither loop nor chain absurdly (else InputError).
 */
export async function inspectPartsHead(filePath: string, originalName: string): Promise<PartsFile['columns']> {
  const { source } = await openSource(filePath, originalName);
  for await (const rec of readHeadRows(filePath, source, PARTS_SHEET)) {
    if (rec.every((c) => c.trim() === '')) continue;
    const columns: PartsFile['columns'] = {};
    for (const [c, i] of mapParts(rec)) columns[c] = rec[i].replace(/^\uFEFF/, '').trim();
    // replacements that loop or chain absurdly are refused now, not when the job runs (a small file: read whole)
    if (columns.replaced_by !== undefined) supersessionOf((await readPartsFile(filePath, originalName)).rows);
    return columns;
  }
  throw new InputError('EMPTY_FILE', 'The parts file has no header line.');
}

export async function readPartsFile(filePath: string, originalName: string): Promise<PartsFile> {
  const { source } = await openSource(filePath, originalName);
  let cols: Map<PartsColumn, number> | null = null;
  let header: string[] = [];
  const rows: PartRow[] = [];
  const bad = new Map<ValueColumn, Count>(VALUE_COLUMNS.map((c) => [c, new Count()]));
  const blankPart = new Count();
  const dup = new Count();
  const seen = new Set<string>();
  let line = 0;
  for await (const rec of readRows(filePath, source, undefined, PARTS_SHEET)) {
    line++;
    if (rec.every((c) => c.trim() === '')) continue;
    if (!cols) {
      header = rec;
      cols = mapParts(rec);
      continue;
    }
    const cell = (c: PartsColumn) => {
      const i = cols!.get(c);
      return i === undefined ? '' : (rec[i] ?? '').trim();
    };
    // bidi controls dropped, as in the demand file (load.ts), so the codes still match
    const partnumber = stripBidi(cell('partnumber')).trim();
    if (!partnumber) {
      blankPart.add(`line ${line}`);
      continue;
    }
    const site = stripBidi(cell('site_code')).trim() || null;
    const key = `${partnumber}\u0001${site ?? ''}`;
    if (seen.has(key)) {
      dup.add(site ? `${partnumber} @ ${site}` : partnumber);
      continue;
    }
    seen.add(key);
    const row: PartRow = { partnumber, site };
    const next = stripBidi(cell('replaced_by')).trim();
    // a part replaced by itself is not replaced
    if (next && next !== partnumber) row.replacedBy = next;
    for (const c of VALUE_COLUMNS) {
      const text = cell(c);
      if (!cols.has(c) || text === '') continue;
      let v = parseQty(text.replace(/%$/, ''), true);
      const rule = RULES[c];
      if (c === 'service_level' || c === 'min_service_level') v = serviceShare(v);
      const ok = Number.isFinite(v) && v >= 0 && (!rule.int || Number.isInteger(v)) && v <= (rule.max ?? 1e12);
      if (!ok) {
        bad.get(c)!.add(`line ${line}: "${text.slice(0, 30)}"`);
        continue;
      }
      setValue(row, c, v);
    }
    rows.push(row);
  }
  if (!cols) throw new InputError('EMPTY_FILE', 'The parts file has no header line.');
  if (rows.length === 0)
    throw new InputError('EMPTY_FILE', 'The parts file has a header but no rows with a part number.');
  const notes = { warnings: [] as string[], notices: [] as Notice[] };
  const say = (c: Count, code: Notice['code'], text: string, params: Notice['params'] = {}) => {
    if (c.n)
      addNotice(notes, {
        code,
        params: { ...params, count: c.n },
        examples: c.examples,
        message: `Parts file: ${c.n} ${text} (e.g. ${c.examples.join(', ')}).`,
      });
  };
  for (const c of VALUE_COLUMNS) {
    const r = RULES[c];
    const share = c === 'service_level' || c === 'min_service_level';
    const range = share ? '0.5–0.999 or 50–99.9 %' : `${r.int ? 'whole numbers' : 'numbers'} ≥ 0`;
    const text = `${r.what} are not ${range} and were left out: the job's default is used`;
    say(bad.get(c)!, 'PARTS_BAD_VALUE', text, { column: c });
  }
  say(blankPart, 'PARTS_BLANK_PART', 'rows have no part number and were skipped');
  say(dup, 'PARTS_DUPLICATE', 'rows repeat an earlier part and site; the first one is used');
  const { warnings, notices } = notes;
  const columns: Partial<Record<PartsColumn, string>> = {};
  for (const [c, i] of cols) columns[c] = header[i].replace(/^\uFEFF/, '').trim();
  return { rows, columns, warnings, notices };
}

function setValue(row: PartRow, c: ValueColumn, v: number): void {
  if (c === 'lead_time_days') row.leadDays = v;
  else if (c === 'lead_time_periods') row.leadPeriods = v;
  else if (c === 'unit_cost') row.unitCost = v;
  else if (c === 'service_level') row.serviceLevel = v;
  else if (c === 'min_service_level') row.minServiceLevel = v;
  else if (c === 'review_periods') row.reviewPeriods = v;
  else if (c === 'on_hand') row.onHand = v;
  else if (c === 'on_order') row.onOrder = v;
  // 0 is no rule at all
  else if (c === 'moq') {
    if (v > 0) row.moq = v;
  } else if (v > 0) row.orderMultiple = v;
}
