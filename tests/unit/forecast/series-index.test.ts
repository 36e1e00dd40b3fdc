import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvRecords, recordsOf } from '../../../server/forecast/output/csv-records.js';
import {
  decodeHeader,
  encodeSeriesIndex,
  headerLength,
  historyOf,
  openSeriesIndex,
  readIndexedSeries,
  type IndexHeader,
} from '../../../server/forecast/output/series-index.js';
import { OUTPUT_COLUMNS, OUTPUT_HEADER, csvField } from '../../../server/forecast/output/write.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sparecast-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('csv records with byte ranges', () => {
  it('splits quoted fields (commas, doubled quotes, line breaks, UTF-8) and gives exact byte ranges', () => {
    const odd = ['a,b', 'say "hi"', 'two\nlines', 'µ-part ü', '', ' lead'];
    const line1 = odd.map(csvField).join(',');
    const text = `${line1}\r\nplain,x,\n\nlast,"q"`;
    const buf = Buffer.from(text, 'utf8');
    const recs = [...recordsOf(buf)];
    expect(recs.map((r) => r.fields)).toEqual([odd, ['plain', 'x', ''], ['last', 'q']]);
    expect(buf.subarray(recs[0].start, recs[0].end).toString()).toBe(`${line1}\r\n`);
    expect(buf.subarray(recs[1].start, recs[1].end).toString()).toBe('plain,x,\n');
    expect(recs[2].end).toBe(buf.length);
  });

  it('streams a file in chunks and finds the same records as a whole read', async () => {
    const file = path.join(dir, 'many.csv');
    const lines = Array.from({ length: 40_000 }, (_, i) => `${i},${csvField(`p,${i}\n"x"`)},${'z'.repeat(i % 50)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const streamed = [];
    for await (const r of readCsvRecords(file)) streamed.push(r);
    const whole = [...recordsOf(Buffer.from(`${lines.join('\n')}\n`))];
    expect(streamed.length).toBe(40_000);
    expect(streamed).toEqual(whole);
    expect(streamed[12_345].fields[1]).toBe('p,12345\n"x"');
  });
});

describe('series index format', () => {
  const header: IndexHeader = {
    v: 1,
    outputSize: 0,
    columns: [...OUTPUT_COLUMNS],
    freq: 'D',
    anchor: 0,
    fileStart: 19_700,
    trainEnd: 19_704,
    series: [],
  };

  it('round-trips the header and rejects what it did not write', () => {
    const h: IndexHeader = { ...header, series: [['P1', 'S1', 'ets', 'smooth', 12.5, 10, 20, 0, 2]] };
    const [prefix, json] = encodeSeriesIndex(h, [Buffer.from('[]')]);
    expect(headerLength(prefix)).toBe(json.length);
    const idx = decodeHeader(json, 'f');
    expect(idx.entries).toEqual([
      {
        partnumber: 'P1',
        site_code: 'S1',
        method: 'ets',
        demand_class: 'smooth',
        volume: 12.5,
        out: { start: 10, end: 20 },
        hist: { start: 0, length: 2 },
      },
    ]);
    expect(idx.dataStart).toBe(12 + json.length);
    expect(() => headerLength(Buffer.from('NOTANIDX\0\0\0\0'))).toThrow(/magic/);
    expect(() => headerLength(Buffer.from('SCSIDX01'))).toThrow(/magic/);
    expect(() => decodeHeader(Buffer.from(JSON.stringify({ ...h, v: 2 })))).toThrow(/version/);
  });

  it('expands a sparse history block to every period, zeros included', () => {
    expect(historyOf(header, [19_701, 3, 19_704, 1.5])).toEqual([
      { date: '2023-12-09', qty: 0 },
      { date: '2023-12-10', qty: 3 },
      { date: '2023-12-11', qty: 0 },
      { date: '2023-12-12', qty: 0 },
      { date: '2023-12-13', qty: 1.5 },
    ]);
  });

  it('reads one series with two bounded reads: its history block and its slice of the output', async () => {
    const out = path.join(dir, 'out.csv');
    const row = (part: string, d: string, q: number) =>
      [d, csvField(part), 'S', q, q, q, 'ets', 'smooth', '', ''].join(',');
    const head = `${OUTPUT_HEADER}\n`;
    const a = `${row('A,1', '2023-12-14', 1)}\n${row('A,1', '2023-12-15', 2)}\n`;
    const b = `${row('B "2"', '2023-12-14', 5)}\n`;
    writeFileSync(out, head + a + b);
    const at = (s: string) => Buffer.byteLength(s);
    const blocks = [Buffer.from('[19704,7]'), Buffer.from('[]')];
    const h: IndexHeader = {
      ...header,
      series: [
        ['A,1', 'S', 'ets', 'smooth', 7, at(head), at(head + a), 0, blocks[0].length],
        ['B "2"', 'S', 'ets', 'smooth', 0, at(head + a), at(head + a + b), blocks[0].length, blocks[1].length],
      ],
    };
    const file = path.join(dir, 'out.csv.idx');
    writeFileSync(file, Buffer.concat(encodeSeriesIndex(h, blocks)));
    const idx = await openSeriesIndex(file);
    const one = await readIndexedSeries(idx, out, idx.entries[0]);
    expect(one.forecast.map((r) => [r.partnumber, r.date, r.forecast_qty])).toEqual([
      ['A,1', '2023-12-14', '1'],
      ['A,1', '2023-12-15', '2'],
    ]);
    expect(one.history.at(-1)).toEqual({ date: '2023-12-13', qty: 7 });
    const two = await readIndexedSeries(idx, out, idx.entries[1]);
    expect(two.forecast.map((r) => r.partnumber)).toEqual(['B "2"']);
    expect(two.history.every((p) => p.qty === 0)).toBe(true);
  });
});
