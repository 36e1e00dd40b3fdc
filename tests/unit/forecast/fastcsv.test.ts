import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { CSV_OPTIONS, csvBatches, splitLines } from '../../../server/forecast/parse/fastcsv.js';
import { parseQty } from '../../../server/forecast/parse/load.js';

async function* chunksOf(parts: (string | Buffer)[]): AsyncGenerator<string | Buffer> { for (const p of parts) yield p; }
const records = async (parts: (string | Buffer)[], d = ',') => {
  const out: string[][] = [];
  for await (const b of csvBatches(chunksOf(parts), d)) out.push(...b);
  return out;
};
/** What csv-parse gives for the whole text at once (the reference behaviour). */
const reference = (text: string, d = ',') => parse(text, { ...CSV_OPTIONS, delimiter: d }) as string[][];
/** Every way of cutting the text into two chunks. */
const cuts = (t: string) => Array.from({ length: t.length + 1 }, (_, i) => [t.slice(0, i), t.slice(i)]);

describe('fast CSV path', () => {
  it('splits unquoted lines like csv-parse: CRLF, blank lines and blank records skipped, ragged rows kept', async () => {
    const t = '\uFEFFa,b,c\r\n1,2,3\r\n\r\n , ,\r\n4,5\r\n6,7,8,9';
    expect(await records([t])).toEqual([['a', 'b', 'c'], ['1', '2', '3'], ['4', '5'], ['6', '7', '8', '9']]);
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
    expect(want).toEqual([['a', 'b'], ['1', 'x'], ['2', 'y,\nz'], ['3', 'q"r']]);
    for (const parts of cuts(t)) expect(await records(parts)).toEqual(want);
  });
  it('handles old Mac line ends (bare CR) through csv-parse', async () => {
    const t = 'a,b\r1,2\r3,4\r';
    expect(await records([t])).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });
  it('decodes UTF-8 characters split across Buffer chunks', async () => {
    const buf = Buffer.from('site\nZürich\n', 'utf8');
    const at = buf.indexOf(0xc3) + 1; // inside the two-byte ü
    expect(await records([buf.subarray(0, at), buf.subarray(at)])).toEqual([['site'], ['Zürich']]);
  });
  it('splitLines drops the \\r of CRLF and accepts mixed line ends (csv-parse would keep a stray \\n in the field)', () => {
    const out: string[][] = [];
    splitLines('a|b\r\n\r\nc|d', '|', out);
    expect(out).toEqual([['a', 'b'], ['c', 'd']]);
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
});
