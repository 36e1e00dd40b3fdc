/**
 * A file of overrides to set at once (CSV or XLSX, read like the demand and parts files: encodings, delimiters,
 * a workbook's first sheet with the columns): `partnumber,site_code,kind,value,reason,expires_on`, with aliases
 * in English and Indonesian. Every row is checked by the API's own rule (contract/override-rules.ts); nothing is
 * half-read: any bad row fails the whole file, its problems listed with their line numbers.
 */
import { checkOverride, type OVERRIDE_KINDS, type OverrideFields } from '../../contract/override-rules.js';
import { InputError } from '../errors.js';
import { normalizeHeader } from './columns.js';
import { parseQty, stripBidi } from './load.js';
import { openSource, readRows, type SheetPick } from './source.js';

type Column = 'partnumber' | 'site_code' | 'kind' | 'value' | 'reason' | 'expires_on';

/** Aliases after normalizeHeader (lower case, spaces and dots as _). */
const ALIASES: Record<Column, readonly string[]> = {
  partnumber: [
    'partnumber',
    'part_number',
    'part',
    'part_no',
    'partno',
    'pn',
    'sku',
    'item',
    'item_code',
    'kode_part',
    'no_part',
    'nomor_part',
    'kode_barang',
  ],
  site_code: [
    'site_code',
    'site',
    'location',
    'warehouse',
    'plant',
    'depot',
    'lokasi',
    'gudang',
    'cabang',
    'kode_site',
    'kode_lokasi',
  ],
  kind: ['kind', 'type', 'override_kind', 'override_type', 'jenis', 'tipe', 'jenis_penyesuaian'],
  value: ['value', 'override_value', 'nilai', 'jumlah'],
  reason: ['reason', 'why', 'comment', 'note', 'notes', 'alasan', 'keterangan', 'catatan'],
  expires_on: [
    'expires_on',
    'expires',
    'expiry',
    'expiry_date',
    'valid_until',
    'until',
    'berlaku_sampai',
    'kedaluwarsa',
    'sampai',
  ],
};
const REQUIRED: Column[] = ['partnumber', 'kind', 'value', 'reason'];

/** Kinds as a planner may write them (after normalizeHeader), English and Indonesian. */
const KIND_ALIASES: Record<string, (typeof OVERRIDE_KINDS)[number]> = {
  forecast: 'forecast_per_period',
  forecast_per_period: 'forecast_per_period',
  demand_per_period: 'forecast_per_period',
  ramalan: 'forecast_per_period',
  ramalan_per_periode: 'forecast_per_period',
  order_up_to: 'order_up_to',
  level: 'order_up_to',
  max: 'order_up_to',
  stok_maksimum: 'order_up_to',
  service_level: 'service_level',
  service: 'service_level',
  tingkat_layanan: 'service_level',
  level_layanan: 'service_level',
};

function mapColumns(header: string[]): Map<Column, number> {
  const norm = header.map(normalizeHeader);
  const found = new Map<Column, number>();
  for (const col of Object.keys(ALIASES) as Column[])
    for (const alias of ALIASES[col]) {
      const i = norm.indexOf(alias);
      if (i >= 0 && ![...found.values()].includes(i)) {
        found.set(col, i);
        break;
      }
    }
  const missing = REQUIRED.filter((c) => !found.has(c));
  if (missing.length) {
    const shown = header.map((h) => `"${h.trim().slice(0, 60)}"`).filter((h) => h !== '""');
    throw new InputError(
      'MISSING_COLUMNS',
      `The overrides file is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(it needs partnumber,site_code,kind,value,reason,expires_on; site_code and expires_on may be blank). ` +
        `Its header has: ${shown.slice(0, 20).join(', ') || 'nothing'}.`,
    );
  }
  return found;
}

const SHEET: SheetPick = { what: 'overrides', check: (header) => void mapColumns(header) };

/** At most this many problems are listed (the count says how many there are). */
const SHOWN = 10;

/** An ISO timestamp cell (a workbook's date) as its day; other text as it is. */
const dayText = (s: string) => (/^\d{4}-\d{2}-\d{2}T/.test(s) ? s.slice(0, 10) : s);

/**
 * The file's overrides in file order, each checked against `today` (YYYY-MM-DD). Throws InputError:
 * MISSING_COLUMNS / EMPTY_FILE / the reader's own, or INVALID_INPUT listing the bad rows by line (a part,
 * site and kind given twice is one of them).
 */
export async function readOverridesFile(
  filePath: string,
  originalName: string,
  today: string,
): Promise<OverrideFields[]> {
  const { source } = await openSource(filePath, originalName);
  let cols: Map<Column, number> | null = null;
  const rows: OverrideFields[] = [];
  const problems: string[] = [];
  let bad = 0;
  const firstLine = new Map<string, number>();
  let line = 0;
  for await (const rec of readRows(filePath, source, undefined, SHEET)) {
    line++;
    if (rec.every((c) => c.trim() === '')) continue;
    if (!cols) {
      cols = mapColumns(rec);
      continue;
    }
    const cell = (c: Column) => {
      const i = cols!.get(c);
      return i === undefined ? '' : stripBidi(rec[i] ?? '').trim();
    };
    const kindText = cell('kind');
    const valueText = cell('value').replace(/%$/, '').trim();
    const parsed = valueText === '' ? NaN : parseQty(valueText.replace(/^-/, ''), true);
    const value = valueText.startsWith('-') && Number.isFinite(parsed) ? -parsed : parsed;
    const checked = checkOverride(
      {
        partnumber: cell('partnumber'),
        site_code: cell('site_code'),
        kind: KIND_ALIASES[normalizeHeader(kindText)] ?? kindText,
        value: Number.isNaN(value) && valueText !== '' ? valueText : value,
        reason: cell('reason'),
        expires_on: dayText(cell('expires_on')),
      },
      today,
    );
    if (!checked.ok) {
      bad++;
      if (problems.length < SHOWN) problems.push(`line ${line}: ${checked.problem.message}`);
      continue;
    }
    const o = checked.override;
    const key = `${o.partnumber}\u0001${o.site_code}\u0001${o.kind}`;
    const before = firstLine.get(key);
    if (before !== undefined) {
      bad++;
      if (problems.length < SHOWN)
        problems.push(
          `line ${line}: ${o.kind} of ${o.partnumber}${o.site_code ? ` @ ${o.site_code}` : ''} is on line ${before} already`,
        );
      continue;
    }
    firstLine.set(key, line);
    rows.push(o);
  }
  if (!cols) throw new InputError('EMPTY_FILE', 'The overrides file has no header line.');
  if (bad > 0)
    throw new InputError(
      'INVALID_INPUT',
      `${bad} row${bad > 1 ? 's' : ''} of the overrides file ${bad > 1 ? 'are' : 'is'} not valid, so none was imported: ` +
        `${problems.join('; ')}${bad > problems.length ? `; and ${bad - problems.length} more` : ''}.`,
    );
  if (rows.length === 0) throw new InputError('EMPTY_FILE', 'The overrides file has a header but no rows.');
  return rows;
}
