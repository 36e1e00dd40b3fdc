/**
 * Reads a whole demand file (streaming) into compact typed arrays: interned parts, sites and date texts,
 * one entry per valid row. Collects every problem with a count and examples.
 */
import {
  addNotice,
  AMBIGUOUS_DATES_NOTE,
  BLANK_EXAMPLE,
  type Notice,
  type PreviewIssue,
  type PreviewIssueCode,
} from '../../contract/vocab.js';
import { InputError } from '../errors.js';
import { mapColumns, type ColumnMap } from './columns.js';
import { dateShape, dayOf, decideOrder, type DateOrder, type OrderDecision } from './dates.js';
import { MAX_COLUMNS, MAX_RECORD_BYTES, recordTooLong, splitLine, tooManyColumns, type CsvSink } from './fastcsv.js';
import { openSource, readInto, type SheetPick, type Source } from './source.js';

export type Issue = PreviewIssue;

class Tally {
  count = 0;
  examples: string[] = [];
  add(example: string): void {
    this.count++;
    if (this.examples.length < 5 && !this.examples.includes(example)) this.examples.push(example);
  }
}

/** A growing Int32Array (1.5× steps; `reserve` sizes it once when the row count can be estimated). */
export class GrowInt {
  a: Int32Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Int32Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) this.reserve(this.a.length + (this.a.length >> 1) + 16);
    this.a[this.n++] = v;
  }
  reserve(cap: number): void {
    if (cap <= this.a.length) return;
    const b = new Int32Array(cap);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  view(): Int32Array {
    return this.a.subarray(0, this.n);
  }
}
export class GrowFloat {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) this.reserve(this.a.length + (this.a.length >> 1) + 16);
    this.a[this.n++] = v;
  }
  reserve(cap: number): void {
    if (cap <= this.a.length) return;
    const b = new Float64Array(cap);
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  view(): Float64Array {
    return this.a.subarray(0, this.n);
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Interned texts, looked up by their bytes: the common case (ASCII fields of a UTF-8 file) needs no string
 * per row, only one per distinct text. The key of a text is its UTF-8 encoding (the bytes of an ASCII
 * field as they are), or 0xFF + UTF-16 for a text with surrogate code units (never valid UTF-8, so no key
 * is shared by two texts).
 */
export class Interner {
  readonly texts: string[] = [];
  private slots = new Int32Array(1024); // id + 1, 0 = empty
  private hash = new GrowInt(256);
  private off = new GrowInt(256);
  private len = new GrowInt(256);
  private bytes = Buffer.allocUnsafe(4096);
  private used = 0;
  private scratch = Buffer.allocUnsafe(256);

  get size(): number {
    return this.texts.length;
  }

  /** Id of the text whose key is b[s, e); `text` makes it when new (default: the bytes as ASCII). */
  idOfBytes(b: Uint8Array, s: number, e: number, text?: string): number {
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const n = e - s,
      slots = this.slots,
      mask = slots.length - 1,
      H = this.hash.a,
      O = this.off.a,
      L = this.len.a,
      B = this.bytes;
    let k = h & mask;
    for (;;) {
      const id = slots[k] - 1;
      if (id < 0) break;
      if (H[id] === h && L[id] === n) {
        const o = O[id];
        let i = 0;
        while (i < n && B[o + i] === b[s + i]) i++;
        if (i === n) return id;
      }
      k = (k + 1) & mask;
    }
    const id = this.texts.length;
    this.texts.push(text ?? Buffer.from(b.buffer, b.byteOffset + s, n).toString('latin1'));
    if (this.used + n > this.bytes.length) {
      const nb = Buffer.allocUnsafe(Math.max(this.used + n, this.bytes.length * 2));
      this.bytes.copy(nb, 0, 0, this.used);
      this.bytes = nb;
    }
    this.bytes.set(b.subarray(s, e), this.used);
    this.hash.push(h);
    this.off.push(this.used);
    this.len.push(n);
    this.used += n;
    slots[k] = id + 1;
    if (this.texts.length * 2 > slots.length) this.rehash();
    return id;
  }

  /** Id of a text (interned when new). */
  idOf(text: string): number {
    let n: number;
    if (SURROGATE.test(text)) {
      n = 1 + text.length * 2;
      if (n > this.scratch.length) this.scratch = Buffer.allocUnsafe(n * 2);
      this.scratch[0] = 0xff;
      this.scratch.write(text, 1, 'utf16le');
    } else {
      n = Buffer.byteLength(text, 'utf8');
      if (n > this.scratch.length) this.scratch = Buffer.allocUnsafe(n * 2);
      this.scratch.write(text, 0, 'utf8');
    }
    return this.idOfBytes(this.scratch, 0, n, text);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2),
      mask = slots.length - 1,
      H = this.hash.a;
    for (let id = 0; id < this.texts.length; id++) {
      let k = H[id] & mask;
      while (slots[k] !== 0) k = (k + 1) & mask;
      slots[k] = id + 1;
    }
    this.slots = slots;
  }
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
  day: Int32Array;
  qty: Float64Array;
  /** each row's part as written, when a supersession moved some rows to another part (supersession.ts) */
  origPart?: Int32Array;
  order: OrderDecision;
  issues: Issue[];
  warnings: string[];
  /** The warnings as codes and values (each one's `message` is in `warnings`). */
  notices: Notice[];
  badDates: { count: number; examples: string[] };
}

/** Largest accepted quantity for one row. */
const MAX_QTY = 1e12;
const NUM = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
const EXCEL_SCI = /^\d+(\.\d+)?E\+\d+$/i;

export function parseQty(text: string, allowDecimalComma: boolean): number {
  // fast path: a plain non-negative integer of up to 9 digits (most quantities)
  const n = text.length;
  if (n > 0 && n <= 9) {
    let v = 0,
      i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === n) return v;
  }
  const s = text.trim();
  if (NUM.test(s)) return Number(s);
  if (allowDecimalComma && DECIMAL_COMMA.test(s)) return Number(s.replace(',', '.'));
  return NaN;
}

const quote = (s: string) => `"${s}"`;

/**
 * Bidirectional controls (LRE…RLO U+202A–U+202E, isolates U+2066–U+2069, LRM/RLM U+200E/U+200F, ALM
 * U+061C): invisible, and able to make a part number or site code read as another one on a page or in a
 * spreadsheet (a "Trojan Source" spoof). No code needs them: they are dropped where codes are read.
 */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const BIDI_ALL = new RegExp(BIDI.source, 'g');
export const stripBidi = (s: string): string => (BIDI.test(s) ? s.replace(BIDI_ALL, '') : s);

/** ASCII whitespace as String.prototype.trim sees it (tab, \n, vertical tab, form feed, \r, space). */
const isWs = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** Collects the rows of one file: records (strings) or, for UTF-8 CSV, lines as bytes (see CsvSink). */
class Collector implements CsvSink {
  columns: ColumnMap | null = null;
  rows = 0;
  readonly parts = new Interner();
  readonly sites = new Interner();
  readonly dates = new Interner();
  /** Per row: part, site, date text id, quantity. */
  readonly rp = new GrowInt();
  readonly rs = new GrowInt();
  readonly rd = new GrowInt();
  readonly rq = new GrowFloat();
  /** Per part: 1 when it looks like Excel's scientific notation. */
  readonly sciPart = new GrowInt();
  readonly badQty = new Tally();
  readonly negQty = new Tally();
  readonly hugeQty = new Tally();
  readonly blankPart = new Tally();
  readonly blankSite = new Tally();
  readonly sci = new Tally();
  private readonly decimalComma: boolean;
  private readonly delim: string;
  private reserved = false;
  private seenBytes = 0;
  // byte path: where each needed field of the current line starts and ends
  private need = new Uint8Array(0);
  private last = 0;
  private fs = new Int32Array(0);
  private fe = new Int32Array(0);

  constructor(private readonly source: Source) {
    this.decimalComma = source.delimiter !== ',';
    this.delim = source.delimiter ?? ',';
  }

  records(batch: string[][]): void {
    for (const rec of batch) this.record(rec);
  }

  seen(): number {
    return (this.columns ? 1 : 0) + this.rows;
  }

  record(rec: string[]): void {
    if (!this.columns) {
      if (rec.every((c) => c.trim() === '')) return;
      this.columns = mapColumns(rec, this.source.format);
      const ix = this.columns.index;
      this.last = Math.max(ix.partnumber, ix.site_code, ix.demand_qty, ix.date);
      this.need = new Uint8Array(this.last + 1);
      for (const i of [ix.partnumber, ix.site_code, ix.demand_qty, ix.date]) this.need[i] = 1;
      this.fs = new Int32Array(this.last + 1);
      this.fe = new Int32Array(this.last + 1);
      return;
    }
    this.rows++;
    const ix = this.columns.index;
    const line = this.rows + 1;
    // (the byte path reads ASCII fields only: a bidi control, never ASCII, always comes this way)
    const part = stripBidi(rec[ix.partnumber] ?? '').trim();
    const site = stripBidi(rec[ix.site_code] ?? '').trim();
    const qText = rec[ix.demand_qty] ?? '';
    const dText = (rec[ix.date] ?? '').trim();
    if (part === '') {
      this.blankPart.add(`line ${line}`);
      return;
    }
    if (site === '') {
      this.blankSite.add(`line ${line} (part ${part})`);
      return;
    }
    const q = parseQty(qText, this.decimalComma);
    if (!this.qtyOk(q, qText, line)) return;
    const n = this.parts.size;
    const pi = this.parts.idOf(part);
    this.add(pi, pi === n, this.sites.idOf(site), this.dates.idOf(dText), q);
  }

  /** Tallies a quantity that cannot be used; true when it can. */
  private qtyOk(q: number, qText: string, line: number): boolean {
    if (!Number.isFinite(q)) {
      this.badQty.add(qText.trim() === '' ? `line ${line}: ${BLANK_EXAMPLE}` : `line ${line}: ${quote(qText.trim())}`);
      return false;
    }
    if (q < 0) {
      this.negQty.add(`line ${line}: ${qText.trim()}`);
      return false;
    }
    // No spare part sells a trillion units a day: such values are typing or export errors, and
    // near 1e308 they would overflow every model into Infinity.
    if (q > MAX_QTY) {
      this.hugeQty.add(`line ${line}: ${qText.trim()}`);
      return false;
    }
    return true;
  }

  private add(pi: number, newPart: boolean, si: number, di: number, q: number): void {
    if (newPart) this.sciPart.push(EXCEL_SCI.test(this.parts.texts[pi]) ? 1 : 0);
    if (this.sciPart.a[pi]) this.sci.add(this.parts.texts[pi]);
    this.rp.push(pi);
    this.rs.push(si);
    this.rd.push(di);
    this.rq.push(q);
  }

  /**
   * Lines of a UTF-8 file as bytes. A line whose needed fields are ASCII is read from the bytes (trimmed
   * like String.prototype.trim, interned by bytes); any other line is decoded and read as a record.
   */
  lines(b: Buffer, start: number, end: number): void {
    let i = start;
    while (i < end && !this.columns) {
      let j = b.indexOf(10, i);
      if (j < 0 || j > end) j = end;
      const le = j > i && b[j - 1] === 13 ? j - 1 : j;
      if (le > i) {
        if (le - i > MAX_RECORD_BYTES) throw recordTooLong(1);
        const rec = splitLine(b.toString('utf8', i, le), this.delim, 1);
        if (rec) this.record(rec);
      }
      i = j + 1;
    }
    if (i >= end) return;
    const D = this.delim.charCodeAt(0),
      need = this.need,
      last = this.last,
      FS = this.fs,
      FE = this.fe;
    const ix = this.columns!.index;
    const iq = ix.demand_qty,
      id = ix.date,
      ip = ix.partnumber,
      is = ix.site_code;
    while (i < end) {
      for (let k = 0; k <= last; k++) {
        FS[k] = 0;
        FE[k] = 0;
      }
      let field = 0,
        from = i,
        blank = true,
        slow = false,
        j = i;
      for (; j < end; j++) {
        const c = b[j];
        if (c === 10) break;
        if (c === D) {
          if (field <= last) {
            FS[field] = from;
            FE[field] = j;
          }
          field++;
          from = j + 1;
        } else if (c >= 0x80) {
          if (blank || need[field] === 1) slow = true;
        } else if (blank && !isWs(c)) blank = false;
      }
      const le = j > i && b[j - 1] === 13 ? j - 1 : j;
      // the reader's limits, once per line (this row is line rows + 2: the header is line 1)
      if (le - i > MAX_RECORD_BYTES) throw recordTooLong(this.rows + 2);
      if (field >= MAX_COLUMNS) throw tooManyColumns(this.rows + 2);
      if (field <= last) {
        FS[field] = from;
        FE[field] = le;
      }
      const next = j + 1;
      if (le > i) {
        if (slow) {
          const rec = splitLine(b.toString('utf8', i, le), this.delim, this.rows + 2);
          if (rec) this.record(rec);
        } else if (!blank) this.byteRow(b, FS[ip], FE[ip], FS[is], FE[is], FS[iq], FE[iq], FS[id], FE[id]);
      }
      i = next;
    }
    this.seenBytes += end - start;
    if (!this.reserved && this.rows >= 1000) {
      // size the row arrays once from the rows per byte so far (10 % spare; they grow by 1.5× beyond)
      this.reserved = true;
      const est = Math.ceil((this.source.size / this.seenBytes) * this.rp.n * 1.1) + 1024;
      this.rp.reserve(est);
      this.rs.reserve(est);
      this.rd.reserve(est);
      this.rq.reserve(est);
    }
  }

  private byteRow(
    b: Buffer,
    ps: number,
    pe: number,
    ss: number,
    se: number,
    qs: number,
    qe: number,
    ds: number,
    de: number,
  ): void {
    this.rows++;
    while (ps < pe && isWs(b[ps])) ps++;
    while (pe > ps && isWs(b[pe - 1])) pe--;
    if (ps === pe) {
      this.blankPart.add(`line ${this.rows + 1}`);
      return;
    }
    while (ss < se && isWs(b[ss])) ss++;
    while (se > ss && isWs(b[se - 1])) se--;
    if (ss === se) {
      this.blankSite.add(`line ${this.rows + 1} (part ${b.toString('latin1', ps, pe)})`);
      return;
    }
    // quantity: a plain integer of up to 9 digits straight from the bytes, anything else as text
    let q = 0;
    const qn = qe - qs;
    let k = qs;
    if (qn > 0 && qn <= 9)
      for (; k < qe; k++) {
        const c = b[k] - 48;
        if (c < 0 || c > 9) break;
        q = q * 10 + c;
      }
    if (qn === 0 || qn > 9 || k < qe) {
      const qText = b.toString('latin1', qs, qe);
      q = parseQty(qText, this.decimalComma);
      if (!this.qtyOk(q, qText, this.rows + 1)) return;
    }
    while (ds < de && isWs(b[ds])) ds++;
    while (de > ds && isWs(b[de - 1])) de--;
    const n = this.parts.size;
    const pi = this.parts.idOfBytes(b, ps, pe);
    this.add(pi, pi === n, this.sites.idOfBytes(b, ss, se), this.dates.idOfBytes(b, ds, de), q);
  }
}

/** A workbook's demand sheet: the first whose header has the four demand columns. */
export const DEMAND_SHEET: SheetPick = { what: 'demand', check: (header) => void mapColumns(header, 'xlsx') };

export async function readDemand(
  filePath: string,
  originalName: string,
  dateFormat: 'auto' | DateOrder,
  onProgress?: (fraction: number) => void,
): Promise<RawDemand> {
  const { source } = await openSource(filePath, originalName);
  const c = new Collector(source);
  let lastReport = 0;
  const onBytes = onProgress
    ? (b: number) => {
        const f = b / source.size;
        if (f - lastReport >= 0.01) {
          lastReport = f;
          onProgress(Math.min(1, f));
        }
      }
    : undefined;
  await readInto(filePath, source, c, onBytes, DEMAND_SHEET);
  const { columns, rows } = c;
  if (!columns) throw new InputError('EMPTY_FILE', 'The file has no header line and no data.');
  if (rows === 0)
    throw new InputError(
      'EMPTY_FILE',
      `The file has a header (${Object.values(columns.names).join(', ')}) but no data rows.`,
    );
  const parts = c.parts.texts,
    sites = c.sites.texts,
    dateTexts = c.dates.texts;
  const { badQty, negQty, hugeQty, blankPart, blankSite, sci } = c;

  const shapes = dateTexts.map(dateShape);
  const order = decideOrder(shapes, dateFormat);
  const dayOfText = shapes.map((s) => dayOf(s, order.order));
  const n = c.rp.n;
  const dateIdx = c.rd.view();
  const badDates = new Tally();
  // day numbers replace the date ids in place; rows with an unreadable date are dropped (in place too)
  const P = c.rp.view(),
    S = c.rs.view(),
    Q = c.rq.view();
  const D = dateIdx;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const di = dateIdx[i];
    const d = dayOfText[di];
    if (Number.isFinite(d)) {
      P[kept] = P[i];
      S[kept] = S[i];
      Q[kept] = Q[i];
      D[kept] = d;
      kept++;
    } else badDates.add(dateTexts[di] === '' ? BLANK_EXAMPLE : dateTexts[di]);
  }
  const issues: Issue[] = [];
  const push = (code: PreviewIssueCode, t: Tally, what: string, params: PreviewIssue['params'] = {}) => {
    if (t.count)
      issues.push({
        code,
        count: t.count,
        examples: t.examples,
        message: `${t.count} row${t.count > 1 ? 's' : ''} ${what}; excluded`,
        params,
      });
  };
  push('BAD_QUANTITY', badQty, 'with a quantity that is not a number');
  push('NEGATIVE_QUANTITY', negQty, 'with a negative quantity');
  push('HUGE_QUANTITY', hugeQty, `with a quantity above ${MAX_QTY.toExponential(0)} (not a plausible demand)`, {
    max: MAX_QTY,
  });
  push('BLANK_PARTNUMBER', blankPart, 'with a blank part number');
  push('BLANK_SITE', blankSite, 'with a blank site code');
  if (badDates.count) {
    const expect =
      order.order === 'YMD'
        ? 'YYYY-MM-DD'
        : order.order === 'DMY'
          ? 'DD/MM/YYYY or YYYY-MM-DD'
          : 'MM/DD/YYYY or YYYY-MM-DD';
    issues.push({
      code: 'BAD_DATES',
      count: badDates.count,
      examples: badDates.examples,
      message: `${badDates.count} row${badDates.count > 1 ? 's have a date' : ' has a date'} that cannot be read as ${expect}`,
      params: { order: order.order },
    });
  }
  const notes = { warnings: [] as string[], notices: [] as Notice[] };
  const examples = (t: { examples: string[] }) => t.examples.join(', ');
  if (sci.count) {
    const message = `${sci.count} rows have part numbers in scientific notation (kept as written)`;
    // starts with the issue's message, so a page that words the issue knows this note restates it
    addNotice(notes, {
      code: 'SCIENTIFIC_PARTNUMBER',
      params: { count: sci.count },
      examples: sci.examples,
      message: `${message} (e.g. ${examples(sci)}): they look mangled by Excel; format the column as text in Excel and export again`,
    });
    issues.push({ code: 'SCIENTIFIC_PARTNUMBER', count: sci.count, examples: sci.examples, message, params: {} });
  }
  if (order.ambiguous)
    addNotice(notes, {
      code: 'DATES_AMBIGUOUS',
      params: { order: order.order },
      message: `${AMBIGUOUS_DATES_NOTE}: ${order.reason}.`,
    });
  for (const is of issues)
    if (is.code !== 'BAD_DATES' && is.code !== 'SCIENTIFIC_PARTNUMBER')
      addNotice(notes, {
        code: is.code,
        params: { ...is.params, count: is.count },
        examples: is.examples,
        message: `${is.message} (e.g. ${examples(is)})`,
      });
  const { warnings, notices } = notes;

  return {
    source,
    columns,
    rows,
    parts,
    sites,
    part: P.subarray(0, kept),
    site: S.subarray(0, kept),
    day: D.subarray(0, kept),
    qty: Q.subarray(0, kept),
    order,
    issues,
    warnings,
    notices,
    badDates,
  };
}
