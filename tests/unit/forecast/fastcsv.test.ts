import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { CSV_OPTIONS, csvBatches, scanCsv, splitLines } from '../../../server/forecast/parse/fastcsv.js';
import { parseQty } from '../../../server/forecast/parse/load.js';

async function* chunksOf(parts: (string | Buffer)[]): AsyncGenerator<string | Buffer> {
  for (const p of parts) yield p;
}
const records = async (parts: (string | Buffer)[], d = ',') => {
  const out: string[][] = [];
  for await (const b of csvBatches(chunksOf(parts), d)) out.push(...b);
  return out;
};
/** What csv-parse gives for the whole text at once (the reference behaviour). */
const reference = (text: string, d = ',') => parse(text, { ...CSV_OPTIONS, delimiter: d }) as string[][];
/** Every way of cutting the text into two chunks. */
const cuts = (t: string) => Array.from({ length: t.length + 1 }, (_, i) => [t.slice(0, i), t.slice(i)]);

/** scanCsv's output as records: byte blocks split as splitLines would split their text. */
const scanned = async (parts: Buffer[], d = ',') => {
  const out: string[][] = [];
  // every chunk in one buffer, scribbled over once the next is asked for (as readInto reuses its buffer)
  const shared = Buffer.alloc(Math.max(1, ...parts.map((p) => p.length)));
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const p of parts) {
      p.copy(shared);
      yield shared.subarray(0, p.length);
      shared.fill(0x58);
    }
  }
  await scanCsv(chunks(), d, {
    lines: (buf, s, e) => splitLines(buf.toString('utf8', s, e), d, out),
    records: (batch) => out.push(...batch),
  });
  return out;
};
const byteCuts = (t: string) => {
  const b = Buffer.from(t, 'utf8');
  return Array.from({ length: b.length + 1 }, (_, i) => [b.subarray(0, i), b.subarray(i)]);
};

describe('fast CSV path', () => {
  it('splits unquoted lines like csv-parse: CRLF, blank lines and blank records skipped, ragged rows kept', async () => {
    const t = '\uFEFFa,b,c\r\n1,2,3\r\n\r\n , ,\r\n4,5\r\n6,7,8,9';
    expect(await records([t])).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5'],
      ['6', '7', '8', '9'],
    ]);
    expect(await records([t])).toEqual(reference(t));
  });
  it('gives the same records wherever the chunks are cut', async () => {
    const t = 'qty;date;part\r\n1;2024-01-01;A\r\n2;2024-01-02;B\r\n';
    const want = reference(t, ';');
    for (const parts of cuts(t)) expect(await records(parts, ';')).toEqual(want);
  });
  it('falls back to csv-parse from the first quote, even across chunks and multi-line fields', async () => {
    const t = 'a,b\n1,x\n2,"y,\nz"\n3,"q""r"\n';
    const want = reference(t);
    expect(want).toEqual([
      ['a', 'b'],
      ['1', 'x'],
      ['2', 'y,\nz'],
      ['3', 'q"r'],
    ]);
    for (const parts of cuts(t)) expect(await records(parts)).toEqual(want);
  });
  it('handles old Mac line ends (bare CR) through csv-parse', async () => {
    const t = 'a,b\r1,2\r3,4\r';
    expect(await records([t])).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });
  it('decodes UTF-8 characters split across Buffer chunks', async () => {
    const buf = Buffer.from('site\nZürich\n', 'utf8');
    const at = buf.indexOf(0xc3) + 1; // inside the two-byte ü
    expect(await records([buf.subarray(0, at), buf.subarray(at)])).toEqual([['site'], ['Zürich']]);
  });
  it('splitLines drops the \\r of CRLF and accepts mixed line ends (csv-parse would keep a stray \\n in the field)', () => {
    const out: string[][] = [];
    splitLines('a|b\r\n\r\nc|d', '|', out);
    expect(out).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
  it('parseQty: plain integers on the fast path, everything else as before', () => {
    expect(parseQty('12', false)).toBe(12);
    expect(parseQty('007', false)).toBe(7);
    expect(parseQty('1234567890', false)).toBe(1234567890); // beyond the fast path
    expect(parseQty(' 5 ', false)).toBe(5);
    expect(parseQty('1.5', false)).toBe(1.5);
    expect(parseQty('2e3', false)).toBe(2000);
    expect(parseQty('-3', false)).toBe(-3);
    expect(parseQty('1,5', true)).toBe(1.5);
    expect(parseQty('1,5', false)).toBeNaN();
    expect(parseQty('', false)).toBeNaN();
    expect(parseQty('12a', false)).toBeNaN();
  });
  it('scanCsv (bytes) gives the records csvBatches gives, wherever the chunks are cut', async () => {
    const texts = [
      '\uFEFFa,b,c\r\n1,2,3\r\n\r\n , ,\r\n4,5\r\n6,7,8,9',
      'a,b\n1,x\n2,"y,\nz"\n3,"q""r"\n',
      'a,b\r1,2\r3,4\r',
      'a,b\r\n1,2\r',
      'site;qty\nZürich;1\n\u00a0;2\nS\u3000;3\n',
      'a,b\r\n1,2\r\n3,4',
      'x,y\n1,2\n3,"4\n5"\n',
    ];
    for (const t of texts) {
      const d = t.includes(';') ? ';' : ',';
      const want = await records([t], d);
      for (const parts of byteCuts(t)) expect(await scanned(parts, d)).toEqual(want);
    }
    // three chunks, so a line can span a chunk without any line end
    const t = 'q,p\r\n1,AB\r\n2,Zü\r\n\r\n3,"C"\r\n';
    const want = await records([t]);
    const b = Buffer.from(t, 'utf8');
    for (let i = 0; i <= b.length; i++)
      for (let j = i; j <= b.length; j++)
        expect(await scanned([b.subarray(0, i), b.subarray(i, j), b.subarray(j)])).toEqual(want);
  });
});
