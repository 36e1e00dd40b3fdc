/**
 * Opening an input file: format (CSV or XLSX), text encoding, delimiter, and a streaming row iterator.
 * Nothing here holds the whole file in memory.
 */
import { createReadStream } from 'node:fs';
import { PassThrough, pipeline } from 'node:stream';
import { open, stat, type FileHandle } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { InputError } from '../errors.js';
import { csvBatches, scanCsv, type CsvSink } from './fastcsv.js';
import { xlsxSheetHeads } from './xlsx-head.js';
import { fixUnzipperEnd } from './unzip-end.js';

export interface Source {
  format: 'csv' | 'xlsx';
  /** 'utf8', 'utf8-bom', 'utf16le', 'utf16be', 'cp1252' or 'xlsx'. */
  encoding: string;
  delimiter: string | null;
  size: number;
}

const HEAD_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t', '|'] as const;

async function readHead(filePath: string): Promise<{ head: Buffer; size: number }> {
  const st = await stat(filePath);
  const fh = await open(filePath, 'r');
  try {
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, st.size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return { head: buf.subarray(0, bytesRead), size: st.size };
  } finally {
    await fh.close();
  }
}

/** True when the bytes are valid UTF-8 (a sequence cut at the end of the buffer is allowed). */
function isUtf8(b: Uint8Array): boolean {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let extra: number;
    if (c >= 0xc2 && c <= 0xdf) extra = 1;
    else if (c >= 0xe0 && c <= 0xef) extra = 2;
    else if (c >= 0xf0 && c <= 0xf4) extra = 3;
    else return false;
    if (i + extra >= n) return true; // truncated at the end of the head
    for (let k = 1; k <= extra; k++) if ((b[i + k] & 0xc0) !== 0x80) return false;
    i += extra + 1;
  }
  return true;
}

/** Counts a character outside double quotes in one line. */
function countOutsideQuotes(line: string, ch: string): number {
  let q = false,
    c = 0;
  for (let i = 0; i < line.length; i++) {
    const x = line[i];
    if (x === '"') q = !q;
    else if (!q && x === ch) c++;
  }
  return c;
}

/** Picks the delimiter that splits the header into the most fields, consistently over the next lines. */
export function sniffDelimiter(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  if (lines.length === 0) return ',';
  if (lines.length > 1 && !text.endsWith('\n')) lines.pop(); // last line may be cut
  let best = ',',
    bestScore = -1;
  for (const d of DELIMITERS) {
    const n0 = countOutsideQuotes(lines[0], d);
    if (n0 === 0) continue;
    const consistent = lines.filter((l) => countOutsideQuotes(l, d) === n0).length / lines.length;
    const score = n0 * consistent;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

function decodeHead(head: Buffer, encoding: string): string {
  if (encoding === 'utf8-bom') return head.subarray(3).toString('utf8');
  if (encoding === 'utf8') return head.toString('utf8');
  return iconv
    .decode(head, encoding === 'utf16le' || encoding === 'utf16be' ? encoding : 'win1252')
    .replace(/^\uFEFF/, '');
}

export async function openSource(
  filePath: string,
  originalName: string,
): Promise<{ source: Source; headText: string }> {
  let head: Buffer, size: number;
  try {
    ({ head, size } = await readHead(filePath));
  } catch (e) {
    throw new InputError('EMPTY_FILE', `The uploaded file could not be read (${(e as Error).message}).`);
  }
  if (size === 0) throw new InputError('EMPTY_FILE', 'The file is empty.');
  const lower = originalName.toLowerCase();
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return { source: { format: 'xlsx', encoding: 'xlsx', delimiter: null, size }, headText: '' };
  }
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new InputError(
      'UNSUPPORTED_FILE',
      'This is an old Excel .xls file. Save it as .xlsx or .csv and upload it again.',
    );
  }
  if (lower.endsWith('.xlsx') || lower.endsWith('.xls') || lower.endsWith('.ods') || lower.endsWith('.zip')) {
    throw new InputError(
      'DAMAGED_FILE',
      `"${originalName}" is not a readable Excel workbook. Upload a .xlsx or .csv file.`,
    );
  }
  let encoding: string;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) encoding = 'utf8-bom';
  else if (head[0] === 0xff && head[1] === 0xfe) encoding = 'utf16le';
  else if (head[0] === 0xfe && head[1] === 0xff) encoding = 'utf16be';
  else if (isUtf8(head)) encoding = 'utf8';
  else encoding = 'cp1252';
  const sample = head.subarray(0, Math.min(head.length, 4096));
  if (!encoding.startsWith('utf16') && sample.includes(0)) {
    throw new InputError(
      'UNSUPPORTED_FILE',
      `"${originalName}" looks like a binary file, not CSV text or an .xlsx workbook.`,
    );
  }
  const headText = decodeHead(head, encoding);
  if (headText.trim() === '') throw new InputError('EMPTY_FILE', 'The file is empty (no header line).');
  const delimiter = sniffDelimiter(headText);
  return { source: { format: 'csv', encoding, delimiter, size }, headText };
}

/** Text form of an XLSX cell value. */
function cellText(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

/**
 * Which sheet of a workbook holds the data: the first (in the order readBatches reads them) whose header,
 * its first row with a non-blank cell, passes `check` (which throws an InputError saying what is wrong).
 * `what` names the data in the error when no sheet passes ("demand", "parts"). A CSV has one table.
 */
export interface SheetPick {
  what: string;
  check: (header: string[]) => void;
}

const isBlank = (rec: string[]) => rec.every((c) => c.trim() === '');

/** The header's verdict: null when it passes, else the InputError it failed with. */
function verdict(pick: SheetPick, header: string[]): InputError | null {
  try {
    pick.check(header);
    return null;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

/** No sheet passed: each sheet named, and what was wrong with the first one's header. */
function noSheet(pick: SheetPick, sheets: { name: string; error: InputError | null }[]): InputError {
  const named = sheets.map((s) => `"${s.name.length > 60 ? `${s.name.slice(0, 57)}…` : s.name}"`);
  const list = named.length > 20 ? `${named.slice(0, 20).join(', ')}, … (${named.length} in all)` : named.join(', ');
  const first = sheets.find((s) => s.error)?.error;
  return new InputError(
    first?.code ?? 'EMPTY_FILE',
    `No sheet of this workbook has the ${pick.what} columns; its sheet${sheets.length === 1 ? ' is' : 's are'} ${list || 'none'}.` +
      (first ? ` On sheet ${named[sheets.findIndex((s) => s.error)]}: ${first.message}` : ' Every sheet is empty.'),
  );
}

/** Streams the file's rows (header first) as arrays of strings. `onBytes` receives the bytes read so far. */
export async function* readRows(
  filePath: string,
  source: Source,
  onBytes?: (bytes: number) => void,
  pick?: SheetPick,
): AsyncGenerator<string[]> {
  for await (const batch of readBatches(filePath, source, onBytes, pick)) yield* batch;
}

/**
 * The first rows, for an upload check: a CSV's streamed as always, a workbook's through the bounded head
 * reader (the first 20 rows with cells, and only the shared strings they use) of the sheet `pick` chooses
 * (the first sheet without one), the same sheet readBatches reads.
 */
export async function* readHeadRows(filePath: string, source: Source, pick?: SheetPick): AsyncGenerator<string[]> {
  if (source.format !== 'xlsx') {
    yield* readRows(filePath, source);
    return;
  }
  const seen: { name: string; error: InputError | null }[] = [];
  for await (const sheet of xlsxSheetHeads(filePath, 20)) {
    const header = sheet.rows.find((r) => !isBlank(r));
    const error = !pick ? null : header ? verdict(pick, header) : null;
    if (!pick || (header && !error)) {
      yield* sheet.rows;
      return;
    }
    seen.push({ name: sheet.name, error });
  }
  if (pick && seen.length) throw noSheet(pick, seen);
}

/** Bytes read per chunk: large enough that per-chunk costs vanish, small enough to stay bounded. */
const CHUNK = 1 << 20;

/**
 * Streams the file's rows (header first) in batches (one per chunk read). `onBytes` receives the bytes
 * read so far. Memory: one chunk and one batch at a time.
 */
export async function* readBatches(
  filePath: string,
  source: Source,
  onBytes?: (bytes: number) => void,
  /** a workbook's sheet to read (else the first) */
  pick?: SheetPick,
): AsyncGenerator<string[][]> {
  if (source.format === 'xlsx') {
    // Loaded on first use: exceljs costs ~30 MB in every thread that imports it, and most files are CSV.
    // (Before the stream exists: a flowing stream would lose data while the import resolves.)
    const { default: ExcelJS } = await import('exceljs');
    fixUnzipperEnd();
    const file = createReadStream(filePath);
    // exceljs pipes its input into the unzipper and listens to neither's source errors: a read error
    // ends the input (the unzipper then stops on a cut workbook) and is reported as such below.
    const input = new PassThrough();
    let readFailed = false;
    file.on('error', () => {
      readFailed = true;
      input.end();
    });
    let bytes = 0;
    file.on('data', (c) => {
      bytes += c.length;
      onBytes?.(bytes);
    });
    file.pipe(input);
    const unreadable = () => new InputError('EMPTY_FILE', 'The uploaded file could not be read.');
    const wb = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    const seen: { name: string; error: InputError | null }[] = [];
    try {
      for await (const ws of wb) {
        let batch: string[][] = [];
        // with a pick: undecided until the header, then this sheet's rows are read or passed over
        let state: 'head' | 'read' | 'skip' = pick ? 'head' : 'read';
        let error: InputError | null = null;
        for await (const row of ws) {
          if (state === 'skip') continue; // (the sheet is read to its end all the same: exceljs needs it)
          const vals = (row as unknown as { values: unknown[] }).values;
          const out: string[] = [];
          for (let i = 1; i < vals.length; i++) out.push(cellText(vals[i]));
          if (state === 'head' && !isBlank(out)) {
            error = verdict(pick!, out);
            state = error ? 'skip' : 'read';
            if (error) continue;
          }
          batch.push(out);
          if (batch.length >= 4096) {
            yield batch;
            batch = [];
          }
        }
        if (readFailed) throw unreadable();
        if (state !== 'read') {
          seen.push({ name: (ws as unknown as { name?: string }).name ?? `sheet ${seen.length + 1}`, error });
          continue;
        }
        if (batch.length) yield batch;
        return; // one worksheet only
      }
      if (readFailed) throw unreadable();
      if (pick && seen.length) throw noSheet(pick, seen);
    } catch (e) {
      if (e instanceof InputError) throw e;
      if (readFailed) throw unreadable();
      // The reader's own words (zlib's, unzipper's) mean nothing to a planner.
      throw new InputError(
        'DAMAGED_FILE',
        'The Excel file could not be read: it is damaged or not an ordinary workbook. Save it again as .xlsx or .csv.',
      );
    } finally {
      file.destroy();
      input.destroy();
    }
    return;
  }
  const raw = createReadStream(filePath, { highWaterMark: CHUNK });
  let bytes = 0;
  raw.on('data', (c) => {
    bytes += c.length;
    onBytes?.(bytes);
  });
  let text: NodeJS.ReadableStream = raw;
  const decoding =
    source.encoding === 'cp1252'
      ? 'win1252'
      : source.encoding === 'utf16le' || source.encoding === 'utf16be'
        ? source.encoding
        : null;
  // pipeline, not pipe: a read error or an early stop destroys both streams and surfaces in the loop
  // that reads `text`, never as an 'error' event without a listener.
  if (decoding)
    text = pipeline(raw, iconv.decodeStream(decoding), () => {
      /* the error (if any) is thrown by the reader of `text` */
    });
  try {
    yield* csvBatches(text as AsyncIterable<string | Buffer>, source.delimiter ?? ',');
  } catch (e) {
    throw readError(e);
  } finally {
    raw.destroy();
  }
}

/**
 * Streams the file's rows (header first) into a sink: UTF-8 CSV as bytes (see scanCsv), everything else
 * as records from readBatches. `onBytes` receives the bytes read so far.
 */
export async function readInto(
  filePath: string,
  source: Source,
  sink: CsvSink,
  onBytes?: (bytes: number) => void,
  pick?: SheetPick,
): Promise<void> {
  if (source.format !== 'csv' || (source.encoding !== 'utf8' && source.encoding !== 'utf8-bom')) {
    for await (const batch of readBatches(filePath, source, onBytes, pick)) sink.records(batch);
    return;
  }
  // One buffer, read into again and again: no garbage per chunk (scanCsv copies only partial lines).
  let fh: FileHandle | null = null;
  try {
    const f = (fh = await open(filePath, 'r'));
    const buf = Buffer.allocUnsafe(CHUNK);
    let bytes = 0;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (;;) {
        const { bytesRead } = await f.read(buf, 0, CHUNK, bytes);
        if (bytesRead === 0) return;
        bytes += bytesRead;
        onBytes?.(bytes);
        yield buf.subarray(0, bytesRead);
      }
    }
    await scanCsv(chunks(), source.delimiter ?? ',', sink);
  } catch (e) {
    throw readError(e);
  } finally {
    await fh?.close();
  }
}

/**
 * What a planner is told when a CSV cannot be read: the reader's own InputErrors (limits, csv-parse's
 * errors with their line) as they are; anything else without its internal text or the file's path.
 */
function readError(e: unknown): InputError {
  if (e instanceof InputError) return e;
  const err = e as Error & { code?: string };
  if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EIO' || err.code === 'EISDIR')
    return new InputError('EMPTY_FILE', 'The uploaded file could not be read.');
  return new InputError('INVALID_INPUT', 'The CSV file could not be read: export it again as CSV and upload it.');
}
