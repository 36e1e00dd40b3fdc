/**
 * Streaming CSV records in batches. Text without a double quote is split directly (lines on \n, an
 * optional \r before it dropped, fields on the delimiter), which is what csv-parse would produce for it and
 * several times faster. From the first chunk that holds a quote or a bare \r (old Mac line ends), the rest of
 * the text goes through csv-parse; everything before it ended on a line boundary, so nothing is split wrongly.
 * Only one chunk (plus one partial line) is held at a time.
 */
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse as csvParse, type Options } from 'csv-parse';
import { InputError } from '../errors.js';

/**
 * Limits of one record (README, "Limits of one CSV record"): far above any real demand or parts file,
 * low enough that one endless line (a 190 MB file without a line break, a quote never closed) is refused
 * after a MiB instead of filling the heap. Checked once per line or chunk, never per character.
 */
export const MAX_RECORD_BYTES = 1 << 20;
export const MAX_COLUMNS = 1000;

/** The planner's words for a record beyond MAX_RECORD_BYTES; `line` is the line it starts on (about). */
export function recordTooLong(line: number | undefined): InputError {
  return new InputError(
    'INVALID_INPUT',
    `Line ${line ?? '?'} of the CSV file is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB ` +
      '(the limit of one record): the file is damaged, has no line breaks, or has a quote (") that is ' +
      'never closed. Export it again as CSV with one row per line.',
  );
}

/** The planner's words for a record with more than MAX_COLUMNS fields. */
export function tooManyColumns(line: number | undefined): InputError {
  return new InputError(
    'INVALID_INPUT',
    `Line ${line ?? '?'} of the CSV file has more than ${MAX_COLUMNS} columns (the limit): check the ` +
      'delimiter, or keep only the demand columns when exporting.',
  );
}

/** A limit hit inside a block of lines: how many records of the block came before the bad one. */
class LimitHit {
  constructor(
    readonly kind: 'record' | 'columns',
    readonly before: number,
  ) {}
  error(recordsBefore: number): InputError {
    const line = recordsBefore + this.before + 1;
    return this.kind === 'record' ? recordTooLong(line) : tooManyColumns(line);
  }
}

export const CSV_OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  max_record_size: MAX_RECORD_BYTES,
};
/** Records per batch on the csv-parse path. */
const BATCH = 4096;

/** The record of body[i, end) (one line without its line end), or null when every field is blank. */
export function splitRecord(body: string, delimiter: string, i = 0, end = body.length): string[] | null {
  // fields straight from the text: no per-line string
  const rec: string[] = [];
  const dl = delimiter.length;
  let a = i,
    empty = true;
  for (;;) {
    let b = body.indexOf(delimiter, a);
    if (b < 0 || b > end) b = end;
    const f = body.substring(a, b);
    if (empty && f.trim() !== '') empty = false;
    if (rec.length === MAX_COLUMNS) throw new LimitHit('columns', 0);
    rec.push(f);
    if (b >= end) break;
    a = b + dl;
  }
  return empty ? null : rec;
}

/** splitRecord for one line read on its own: a limit hit is an InputError naming `line`. */
export function splitLine(body: string, delimiter: string, line: number): string[] | null {
  try {
    return splitRecord(body, delimiter);
  } catch (e) {
    if (e instanceof LimitHit) throw e.error(line - 1);
    throw e;
  }
}

/** Records of complete lines `body` (no quotes, no bare \r), pushed to `out`. */
export function splitLines(body: string, delimiter: string, out: string[][]): void {
  const n = body.length,
    first = out.length;
  let i = 0;
  while (i <= n) {
    let j = body.indexOf('\n', i);
    if (j < 0) j = n;
    const end = j > i && body.charCodeAt(j - 1) === 13 ? j - 1 : j;
    if (end > i) {
      // characters, not bytes: at least as many bytes in UTF-8, so never a tighter limit than csv-parse's
      if (end - i > MAX_RECORD_BYTES) throw new LimitHit('record', out.length - first);
      let rec: string[] | null;
      try {
        rec = splitRecord(body, delimiter, i, end);
      } catch (e) {
        throw e instanceof LimitHit ? new LimitHit('columns', out.length - first) : e;
      }
      if (rec) out.push(rec);
    }
    i = j + 1;
  }
}

/** True when s has a \r not followed by \n (a \r at the very end may be the first half of \r\n). */
function bareCr(s: string): boolean {
  for (let i = s.indexOf('\r'); i >= 0; i = s.indexOf('\r', i + 1))
    if (i + 1 < s.length && s.charCodeAt(i + 1) !== 10) return true;
  return false;
}

/**
 * csv-parse's errors in the planner's words. The line is where the record starts, counted in records
 * (blank lines are not counted, as everywhere here): `before` records came before csv-parse took over.
 */
function csvParseError(e: unknown, before: number): unknown {
  const err = e as { code?: string; records?: number };
  if (typeof err?.code !== 'string' || !err.code.startsWith('CSV_')) return e;
  const line = before + (err.records ?? 0) + 1;
  if (err.code === 'CSV_MAX_RECORD_SIZE') return recordTooLong(line);
  if (err.code === 'CSV_QUOTE_NOT_CLOSED')
    return new InputError(
      'INVALID_INPUT',
      `The CSV file has a quote (") on line ${line} that is never closed: export it again as CSV.`,
    );
  return new InputError('INVALID_INPUT', `The CSV file could not be read near line ${line}: export it again as CSV.`);
}

/** The rest of the text through csv-parse; `before` records were read before it (for line numbers). */
async function* viaCsvParse(
  first: string,
  rest: AsyncIterator<string>,
  delimiter: string,
  before: number,
): AsyncGenerator<string[][]> {
  async function* text(): AsyncGenerator<string> {
    if (first) yield first;
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
  }
  // pipeline, not pipe: an error of either stream (a read cut off when the caller stops early, a parse
  // error) destroys both and reaches the loop below, never an 'error' event without a listener.
  const csv = csvParse({ ...CSV_OPTIONS, delimiter });
  const parser = pipeline(Readable.from(text(), { objectMode: false }), csv, () => {
    /* the error (if any) is thrown by the loop below */
  });
  let batch: string[][] = [],
    n = before;
  try {
    for await (const rec of parser) {
      n++;
      if ((rec as string[]).length > MAX_COLUMNS) throw tooManyColumns(n);
      batch.push(rec as string[]);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (e) {
    throw csvParseError(e, before);
  }
  if (batch.length) yield batch;
}

/** Text chunks (strings or UTF-8 Buffers) → batches of records. */
export async function* csvBatches(
  chunks: AsyncIterable<string | Buffer>,
  delimiter: string,
): AsyncGenerator<string[][]> {
  const dec = new StringDecoder('utf8');
  const src = chunks[Symbol.asyncIterator]();
  const strings: AsyncIterator<string> = {
    async next() {
      const r = await src.next();
      if (r.done) {
        const tail = dec.end();
        return tail ? { done: false, value: tail } : { done: true, value: undefined };
      }
      return { done: false, value: typeof r.value === 'string' ? r.value : dec.write(r.value) };
    },
  };
  let carry = '',
    first = true,
    ended = false,
    records = 0;
  while (!ended) {
    const r = await strings.next();
    let s: string;
    if (r.done) {
      ended = true;
      s = carry;
      carry = '';
      if (s === '') break;
    } else {
      s = carry + r.value;
      if (first && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      first = false;
    }
    if (s.includes('"') || bareCr(s) || (ended && s.endsWith('\r') && !s.includes('\n'))) {
      yield* viaCsvParse(s, strings, delimiter, records);
      return;
    }
    const cut = ended ? s.length : s.lastIndexOf('\n');
    if (cut < 0) {
      carry = s;
      if (carry.length > MAX_RECORD_BYTES) throw recordTooLong(records + 1);
      continue;
    }
    carry = ended ? '' : s.slice(cut + 1);
    if (carry.length > MAX_RECORD_BYTES) throw recordTooLong(records + 1);
    const out: string[][] = [];
    try {
      splitLines(s.slice(0, cut), delimiter, out);
    } catch (e) {
      throw e instanceof LimitHit ? e.error(records) : e;
    }
    records += out.length;
    if (out.length) yield out;
  }
}

/**
 * Receives a UTF-8 CSV file without decoding it: `lines` gets blocks of whole lines (the same lines
 * splitLines would see: no double quote, no bare \r; lines end at \n, a \r before it belongs to the line
 * end; the last block may end without \n), `records` gets the csv-parse path's records once a quote or a
 * bare \r has been seen (from then on everything goes there, as in csvBatches).
 */
export interface CsvSink {
  lines(buf: Buffer, start: number, end: number): void;
  records(batch: string[][]): void;
  /** Records received so far (header included, blank lines not): for the line number of a limit hit. */
  seen?(): number;
}

/** True when b has a \r not followed by \n (a \r at the very end may be the first half of \r\n). */
function bareCrBytes(b: Buffer): boolean {
  for (let i = b.indexOf(13); i >= 0; i = b.indexOf(13, i + 1)) if (i + 1 < b.length && b[i + 1] !== 10) return true;
  return false;
}

/**
 * csvBatches for UTF-8 Buffers, feeding a sink: the common case (no quotes) is handed over as bytes, so
 * the reader decodes only what it needs. A leading UTF-8 BOM is dropped. A chunk may be overwritten once
 * the next one is asked for (the caller can read every chunk into one buffer): only the partial last line
 * is copied, and the sink must be done with a block when it returns.
 */
export async function scanCsv(chunks: AsyncIterable<Buffer>, delimiter: string, sink: CsvSink): Promise<void> {
  const src = chunks[Symbol.asyncIterator]();
  /** The partial line after the last \n (a copy), or the first bytes while a BOM may still be cut. */
  let carry: Buffer | null = null,
    first = true;
  const viaText = async (head: Buffer[]): Promise<void> => {
    const dec = new StringDecoder('utf8');
    const text = head.map((b) => dec.write(b)).join('');
    const rest: AsyncIterator<string> = {
      async next() {
        const x = await src.next();
        if (x.done) {
          const tail = dec.end();
          return tail ? { done: false, value: tail } : { done: true, value: undefined };
        }
        return { done: false, value: dec.write(x.value) };
      },
    };
    for await (const batch of viaCsvParse(text, rest, delimiter, sink.seen?.() ?? 0)) sink.records(batch);
  };
  for (;;) {
    const r = await src.next();
    if (r.done) break;
    let chunk = r.value;
    if (first) {
      if (carry) {
        chunk = Buffer.concat([carry, chunk]);
        carry = null;
      }
      if (chunk.length < 3) {
        carry = Buffer.from(chunk);
        continue;
      } // the BOM may be cut
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      first = false;
    }
    // From the first quote or bare \r on, the rest goes through csv-parse (the carry was checked with its
    // chunk, except a \r at its end).
    if (
      chunk.indexOf(0x22) >= 0 ||
      bareCrBytes(chunk) ||
      (carry !== null && carry[carry.length - 1] === 13 && chunk.length > 0 && chunk[0] !== 10)
    ) {
      await viaText(carry ? [carry, chunk] : [chunk]);
      return;
    }
    const nl = chunk.indexOf(10);
    if (nl < 0) {
      carry = carry ? Buffer.concat([carry, chunk]) : Buffer.from(chunk);
      // a line without end: refused before its copies grow (one check per chunk)
      if (carry.length > MAX_RECORD_BYTES) throw recordTooLong((sink.seen?.() ?? 0) + 1);
      continue;
    }
    let from = 0;
    if (carry) {
      // the line cut by the previous chunk, completed
      const line = Buffer.concat([carry, chunk.subarray(0, nl)]);
      carry = null;
      if (line.length > 0) sink.lines(line, 0, line.length);
      from = nl + 1;
    }
    const cut = chunk.lastIndexOf(10);
    if (cut > from) sink.lines(chunk, from, cut);
    carry = cut + 1 < chunk.length ? Buffer.from(chunk.subarray(cut + 1)) : null;
    if (carry && carry.length > MAX_RECORD_BYTES) throw recordTooLong((sink.seen?.() ?? 0) + 1);
  }
  if (!carry || carry.length === 0) return;
  if (carry.indexOf(0x22) >= 0 || bareCrBytes(carry) || carry[carry.length - 1] === 13) await viaText([carry]);
  else sink.lines(carry, 0, carry.length);
}
