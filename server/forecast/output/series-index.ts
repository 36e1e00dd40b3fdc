/**
 * The per-series index of a finished job (`<output>.idx`, next to the output CSV): for every
 * (part, site) its method, class and history volume, where its lines sit in the output, and its demand
 * history. Built once after the job completes, so the job page's chart reads a few kilobytes per
 * series instead of the whole upload and output, and the part picker never parses the whole table.
 *
 * Layout (written front to back in one pass, so the small header comes last):
 *   "SCSIDX02"
 *   history blocks      per series: (i32 period, f64 qty) LE pairs, non-zero periods only
 *   entries             one JSON array per line (IndexRow), biggest history volume first
 *   entryOff            u32 LE × (n+1): each entry line's offset from the entries' start
 *   byKey               u32 LE × n: entry numbers ordered by (site, part), for a binary search
 *   hay                 lower-cased `part\0site\n` per entry, same order as entries, for a search scan
 *   hayOff              u32 LE × (n+1): each hay line's offset from the hay's start
 *   header JSON         IndexHeader
 *   u32 LE header length, "SCSIDX02"
 */
import type { Frequency } from '../../contract/dto.js';
import { periodLabel } from '../series/periods.js';
import type { HistoryPoint } from '../types.js';

export const SERIES_INDEX_MAGIC = 'SCSIDX02';
/** Bytes after the header: its length and the magic again. */
export const TRAILER = 12;
/** Header lengths above this are a damaged file, not an index (far above any real job's). */
const MAX_HEADER = 1 << 20;
/** Bytes per history point: i32 period + f64 quantity. */
export const POINT_BYTES = 12;

/** [partnumber, site_code, method, demand_class, volume, outStart, outEnd, histStart, histLength] */
export type IndexRow = [string, string, string, string, number, number, number, number, number];

/** A section of the file: [absolute offset, byte length]. */
export type Section = [number, number];

export interface IndexHeader {
  v: 2;
  /** Byte size of the output the index was made from (a different size means a stale index). */
  outputSize: number;
  /** The output's header columns, in its order (its lines are read back by them). */
  columns: string[];
  freq: Frequency;
  anchor: number;
  fileStart: number;
  trainEnd: number;
  /** Number of series. */
  count: number;
  sections: { entries: Section; entryOff: Section; byKey: Section; hay: Section; hayOff: Section };
}

export interface SeriesIndexEntry {
  partnumber: string;
  site_code: string;
  method: string;
  demand_class: string;
  /** Total demand in the series' history. */
  volume: number;
  out: { start: number; end: number };
  /** Absolute byte range of the history block in the index file. */
  hist: { start: number; length: number };
}

/** The trailer after a header of `length` bytes. */
export function encodeTrailer(length: number): Buffer {
  const t = Buffer.alloc(TRAILER);
  t.writeUInt32LE(length, 0);
  t.write(SERIES_INDEX_MAGIC, 4, 'latin1');
  return t;
}

/** Header length from the last 12 bytes; throws when they are not an index's. */
export function headerLength(trailer: Buffer, fileSize: number): number {
  if (trailer.length < TRAILER || trailer.toString('latin1', 4, 12) !== SERIES_INDEX_MAGIC)
    throw new Error('not a series index (bad magic)');
  const n = trailer.readUInt32LE(0);
  if (n === 0 || n > MAX_HEADER || n + TRAILER + 8 > fileSize)
    throw new Error('not a series index (bad header length)');
  return n;
}

/** Parses and checks a header; throws on anything not written by this version. */
export function decodeHeader(json: Buffer, fileSize: number): IndexHeader {
  const h = JSON.parse(json.toString('utf8')) as IndexHeader;
  if (h?.v !== 2 || !Array.isArray(h.columns) || typeof h.sections !== 'object' || !Number.isInteger(h.count))
    throw new Error('unsupported series index version');
  for (const [start, length] of Object.values(h.sections))
    if (!(start >= 0 && length >= 0 && start + length <= fileSize)) throw new Error('series index is truncated');
  return h;
}

export function entryOf(row: IndexRow): SeriesIndexEntry {
  const [partnumber, site_code, method, demand_class, volume, os, oe, hs, hl] = row;
  return {
    partnumber,
    site_code,
    method,
    demand_class,
    volume,
    out: { start: os, end: oe },
    hist: { start: hs, length: hl },
  };
}

/** A history block: the non-zero (period, qty) pairs. */
export function encodeHistory(periods: ArrayLike<number>, qty: ArrayLike<number>): Buffer {
  const b = Buffer.allocUnsafe(periods.length * POINT_BYTES);
  for (let k = 0; k < periods.length; k++) {
    b.writeInt32LE(periods[k], k * POINT_BYTES);
    b.writeDoubleLE(qty[k], k * POINT_BYTES + 4);
  }
  return b;
}

/** Dense history (every period from the file's start to the last training period) from a block. */
export function historyOf(header: Pick<IndexHeader, 'freq' | 'anchor' | 'fileStart' | 'trainEnd'>, block: Buffer) {
  const cal = { freq: header.freq, anchor: header.anchor };
  const byPeriod = new Map<number, number>();
  for (let k = 0; k + POINT_BYTES <= block.length; k += POINT_BYTES)
    byPeriod.set(block.readInt32LE(k), block.readDoubleLE(k + 4));
  const out: HistoryPoint[] = [];
  for (let p = header.fileStart; p <= header.trainEnd; p++)
    out.push({ date: periodLabel(cal, p), qty: byPeriod.get(p) ?? 0 });
  return out;
}
