/**
 * The first rows of a workbook's first sheet, read without a workbook reader: the sheet is inflated
 * (streamed) only until those rows are complete, and sharedStrings.xml only until the strings they use
 * have been seen. exceljs keeps every shared string in memory before the first row, so an upload check
 * through it costs as much as the whole part; this costs a few chunks.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { InputError } from '../errors.js';

interface Entry {
  name: string;
  method: number;
  compressed: number;
  dataOffset: number;
}

/** Longest stretch of sheet XML held while looking for the end of a row (longer: no such workbook). */
const MAX_PENDING = 4 * 1024 * 1024;
/**
 * Most characters of a part read for the head: the first rows of a real sheet, and the shared strings
 * they use, come long before. Past it, the rows found so far are the head.
 */
const MAX_SCAN = 256 * 1024 * 1024;

async function entries(file: string): Promise<Entry[]> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0 && eocd < 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) eocd = i;
    if (eocd < 0) throw new Error('no ZIP directory');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > size || cdSize > 64 * 1024 * 1024) throw new Error('broken ZIP directory');
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const out: Entry[] = [];
    const local = Buffer.alloc(30);
    for (let p = 0, k = 0; k < count && p + 46 <= cdSize; k++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error('broken ZIP directory');
      const nameLen = cd.readUInt16LE(p + 28);
      const offset = cd.readUInt32LE(p + 42);
      await fh.read(local, 0, 30, offset);
      out.push({
        name: cd.toString('utf8', p + 46, p + 46 + nameLen),
        method: cd.readUInt16LE(p + 10),
        compressed: cd.readUInt32LE(p + 20),
        dataOffset: offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28),
      });
      p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    return out;
  } finally {
    await fh.close();
  }
}

/**
 * An entry's text, streamed; `take` returns true once it has read enough (the rest is never inflated).
 * Corrupt compressed data is an InputError.
 */
async function scan(file: string, e: Entry, take: (text: string) => boolean): Promise<void> {
  if (e.compressed === 0) return;
  const src = createReadStream(file, { start: e.dataOffset, end: e.dataOffset + e.compressed - 1 });
  const stream = e.method === 0 ? src : src.pipe(createInflateRaw());
  src.on('error', (err) => stream.destroy(err));
  // Characters split between two chunks are put together again.
  const utf8 = new StringDecoder('utf8');
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) if (take(utf8.write(chunk))) return;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError('DAMAGED_FILE', 'The Excel file is damaged: part of it cannot be unzipped.');
  } finally {
    src.destroy();
    stream.destroy();
  }
}

const isDelimiter = (ch: string) => ch === '>' || ch === '/' || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';

/**
 * The complete `<name …>…</name>` and `<name …/>` elements of XML text fed in pieces, found with indexOf
 * from where the last search stopped: every character is looked at a bounded number of times, whatever
 * the input (an element opened and never closed costs its length once, not its length squared). An
 * element longer than `max` characters is an error; text outside the elements is dropped as it goes.
 */
export class ElementScanner {
  private readonly open: string;
  private readonly close: string;
  /** Outside an element: the last characters, which may be the start of its open tag. */
  private carry = '';
  /** Inside: the element so far, and its last characters (a close tag may begin there). */
  private parts: string[] = [];
  private held = 0;
  private tail = '';
  private inside = false;
  private inBody = false;
  /** Characters the searches went over, in all (the tests hold it to a small multiple of the input). */
  examined = 0;

  constructor(
    name: string,
    private readonly max: number,
    private readonly tooLong: () => Error,
  ) {
    this.open = `<${name}`;
    this.close = `</${name}>`;
  }

  private find(s: string, needle: string, from: number): number {
    const at = s.indexOf(needle, from);
    this.examined += (at < 0 ? s.length : at + needle.length) - from;
    return at;
  }

  /** Whether the text fed so far ends inside an element (one opened and never closed). */
  get unfinished(): boolean {
    return this.inside;
  }

  /** Feeds text; `each` receives every element completed and returns true to stop (then this does too). */
  feed(text: string, each: (element: string) => boolean): boolean {
    const inside = this.inside;
    const s = inside ? this.tail + text : this.carry + text;
    // Where the element being read begins in s, and where its text not yet held begins.
    let begin = 0;
    let fresh = inside ? this.tail.length : 0;
    let from = 0;
    this.carry = '';
    for (;;) {
      if (!this.inside) {
        let i = this.find(s, this.open, from);
        while (i >= 0 && i + this.open.length < s.length && !isDelimiter(s[i + this.open.length]))
          i = this.find(s, this.open, i + 1);
        if (i < 0 || i + this.open.length >= s.length) {
          this.carry = i < 0 ? s.slice(Math.max(from, s.length - this.open.length + 1)) : s.slice(i);
          return false;
        }
        this.inside = true;
        this.inBody = false;
        this.parts = [];
        this.held = 0;
        begin = fresh = i;
        from = i + this.open.length;
      }
      let end = -1;
      if (!this.inBody) {
        const gt = this.find(s, '>', from);
        if (gt >= 0 && s[gt - 1] === '/') end = gt + 1;
        else if (gt >= 0) {
          this.inBody = true;
          from = gt + 1;
        }
      }
      if (this.inBody && end < 0) {
        const at = this.find(s, this.close, from);
        if (at >= 0) end = at + this.close.length;
      }
      if (end < 0) {
        const rest = s.slice(fresh);
        this.parts.push(rest);
        this.held += rest.length;
        if (this.held > this.max) throw this.tooLong();
        this.tail = s.slice(Math.max(begin, s.length - this.close.length + 1));
        return false;
      }
      this.parts.push(s.slice(fresh, end));
      const element = this.parts.join('');
      if (element.length > this.max) throw this.tooLong();
      this.inside = false;
      this.parts = [];
      this.held = 0;
      this.tail = '';
      if (each(element)) return true;
      from = end;
    }
  }
}

const unescape = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-f]+|#\d+);/gi, (m, k: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[k.toLowerCase()]) return named[k.toLowerCase()];
    const code = k[1] === 'x' || k[1] === 'X' ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });

/** Whether `xml` has the tag `<name` at `at` (followed by a delimiter, not a longer name). */
const tagAt = (xml: string, at: number, name: string) =>
  xml.startsWith(name, at) && at + name.length < xml.length && isDelimiter(xml[at + name.length]);

/** The text of every <t> in an element (rich text runs joined; phonetic runs left out). One pass. */
function texts(xml: string): string {
  let out = '';
  for (let i = xml.indexOf('<'); i >= 0; i = xml.indexOf('<', i + 1)) {
    if (tagAt(xml, i, '<rPh')) {
      const end = xml.indexOf('</rPh>', i);
      if (end < 0) break;
      i = end;
    } else if (tagAt(xml, i, '<t')) {
      const gt = xml.indexOf('>', i);
      if (gt < 0) break;
      if (xml[gt - 1] === '/') {
        i = gt;
        continue;
      }
      const end = xml.indexOf('</t>', gt);
      if (end < 0) break;
      out += unescape(xml.slice(gt + 1, end));
      i = end;
    }
  }
  return out;
}

type Cell = { col: number; shared: number } | { col: number; text: string };

/** Columns a worksheet can have (A…XFD): a cell beyond is no Excel file's. */
const MAX_COLUMNS = 16384;

/** The 0-based column of a cell reference ("C7" → 2); without one, the column after `previous`. */
function columnOf(ref: string | undefined, previous: number): number {
  const letters = /^([A-Z]+)/i.exec(ref ?? '')?.[1];
  let n = previous + 2;
  if (letters) {
    n = 0;
    for (const ch of letters.slice(0, 4).toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  }
  if (n > MAX_COLUMNS)
    throw new InputError('DAMAGED_FILE', 'The first rows of the Excel sheet have cells beyond column XFD.');
  return n - 1;
}

const cellsOf = () => new ElementScanner('c', Infinity, () => new Error('unreachable: a row is read whole'));

function parseRow(xml: string): Cell[] {
  const cells: Cell[] = [];
  cellsOf().feed(xml, (c) => {
    if (cells.length >= MAX_COLUMNS)
      throw new InputError('DAMAGED_FILE', 'A row of the Excel sheet has more cells than a worksheet can hold.');
    const gt = c.indexOf('>');
    const closed = c[gt - 1] === '/';
    const attrs = c.slice(2, closed ? gt - 1 : gt);
    const col = columnOf(/\br="([^"]*)"/.exec(attrs)?.[1], cells.at(-1)?.col ?? -1);
    const type = /\bt="([^"]*)"/.exec(attrs)?.[1] ?? 'n';
    const body = closed ? '' : c.slice(gt + 1, c.length - 4);
    const vAt = body.indexOf('<v>');
    const vEnd = vAt < 0 ? -1 : body.indexOf('</v>', vAt);
    const v = vEnd < 0 ? undefined : body.slice(vAt + 3, vEnd);
    if (type === 'inlineStr') cells.push({ col, text: texts(body) });
    else if (type === 's' && v !== undefined) cells.push({ col, shared: Number(v) });
    else if (type === 'b') cells.push({ col, text: v === '1' ? 'TRUE' : v === undefined ? '' : 'FALSE' });
    else cells.push({ col, text: v === undefined ? '' : unescape(v) });
    return false;
  });
  return cells;
}

/** Longest workbook.xml or its relations read for the sheet names (a real one is a few KB). */
const MAX_LIST = 4 * 1024 * 1024;

/** An entry's whole text, up to `max` characters (what is past it is not read). */
async function wholeText(file: string, e: Entry | undefined, max: number): Promise<string> {
  if (!e) return '';
  let out = '';
  await scan(file, e, (text) => {
    out += text;
    return out.length > max;
  });
  return out.slice(0, max);
}

const attr = (tag: string, name: string) => {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? unescape(m[1] ?? m[2] ?? '') : undefined;
};

/** Sheet names by worksheet part (xl/worksheets/sheetN.xml), from workbook.xml and its relations. */
async function sheetNames(file: string, list: Entry[]): Promise<Map<string, string>> {
  const find = (name: string) => list.find((e) => e.name === name);
  const [book, rels] = await Promise.all([
    wholeText(file, find('xl/workbook.xml'), MAX_LIST),
    wholeText(file, find('xl/_rels/workbook.xml.rels'), MAX_LIST),
  ]);
  const target = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const to = attr(m[0], 'Target');
    if (id && to) target.set(id, to.startsWith('/') ? to.slice(1) : `xl/${to}`);
  }
  const names = new Map<string, string>();
  for (const m of book.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = attr(m[0], 'name');
    const part = target.get(attr(m[0], 'r:id') ?? '');
    if (name !== undefined && part) names.set(part, name);
  }
  return names;
}

/** One sheet's first rows, and its name (the part's own name when the workbook does not say). */
export interface SheetHead {
  name: string;
  rows: string[][];
}

/**
 * Up to `maxRows` rows (with at least one cell) of every sheet, as strings, in the order exceljs's
 * streaming reader gives the sheets (readBatches reads them so): first the sheets stored after the shared
 * strings and the workbook relations, then the ones stored before. Each sheet is read only when asked for.
 * Throws InputError when the file is not a readable workbook.
 */
export async function* xlsxSheetHeads(file: string, maxRows: number): AsyncGenerator<SheetHead> {
  let list: Entry[];
  try {
    list = await entries(file);
  } catch {
    throw new InputError(
      'DAMAGED_FILE',
      'The Excel file could not be read (its list of parts is missing or damaged). Save it again as .xlsx or .csv.',
    );
  }
  const at = (re: RegExp) => list.findIndex((e) => re.test(e.name));
  const strings = at(/^xl\/sharedStrings\.xml$/);
  // exceljs emits a sheet at once only after the shared strings and workbook relations; earlier ones wait.
  const ready = strings < 0 ? Infinity : Math.max(strings, at(/^xl\/_rels\/workbook\.xml\.rels$/));
  const sheets = list.map((e, i) => ({ e, i })).filter(({ e }) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name));
  const ordered = [...sheets.filter(({ i }) => i > ready), ...sheets.filter(({ i }) => i < ready)];
  if (!ordered.length) return;
  const names = await sheetNames(file, list);
  for (const { e } of ordered)
    yield {
      name: names.get(e.name) ?? e.name.slice('xl/worksheets/'.length),
      rows: await sheetHead(file, list, e, strings, maxRows),
    };
}

/**
 * Up to `maxRows` rows (with at least one cell) of the sheet exceljs would read first, as strings.
 * Throws InputError when the file is not a readable workbook.
 */
export async function readXlsxHeadRows(file: string, maxRows: number): Promise<string[][]> {
  for await (const sheet of xlsxSheetHeads(file, maxRows)) return sheet.rows;
  return [];
}

async function sheetHead(
  file: string,
  list: Entry[],
  sheet: Entry,
  strings: number,
  maxRows: number,
): Promise<string[][]> {
  const rows: Cell[][] = [];
  const rowScanner = new ElementScanner(
    'row',
    MAX_PENDING,
    () => new InputError('DAMAGED_FILE', 'The first rows of the Excel sheet are too long to be a header.'),
  );
  let scanned = 0;
  let stopped = false;
  await scan(file, sheet, (text) => {
    scanned += text.length;
    const done = rowScanner.feed(text, (row) => {
      const cells = parseRow(row);
      if (cells.length) rows.push(cells);
      return rows.length >= maxRows;
    });
    return (stopped = done || scanned > MAX_SCAN);
  });
  if (!stopped && rowScanner.unfinished)
    throw new InputError('DAMAGED_FILE', 'The Excel sheet is damaged: one of its first rows never ends.');
  if (!rows.length && scanned > MAX_SCAN)
    throw new InputError('DAMAGED_FILE', 'The Excel sheet has no row in its first 256 MB: it is not a data sheet.');

  const wanted = new Set<number>();
  let last = -1;
  for (const c of rows.flat())
    if ('shared' in c && Number.isSafeInteger(c.shared) && c.shared >= 0) {
      wanted.add(c.shared);
      last = Math.max(last, c.shared);
    }
  const found = new Map<number, string>();
  if (wanted.size && strings >= 0) {
    let index = 0;
    let read = 0;
    const siScanner = new ElementScanner(
      'si',
      MAX_PENDING,
      () => new InputError('DAMAGED_FILE', 'A shared string of the Excel file is too long to be a header.'),
    );
    await scan(file, list[strings], (text) => {
      read += text.length;
      const done = siScanner.feed(text, (si) => {
        if (wanted.has(index)) found.set(index, texts(si));
        return index++ >= last;
      });
      return done || read > MAX_SCAN;
    });
  }
  return rows.map((cells) => {
    const out: string[] = [];
    for (const c of cells) out[c.col] = 'shared' in c ? (found.get(c.shared) ?? '') : c.text;
    return Array.from(out, (v) => v ?? '');
  });
}
