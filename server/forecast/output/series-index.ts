/**
 * The per-series index of a finished job (`<output>.idx`, next to the output CSV): for every
 * (part, site) its method, class and history volume, where its lines sit in the output, and its demand
 * history. Written once when the job completes, so the job page's chart reads a few kilobytes per
 * series instead of the whole upload and output.
 *
 * Layout: 8 bytes magic "SCSIDX01", u32 LE header length H, H bytes of header JSON (IndexHeader), then
 * one history block per series: JSON `[period, qty, period, qty, …]` (non-zero periods only).
 */
import { open } from 'node:fs/promises';
import type { Frequency } from '../../contract/dto.js';
import { periodLabel } from '../series/periods.js';
import type { HistoryPoint } from '../types.js';
import { recordsOf } from './csv-records.js';
import { OUTPUT_COLUMNS, type OutputRecord } from './write.js';

export const SERIES_INDEX_MAGIC = 'SCSIDX01';
const PREFIX = 12;
/** Header lengths above this are a damaged file, not an index (2^31: far above any real job). */
const MAX_HEADER = 0x7fffffff;

/** [partnumber, site_code, method, demand_class, volume, outStart, outEnd, histStart, histLength] */
export type IndexRow = [string, string, string, string, number, number, number, number, number];

export interface IndexHeader {
  v: 1;
  /** Byte size of the output the index was made from (a different size means a stale index). */
  outputSize: number;
  /** The output's header columns, in its order (its lines are read back by them). */
  columns: string[];
  freq: Frequency;
  anchor: number;
  fileStart: number;
  trainEnd: number;
  /** Biggest history volume first. */
  series: IndexRow[];
}

export interface SeriesIndexEntry {
  partnumber: string;
  site_code: string;
  method: string;
  demand_class: string;
  /** Total demand in the series' history. */
  volume: number;
  out: { start: number; end: number };
  hist: { start: number; length: number };
}

export interface SeriesIndex {
  file: string;
  header: Omit<IndexHeader, 'series'>;
  /** Biggest history volume first. */
  entries: SeriesIndexEntry[];
  /** Offset of the first history block. */
  dataStart: number;
}

/** The index file's bytes, in order: prefix + header, then the history blocks. */
export function encodeSeriesIndex(header: IndexHeader, blocks: Buffer[]): Buffer[] {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX);
  prefix.write(SERIES_INDEX_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, 8);
  return [prefix, json, ...blocks];
}

/** Header length from the first 12 bytes; throws when they are not an index's. */
export function headerLength(prefix: Buffer): number {
  if (prefix.length < PREFIX || prefix.toString('latin1', 0, 8) !== SERIES_INDEX_MAGIC)
    throw new Error('not a series index (bad magic)');
  const n = prefix.readUInt32LE(8);
  if (n === 0 || n > MAX_HEADER) throw new Error('not a series index (bad header length)');
  return n;
}

/** Parses and checks a header; throws on anything not written by encodeSeriesIndex. */
export function decodeHeader(json: Buffer, file = ''): SeriesIndex {
  const h = JSON.parse(json.toString('utf8')) as IndexHeader;
  if (h?.v !== 1 || !Array.isArray(h.series) || !Array.isArray(h.columns))
    throw new Error('unsupported series index version');
  const entries = h.series.map(
    ([partnumber, site_code, method, demand_class, volume, os, oe, hs, hl]): SeriesIndexEntry => ({
      partnumber,
      site_code,
      method,
      demand_class,
      volume,
      out: { start: os, end: oe },
      hist: { start: hs, length: hl },
    }),
  );
  const { series: _series, ...header } = h;
  return { file, header, entries, dataStart: PREFIX + json.length };
}

/** Reads an index's header (the whole table of series, not their histories). */
export async function openSeriesIndex(file: string): Promise<SeriesIndex> {
  const fh = await open(file, 'r');
  try {
    const prefix = Buffer.alloc(PREFIX);
    await fh.read(prefix, 0, PREFIX, 0);
    const n = headerLength(prefix);
    const json = Buffer.alloc(n);
    const { bytesRead } = await fh.read(json, 0, n, PREFIX);
    if (bytesRead !== n) throw new Error('series index is truncated');
    return decodeHeader(json, file);
  } finally {
    await fh.close();
  }
}

/** Dense history (every period from the file's start to the last training period) from a block. */
export function historyOf(header: SeriesIndex['header'], block: number[]): HistoryPoint[] {
  const cal = { freq: header.freq, anchor: header.anchor };
  const byPeriod = new Map<number, number>();
  for (let k = 0; k + 1 < block.length; k += 2) byPeriod.set(block[k], block[k + 1]);
  const out: HistoryPoint[] = [];
  for (let p = header.fileStart; p <= header.trainEnd; p++)
    out.push({ date: periodLabel(cal, p), qty: byPeriod.get(p) ?? 0 });
  return out;
}

async function readRange(file: string, start: number, length: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** One series' history and output lines: two bounded reads (its history block, its slice of the output). */
export async function readIndexedSeries(
  index: SeriesIndex,
  outputFile: string,
  entry: SeriesIndexEntry,
): Promise<{ history: HistoryPoint[]; forecast: OutputRecord[] }> {
  const [hist, out] = await Promise.all([
    readRange(index.file, index.dataStart + entry.hist.start, entry.hist.length),
    readRange(outputFile, entry.out.start, entry.out.end - entry.out.start),
  ]);
  const block = JSON.parse(hist.toString('utf8')) as number[];
  const forecast: OutputRecord[] = [];
  const at = OUTPUT_COLUMNS.map((c) => index.header.columns.indexOf(c));
  for (const r of recordsOf(out)) {
    const rec = {} as OutputRecord;
    OUTPUT_COLUMNS.forEach((c, i) => (rec[c] = r.fields[at[i]] ?? ''));
    forecast.push(rec);
  }
  return { history: historyOf(index.header, block), forecast };
}
