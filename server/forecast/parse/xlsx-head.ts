/**
 * The first rows of a workbook's first sheet, read without a workbook reader: the sheet is inflated
 * (streamed) only until those rows are complete, and sharedStrings.xml only until the strings they use
 * have been seen. exceljs keeps every shared string in memory before the first row, so an upload check
 * through it costs as much as the whole part; this costs a few chunks.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
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

/** An entry's text, streamed; `take` returns true once it has read enough (the rest is never inflated). */
async function scan(file: string, e: Entry, take: (text: string) => boolean): Promise<void> {
  if (e.compressed === 0) return;
  const src = createReadStream(file, { start: e.dataOffset, end: e.dataOffset + e.compressed - 1 });
  const stream = e.method === 0 ? src : src.pipe(createInflateRaw());
  src.on('error', (err) => stream.destroy(err));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) if (take(chunk.toString('utf8'))) return;
  } finally {
    src.destroy();
    stream.destroy();
  }
}

const unescape = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-f]+|#\d+);/gi, (m, k: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[k.toLowerCase()]) return named[k.toLowerCase()];
    const code = k[1] === 'x' || k[1] === 'X' ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
/** The text of every <t> in an element (rich text runs joined; phonetic runs left out). */
const texts = (xml: string) =>
  [...xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)]
    .map((m) => unescape(m[1]))
    .join('');

type Cell = { col: number; shared: number } | { col: number; text: string };

function columnOf(ref: string | undefined, fallback: number): number {
  const letters = /^([A-Z]+)/i.exec(ref ?? '')?.[1];
  if (!letters) return fallback;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n - 1;
}

function parseRow(xml: string): Cell[] {
  const cells: Cell[] = [];
  for (const m of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const attrs = m[1];
    const col = columnOf(/\br="([^"]*)"/.exec(attrs)?.[1], (cells.at(-1)?.col ?? -1) + 1);
    const type = /\bt="([^"]*)"/.exec(attrs)?.[1] ?? 'n';
    const body = m[2] ?? '';
    const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
    if (type === 'inlineStr') cells.push({ col, text: texts(body) });
    else if (type === 's' && v !== undefined) cells.push({ col, shared: Number(v) });
    else if (type === 'b') cells.push({ col, text: v === '1' ? 'TRUE' : v === undefined ? '' : 'FALSE' });
    else cells.push({ col, text: v === undefined ? '' : unescape(v) });
  }
  return cells;
}

/**
 * Up to `maxRows` rows (with at least one cell) of the sheet exceljs would read first, as strings.
 * Throws InputError when the file is not a readable workbook.
 */
export async function readXlsxHeadRows(file: string, maxRows: number): Promise<string[][]> {
  let list: Entry[];
  try {
    list = await entries(file);
  } catch (e) {
    throw new InputError(
      'UNSUPPORTED_FILE',
      `The Excel file could not be read (${(e as Error).message}). Save it again as .xlsx or .csv.`,
    );
  }
  const at = (re: RegExp) => list.findIndex((e) => re.test(e.name));
  const strings = at(/^xl\/sharedStrings\.xml$/);
  // exceljs emits a sheet at once only after the shared strings and workbook relations; earlier ones wait.
  const ready = strings < 0 ? Infinity : Math.max(strings, at(/^xl\/_rels\/workbook\.xml\.rels$/));
  const sheets = list.map((e, i) => ({ e, i })).filter(({ e }) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name));
  const sheet = (sheets.find(({ i }) => i > ready) ?? sheets[0])?.e;
  if (!sheet) return [];

  const rows: Cell[][] = [];
  let pending = '';
  await scan(file, sheet, (text) => {
    pending += text;
    for (let m; (m = /<row\b[^>]*?(?:\/>|>([\s\S]*?)<\/row>)/.exec(pending));) {
      pending = pending.slice(m.index + m[0].length);
      const cells = parseRow(m[1] ?? '');
      if (cells.length) rows.push(cells);
      if (rows.length >= maxRows) return true;
    }
    // Between rows only the unfinished tail matters: keep it bounded (padding is dropped, not held).
    if (!pending.includes('<row')) pending = pending.slice(-16);
    if (pending.length > MAX_PENDING)
      throw new InputError('UNSUPPORTED_FILE', 'The first rows of the Excel sheet are too long to be a header.');
    return false;
  });

  const wanted = new Set(rows.flat().flatMap((c) => ('shared' in c ? [c.shared] : [])));
  const found = new Map<number, string>();
  const last = Math.max(-1, ...wanted);
  if (wanted.size && strings >= 0) {
    let index = 0;
    let rest = '';
    await scan(file, list[strings], (text) => {
      rest += text;
      for (let m; (m = /<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/.exec(rest)); index++) {
        rest = rest.slice(m.index + m[0].length);
        if (wanted.has(index)) found.set(index, texts(m[1] ?? ''));
        if (index >= last) return true;
      }
      if (rest.length > MAX_PENDING)
        throw new InputError('UNSUPPORTED_FILE', 'A shared string of the Excel file is too long to be a header.');
      return false;
    });
  }
  return rows.map((cells) => {
    const out: string[] = [];
    for (const c of cells) out[c.col] = 'shared' in c ? (found.get(c.shared) ?? '') : c.text;
    return Array.from(out, (v) => v ?? '');
  });
}
