/**
 * Streaming CSV records in batches. Text without a double quote is split directly (lines on \n, an
 * optional \r before it dropped, fields on the delimiter), which is what csv-parse would produce for it and
 * several times faster. From the first chunk that holds a quote or a bare \r (old Mac line ends), the rest of
 * the text goes through csv-parse; everything before it ended on a line boundary, so nothing is split wrongly.
 * Only one chunk (plus one partial line) is held at a time.
 */
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse as csvParse, type Options } from 'csv-parse';

export const CSV_OPTIONS: Options = {
  bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_empty_values: true,
};
/** Records per batch on the csv-parse path. */
const BATCH = 4096;

/** Records of complete lines `body` (no quotes, no bare \r), pushed to `out`. */
export function splitLines(body: string, delimiter: string, out: string[][]): void {
  const n = body.length, dl = delimiter.length;
  let i = 0;
  while (i <= n) {
    let j = body.indexOf('\n', i);
    if (j < 0) j = n;
    const end = j > i && body.charCodeAt(j - 1) === 13 ? j - 1 : j;
    if (end > i) {
      // fields straight from the chunk: no per-line string
      const rec: string[] = [];
      let a = i, empty = true;
      for (;;) {
        let b = body.indexOf(delimiter, a);
        if (b < 0 || b > end) b = end;
        const f = body.substring(a, b);
        if (empty && f.trim() !== '') empty = false;
        rec.push(f);
        if (b >= end) break;
        a = b + dl;
      }
      if (!empty) out.push(rec);
    }
    i = j + 1;
  }
}

/** True when s has a \r not followed by \n (a \r at the very end may be the first half of \r\n). */
function bareCr(s: string): boolean {
  for (let i = s.indexOf('\r'); i >= 0; i = s.indexOf('\r', i + 1)) if (i + 1 < s.length && s.charCodeAt(i + 1) !== 10) return true;
  return false;
}

async function* viaCsvParse(first: string, rest: AsyncIterator<string>, delimiter: string): AsyncGenerator<string[][]> {
  async function* text(): AsyncGenerator<string> {
    if (first) yield first;
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
  }
  const parser = Readable.from(text(), { objectMode: false }).pipe(csvParse({ ...CSV_OPTIONS, delimiter }));
  let batch: string[][] = [];
  for await (const rec of parser) {
    batch.push(rec as string[]);
    if (batch.length >= BATCH) { yield batch; batch = []; }
  }
  if (batch.length) yield batch;
}

/** Text chunks (strings or UTF-8 Buffers) → batches of records. */
export async function* csvBatches(chunks: AsyncIterable<string | Buffer>, delimiter: string): AsyncGenerator<string[][]> {
  const dec = new StringDecoder('utf8');
  const src = chunks[Symbol.asyncIterator]();
  const strings: AsyncIterator<string> = {
    async next() {
      const r = await src.next();
      if (r.done) { const tail = dec.end(); return tail ? { done: false, value: tail } : { done: true, value: undefined }; }
      return { done: false, value: typeof r.value === 'string' ? r.value : dec.write(r.value) };
    },
  };
  let carry = '', first = true, ended = false;
  while (!ended) {
    const r = await strings.next();
    let s: string;
    if (r.done) { ended = true; s = carry; carry = ''; if (s === '') break; }
    else {
      s = carry + r.value;
      if (first && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      first = false;
    }
    if (s.includes('"') || bareCr(s) || (ended && s.endsWith('\r') && !s.includes('\n'))) {
      yield* viaCsvParse(s, strings, delimiter);
      return;
    }
    const cut = ended ? s.length : s.lastIndexOf('\n');
    if (cut < 0) { carry = s; continue; }
    carry = ended ? '' : s.slice(cut + 1);
    const out: string[][] = [];
    splitLines(s.slice(0, cut), delimiter, out);
    if (out.length) yield out;
  }
}
