/**
 * CSV records of a file with their byte ranges, so an index can point at a series' lines and a reader
 * can later read just those bytes. RFC 4180 quoting (a quoted field may hold commas, quotes and line
 * breaks), '\n' or '\r\n' line ends; fields are decoded as UTF-8.
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
      const from = i;
      while (i < n && bytes[i] !== COMMA) i++;
      fields.push(bytes.toString('utf8', from, i));
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
  let start = 0;
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) quoted = !quoted;
    else if (b === LF && !quoted) {
      yield* emit(bytes, start, i, i + 1, base);
      start = i + 1;
    }
  }
  if (start < bytes.length) yield* emit(bytes, start, bytes.length, bytes.length, base);
}

function* emit(bytes: Buffer, start: number, lineEnd: number, next: number, base: number): Generator<CsvRecord> {
  const stop = lineEnd > start && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
  if (stop > start) yield { fields: splitRecord(bytes.subarray(start, stop)), start: base + start, end: base + next };
}

/** Streams a file's records with their byte ranges (memory bounded by the longest record). */
export async function* readCsvRecords(file: string): AsyncGenerator<CsvRecord> {
  let carry: Buffer = Buffer.alloc(0);
  let base = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    // Only whole records are handed on: cut after the last line end that is outside quotes.
    let quoted = false;
    let cut = -1;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === QUOTE) quoted = !quoted;
      else if (b === LF && !quoted) cut = i + 1;
    }
    if (cut < 0) {
      carry = buf;
      continue;
    }
    yield* recordsOf(buf.subarray(0, cut), base);
    base += cut;
    carry = buf.subarray(cut);
  }
  if (carry.length) yield* recordsOf(carry, base);
}
