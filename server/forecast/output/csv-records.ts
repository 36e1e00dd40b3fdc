/**
 * CSV records of a file with their byte ranges, so an index can point at a series' lines and a reader
 * can later read just those bytes. RFC 4180 quoting (a quoted field may hold commas, quotes and line
 * breaks), '\n' or '\r\n' line ends; fields are decoded as UTF-8.
 *
 * Record ends are found with Buffer.indexOf on '\n' (native, far faster than a loop over every byte);
 * the quote-aware walk runs only on a record that holds a quote, found by a cached indexOf on '"'.
 */
import { createReadStream } from 'node:fs';

export interface CsvRecord {
  fields: string[];
  /** Byte offset of the record's first byte in the file. */
  start: number;
  /** Byte offset just past the record's line end. */
  end: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Walks the records of a buffer: after next() returns true, [start, stop) is the record's bytes (line end
 * excluded), `end` is just past its line end, and `quoted` says whether it holds a quote at all.
 */
export class RecordCursor {
  start = 0;
  stop = 0;
  end = 0;
  quoted = false;
  private pos = 0;
  /** Position of the next quote at or after pos (-1: none left), so quote-free records cost one indexOf. */
  private quote = -2;

  constructor(
    private readonly buf: Buffer,
    /** The buffer ends the input: a last record without a line end counts. */
    private readonly final = true,
  ) {}

  /** Where the unread bytes begin (after next() returned false: the start of an incomplete record). */
  get rest(): number {
    return this.pos;
  }

  next(): boolean {
    const { buf } = this;
    for (;;) {
      const from = this.pos;
      if (from >= buf.length) return false;
      if (this.quote !== -1 && this.quote < from) this.quote = buf.indexOf(QUOTE, from);
      let nl = buf.indexOf(LF, from);
      const quoted = this.quote !== -1 && (nl === -1 || this.quote < nl);
      if (quoted) nl = this.quotedEnd(this.quote);
      if (nl === -1) {
        if (!this.final) return false;
        nl = buf.length;
      }
      this.pos = nl + 1;
      const stop = nl > from && buf[nl - 1] === CR ? nl - 1 : nl;
      if (stop === from) continue; // an empty line is no record
      this.start = from;
      this.stop = stop;
      this.end = Math.min(nl + 1, buf.length);
      this.quoted = quoted;
      return true;
    }
  }

  /** The line end after an opening quote at q, outside quotes; -1 when the buffer ends first. */
  private quotedEnd(q: number): number {
    const { buf } = this;
    let i = q + 1;
    for (;;) {
      const close = buf.indexOf(QUOTE, i); // a doubled quote closes and reopens: same parity
      if (close === -1) return -1;
      i = close + 1;
      const nl = buf.indexOf(LF, i);
      const open = buf.indexOf(QUOTE, i);
      if (open === -1 || (nl !== -1 && nl < open)) {
        this.quote = open;
        return nl;
      }
      i = open + 1;
    }
  }
}

/** Splits one record's bytes (line end excluded) into fields. */
export function splitRecord(bytes: Buffer): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = bytes.length;
  for (;;) {
    if (i < n && bytes[i] === QUOTE) {
      const parts: Buffer[] = [];
      let from = ++i;
      for (; i < n; i++) {
        if (bytes[i] !== QUOTE) continue;
        if (bytes[i + 1] === QUOTE) {
          parts.push(bytes.subarray(from, i + 1)); // keep one of the two quotes
          i++;
          from = i + 1;
          continue;
        }
        break;
      }
      parts.push(bytes.subarray(from, i));
      fields.push(Buffer.concat(parts).toString('utf8'));
      i++; // closing quote
      while (i < n && bytes[i] !== COMMA) i++; // tolerate stray bytes after a closing quote
    } else {
      let end = bytes.indexOf(COMMA, i);
      if (end === -1) end = n;
      fields.push(bytes.toString('utf8', i, end));
      i = end;
    }
    if (i >= n) return fields;
    i++; // comma
    if (i === n) {
      fields.push('');
      return fields;
    }
  }
}

/** Every non-empty record of `bytes` (a whole slice of records), offsets relative to `base`. */
export function* recordsOf(bytes: Buffer, base = 0): Generator<CsvRecord> {
  const c = new RecordCursor(bytes);
  while (c.next())
    yield { fields: splitRecord(bytes.subarray(c.start, c.stop)), start: base + c.start, end: base + c.end };
}

/**
 * A file in chunks that hold whole records only (the incomplete record at a chunk's end is carried into
 * the next one), each with the file offset of its first byte. Memory is bounded by the longest record.
 */
export async function* readRecordChunks(file: string): AsyncGenerator<{ buf: Buffer; base: number; final: boolean }> {
  let carry: Buffer = Buffer.alloc(0);
  let base = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const cut = wholeRecordsEnd(buf);
    if (cut > 0) yield { buf: buf.subarray(0, cut), base, final: false };
    base += cut;
    carry = buf.subarray(cut);
  }
  if (carry.length) yield { buf: carry, base, final: true };
}

/** Where the last whole record of a chunk ends: after its last line end, unless a quote makes that unsure. */
function wholeRecordsEnd(buf: Buffer): number {
  if (buf.indexOf(QUOTE) === -1) return buf.lastIndexOf(LF) + 1;
  const c = new RecordCursor(buf, false);
  while (c.next());
  return c.rest;
}

/** Streams a file's records with their byte ranges (memory bounded by the longest record). */
export async function* readCsvRecords(file: string): AsyncGenerator<CsvRecord> {
  for await (const { buf, base } of readRecordChunks(file)) yield* recordsOf(buf, base);
}
