import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvRecords, recordsOf } from '../../../server/forecast/output/csv-records.js';
import type { SiteSeries } from '../../../server/forecast/series/group.js';
import { SeriesIndexReader } from '../../../server/forecast/output/series-index-read.js';
import { writeSeriesIndex } from '../../../server/forecast/output/series-index-write.js';
import { encodeHistory, encodeTrailer, historyOf } from '../../../server/forecast/output/series-index.js';
import { OUTPUT_HEADER, csvField } from '../../../server/forecast/output/write.js';

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

  it('finds record ends past quoted line breaks and doubled quotes, with quote-free lines between', () => {
    const text = 'a,"x\n""y"""\nb,c\r\n"""",d\ne,"f\r\n"\n';
    const recs = [...recordsOf(Buffer.from(text))];
    expect(recs.map((r) => r.fields)).toEqual([
      ['a', 'x\n"y"'],
      ['b', 'c'],
      ['"', 'd'],
      ['e', 'f\r\n'],
    ]);
    expect(recs.map((r) => r.end)).toEqual([12, 17, 24, 32]);
  });
});

const FILE_START = 19_700;
const TRAIN_END = 19_709;

/** A job's worth of series: odd part names, equal volumes, a series without history. */
function makeJob(n: number): { sites: SiteSeries[]; keys: { part: string; site: string; volume: number }[] } {
  const odd = ['A,1', 'say "hi"', '=cmd|calc', 'µ-Part ü', 'ZZ\ntwo', 'lower-a', 'LOWER-A'];
  const sites: SiteSeries[] = [];
  const keys: { part: string; site: string; volume: number }[] = [];
  for (const site of ['S-East', 'S-West', '+S']) {
    const parts = Array.from({ length: n }, (_, i) => odd[i] ?? `P${String(i * 7919).padStart(6, '0')}`).sort();
    const off = [0];
    const per: number[] = [];
    const qty: number[] = [];
    parts.forEach((part, i) => {
      let volume = 0;
      for (let p = FILE_START; p <= TRAIN_END; p++) {
        const q = (i * 31 + p + site.length) % 5 === 0 ? (i % 4) + 0.5 : 0;
        if (i % 9 === 4 || q === 0) continue;
        per.push(p);
        qty.push(q);
        volume += q;
      }
      off.push(per.length);
      keys.push({ part, site, volume });
    });
    sites.push({ site, parts, off: Int32Array.from(off), per: Int32Array.from(per), qty: Float64Array.from(qty) });
  }
  return { sites, keys };
}

function writeOutput(file: string, keys: { part: string; site: string }[]): string[] {
  const lines = [OUTPUT_HEADER];
  for (const k of keys)
    for (let d = 10; d < 13; d++)
      lines.push([`2023-12-${d}`, csvField(k.part), csvField(k.site), d, d, d, 'ets', 'smooth', '', ''].join(','));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return lines;
}

describe('series index', () => {
  const job = makeJob(120);
  const out = path.join(dir, 'job.csv');
  const idx = path.join(dir, 'job.csv.idx');
  let reader: SeriesIndexReader;
  const context = { freq: 'D' as const, anchor: 0, fileStart: FILE_START, trainEnd: TRAIN_END };
  // What the old table answered: everything biggest first, a search by substring of part or site.
  const everything = [...job.keys].sort((a, b) => b.volume - a.volume);
  const matching = (q: string) =>
    everything.filter((k) => k.part.toLowerCase().includes(q) || k.site.toLowerCase().includes(q));

  it('is written in one pass over the output: every series once, with its byte range', async () => {
    writeOutput(out, job.keys);
    const r = await writeSeriesIndex({
      history: { from: 'prepared', sites: job.sites, context },
      outputFile: out,
      indexFile: idx,
    });
    expect(r.series).toBe(job.keys.length);
    reader = await SeriesIndexReader.open(idx);
    expect(reader.count).toBe(job.keys.length);
    const bytes = readFileSync(out);
    const e = (await reader.find('A,1', 'S-West'))!;
    const slice = bytes.subarray(e.out.start, e.out.end).toString();
    expect(slice.split('\n').filter(Boolean)).toHaveLength(3);
    expect(slice.startsWith('2023-12-10,"A,1",S-West,')).toBe(true);
  });

  it('answers the first page biggest first, as the whole table did, with bounded reads', async () => {
    const fresh = await SeriesIndexReader.open(idx);
    const top = await fresh.top(50);
    expect(top.map((e) => e.volume)).toEqual(everything.slice(0, 50).map((k) => k.volume));
    expect(fresh.cachedBytes).toBe(0); // the first page keeps no table
    const all = await reader.search('', 500);
    expect(all.total).toBe(everything.length);
    expect(all.entries.map((e) => `${e.partnumber}|${e.site_code}`).sort()).toEqual(
      everything.map((k) => `${k.part}|${k.site}`).sort(),
    );
  });

  it('searches part or site case-insensitively, biggest first, with the total of all matches', async () => {
    for (const q of ['lower-a', 'p00', 'µ-part', 's-e', '"hi"', 'a,1', '=cmd', 'nothing-like-it', 'two']) {
      const want = matching(q);
      const got = await reader.search(q, 10);
      expect(got.total, q).toBe(want.length);
      expect(
        got.entries.map((e) => e.volume),
        q,
      ).toEqual(want.slice(0, 10).map((k) => k.volume));
      for (const e of got.entries)
        expect(e.partnumber.toLowerCase().includes(q) || e.site_code.toLowerCase().includes(q), q).toBe(true);
    }
    // A match must lie inside the part or the site, not across them.
    expect((await reader.search('a\u0000s', 10)).total).toBe(0);
  });

  it('finds any series by exact (part, site), formula-like names as uploaded, and reads it', async () => {
    for (const k of job.keys) {
      const e = await reader.find(k.part, k.site);
      expect(e, `${k.part}|${k.site}`).not.toBeNull();
      expect(e!.volume).toBeCloseTo(k.volume, 9);
    }
    expect(await reader.find('lower-A', 'S-East')).toBeNull();
    expect(await reader.find('A,1', 'S')).toBeNull();
    const e = (await reader.find('=cmd|calc', '+S'))!;
    const one = await reader.readSeries(e, out);
    expect(one.forecast.map((r) => [r.date, r.forecast_qty])).toEqual([
      ['2023-12-10', '10'],
      ['2023-12-11', '11'],
      ['2023-12-12', '12'],
    ]);
    expect(one.history).toHaveLength(TRAIN_END - FILE_START + 1);
    expect(one.history.reduce((s, h) => s + h.qty, 0)).toBeCloseTo(e.volume, 9);
  });

  it('expands a sparse history block to every period, zeros included', () => {
    const h = { freq: 'D' as const, anchor: 0, fileStart: 19_700, trainEnd: 19_704 };
    expect(historyOf(h, encodeHistory([19_701, 19_704], [3, 1.5]))).toEqual([
      { date: '2023-12-09', qty: 0 },
      { date: '2023-12-10', qty: 3 },
      { date: '2023-12-11', qty: 0 },
      { date: '2023-12-12', qty: 0 },
      { date: '2023-12-13', qty: 1.5 },
    ]);
  });

  it('rejects what it did not write: another magic, a damaged length, an old version', async () => {
    const bad = path.join(dir, 'bad.idx');
    writeFileSync(bad, Buffer.concat([Buffer.alloc(40), Buffer.from('\u0001\0\0\0NOTANIDX')]));
    await expect(SeriesIndexReader.open(bad)).rejects.toThrow(/magic/);
    writeFileSync(bad, Buffer.concat([Buffer.alloc(40), encodeTrailer(1000)]));
    await expect(SeriesIndexReader.open(bad)).rejects.toThrow(/header length/);
    const json = Buffer.from(JSON.stringify({ v: 1, columns: [], series: [] }));
    writeFileSync(bad, Buffer.concat([Buffer.from('SCSIDX02'), json, encodeTrailer(json.length)]));
    await expect(SeriesIndexReader.open(bad)).rejects.toThrow(/version/);
  });
});
