/**
 * Reads a whole demand file (streaming) into compact typed arrays: interned parts, sites and date texts,
 * one entry per valid row. Collects every problem with a count and examples.
 */
import { InputError } from '../types.js';
import { mapColumns, type ColumnMap } from './columns.js';
import { dateShape, dayOf, decideOrder, type DateOrder, type OrderDecision } from './dates.js';
import { openSource, readBatches, type Source } from './source.js';

export interface Issue {
  code: string;
  message: string;
  count: number;
  examples: string[];
}

class Tally {
  count = 0;
  examples: string[] = [];
  add(example: string): void {
    this.count++;
    if (this.examples.length < 5 && !this.examples.includes(example)) this.examples.push(example);
  }
}

export class GrowInt {
  a = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Int32Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  view(): Int32Array { return this.a.subarray(0, this.n); }
}
export class GrowFloat {
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Float64Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  view(): Float64Array { return this.a.subarray(0, this.n); }
}

export interface RawDemand {
  source: Source;
  columns: ColumnMap;
  /** Data rows after the header (valid or not). */
  rows: number;
  parts: string[];
  sites: string[];
  /** Per valid row: part, site, day number, quantity. */
  part: Int32Array;
  site: Int32Array;
  day: Float64Array;
  qty: Float64Array;
  order: OrderDecision;
  issues: Issue[];
  warnings: string[];
  badDates: { count: number; examples: string[] };
}

/** Largest accepted quantity for one row. */
export const MAX_QTY = 1e12;
const NUM = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
const EXCEL_SCI = /^\d+(\.\d+)?E\+\d+$/i;

export function parseQty(text: string, allowDecimalComma: boolean): number {
  // fast path: a plain non-negative integer of up to 9 digits (most quantities)
  const n = text.length;
  if (n > 0 && n <= 9) {
    let v = 0, i = 0;
    for (; i < n; i++) { const c = text.charCodeAt(i) - 48; if (c < 0 || c > 9) break; v = v * 10 + c; }
    if (i === n) return v;
  }
  const s = text.trim();
  if (NUM.test(s)) return Number(s);
  if (allowDecimalComma && DECIMAL_COMMA.test(s)) return Number(s.replace(',', '.'));
  return NaN;
}

const quote = (s: string) => `"${s}"`;

export async function readDemand(
  filePath: string,
  originalName: string,
  dateFormat: 'auto' | DateOrder,
  onProgress?: (fraction: number) => void,
): Promise<RawDemand> {
  const { source } = await openSource(filePath, originalName);
  const partIds = new Map<string, number>(), siteIds = new Map<string, number>(), dateIds = new Map<string, number>();
  const parts: string[] = [], sites: string[] = [], dateTexts: string[] = [];
  const rp = new GrowInt(), rs = new GrowInt(), rd = new GrowInt(), rq = new GrowFloat();
  const sciPart = new GrowInt(); // per part: 1 when it looks like Excel's scientific notation
  const badQty = new Tally(), negQty = new Tally(), hugeQty = new Tally(), blankPart = new Tally(), blankSite = new Tally(), sci = new Tally();
  let columns: ColumnMap | null = null;
  let rows = 0;
  const decimalComma = source.delimiter !== ',';
  let lastReport = 0;
  const onBytes = onProgress
    ? (b: number) => { const f = b / source.size; if (f - lastReport >= 0.01) { lastReport = f; onProgress(Math.min(1, f)); } }
    : undefined;
  for await (const batch of readBatches(filePath, source, onBytes)) for (const rec of batch) {
    if (!columns) {
      if (rec.every((c) => c.trim() === '')) continue;
      columns = mapColumns(rec);
      continue;
    }
    rows++;
    const ix = columns.index;
    const line = rows + 1;
    const part = (rec[ix.partnumber] ?? '').trim();
    const site = (rec[ix.site_code] ?? '').trim();
    const qText = rec[ix.demand_qty] ?? '';
    const dText = (rec[ix.date] ?? '').trim();
    if (part === '') { blankPart.add(`line ${line}`); continue; }
    if (site === '') { blankSite.add(`line ${line} (part ${part})`); continue; }
    const q = parseQty(qText, decimalComma);
    if (!Number.isFinite(q)) { badQty.add(qText.trim() === '' ? `line ${line}: (blank)` : `line ${line}: ${quote(qText.trim())}`); continue; }
    if (q < 0) { negQty.add(`line ${line}: ${qText.trim()}`); continue; }
    // No spare part sells a trillion units a day: such values are typing or export errors, and
    // near 1e308 they would overflow every model into Infinity.
    if (q > MAX_QTY) { hugeQty.add(`line ${line}: ${qText.trim()}`); continue; }
    let pi = partIds.get(part);
    if (pi === undefined) { pi = parts.length; parts.push(part); partIds.set(part, pi); sciPart.push(EXCEL_SCI.test(part) ? 1 : 0); }
    if (sciPart.a[pi]) sci.add(part);
    let si = siteIds.get(site);
    if (si === undefined) { si = sites.length; sites.push(site); siteIds.set(site, si); }
    let di = dateIds.get(dText);
    if (di === undefined) { di = dateTexts.length; dateTexts.push(dText); dateIds.set(dText, di); }
    rp.push(pi); rs.push(si); rd.push(di); rq.push(q);
  }
  if (!columns) throw new InputError('EMPTY_FILE', 'The file has no header line and no data.');
  if (rows === 0) throw new InputError('EMPTY_FILE', `The file has a header (${Object.values(columns.names).join(', ')}) but no data rows.`);

  const shapes = dateTexts.map(dateShape);
  const order = decideOrder(shapes, dateFormat);
  const dayOfText = shapes.map((s) => dayOf(s, order.order));
  const n = rp.n;
  const day = new Float64Array(n);
  const dateIdx = rd.view();
  const badDates = new Tally();
  const keep = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const d = dayOfText[dateIdx[i]];
    if (Number.isFinite(d)) { day[i] = d; keep[i] = 1; kept++; } else badDates.add(dateTexts[dateIdx[i]] === '' ? '(blank)' : dateTexts[dateIdx[i]]);
  }
  const issues: Issue[] = [];
  const push = (code: string, t: Tally, what: string) => {
    if (t.count) issues.push({ code, count: t.count, examples: t.examples, message: `${t.count} row${t.count > 1 ? 's' : ''} ${what}; excluded` });
  };
  push('BAD_QUANTITY', badQty, 'with a quantity that is not a number');
  push('NEGATIVE_QUANTITY', negQty, 'with a negative quantity');
  push('HUGE_QUANTITY', hugeQty, `with a quantity above ${MAX_QTY.toExponential(0)} (not a plausible demand)`);
  push('BLANK_PARTNUMBER', blankPart, 'with a blank part number');
  push('BLANK_SITE', blankSite, 'with a blank site code');
  if (badDates.count) {
    const expect = order.order === 'YMD' ? 'YYYY-MM-DD' : order.order === 'DMY' ? 'DD/MM/YYYY or YYYY-MM-DD' : 'MM/DD/YYYY or YYYY-MM-DD';
    issues.push({ code: 'BAD_DATES', count: badDates.count, examples: badDates.examples, message: `${badDates.count} row${badDates.count > 1 ? 's have a date' : ' has a date'} that cannot be read as ${expect}` });
  }
  const warnings: string[] = [];
  if (sci.count) {
    warnings.push(`${sci.count} rows have part numbers that look mangled by Excel into scientific notation (e.g. ${sci.examples.join(', ')}); format the column as text in Excel and export again`);
    issues.push({ code: 'SCIENTIFIC_PARTNUMBER', count: sci.count, examples: sci.examples, message: `${sci.count} rows have part numbers in scientific notation (kept as written)` });
  }
  if (order.ambiguous) warnings.push(`Dates are ambiguous: ${order.reason}.`);
  for (const is of issues) if (is.code !== 'BAD_DATES' && is.code !== 'SCIENTIFIC_PARTNUMBER') warnings.push(`${is.message} (e.g. ${is.examples.join(', ')})`);

  // compact to the rows with a valid date
  const part = new Int32Array(kept), site = new Int32Array(kept), dayK = new Float64Array(kept), qty = new Float64Array(kept);
  const P = rp.view(), S = rs.view(), Q = rq.view();
  for (let i = 0, j = 0; i < n; i++) if (keep[i]) { part[j] = P[i]; site[j] = S[i]; dayK[j] = day[i]; qty[j] = Q[i]; j++; }
  return { source, columns, rows, parts, sites, part, site, day: dayK, qty, order, issues, warnings, badDates };
}
