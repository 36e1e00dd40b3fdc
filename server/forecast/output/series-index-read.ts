/**
 * Reads a series index (layout in series-index.ts) with bounded reads: opening it reads the trailer and
 * a small header; the first page of keys is two reads (its offsets, its lines); a lookup is a binary
 * search over the (site, part) order; a search scans the lower-cased search text. The tables a lookup or
 * a search needs are read once and kept (a few MB on a 1M-row job; `cachedBytes` says how many).
 */
import { open, stat } from 'node:fs/promises';
import type { HistoryPoint } from '../types.js';
import { recordsOf } from './csv-records.js';
import {
  decodeHeader,
  entryOf,
  headerLength,
  historyOf,
  TRAILER,
  type IndexHeader,
  type IndexRow,
  type Section,
  type SeriesIndexEntry,
} from './series-index.js';
import { OUTPUT_COLUMNS, type OutputRecord } from './write.js';

async function readAt(file: string, start: number, length: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, start);
    if (bytesRead !== length) throw new Error('series index is truncated');
    return buf;
  } finally {
    await fh.close();
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class SeriesIndexReader {
  private readonly tables = new Map<keyof IndexHeader['sections'], Promise<Buffer>>();
  private bytes = 0;

  private constructor(
    readonly file: string,
    readonly header: IndexHeader,
  ) {}

  /** Opens an index; throws when it is not one (or is damaged). */
  static async open(file: string): Promise<SeriesIndexReader> {
    const size = (await stat(file)).size;
    if (size < TRAILER + 8) throw new Error('not a series index (too short)');
    const n = headerLength(await readAt(file, size - TRAILER, TRAILER), size);
    return new SeriesIndexReader(file, decodeHeader(await readAt(file, size - TRAILER - n, n), size));
  }

  get count(): number {
    return this.header.count;
  }

  /** Bytes of tables kept in memory. */
  get cachedBytes(): number {
    return this.bytes;
  }

  /** The first `limit` entries, biggest first: two bounded reads, no table kept. */
  async top(limit: number): Promise<SeriesIndexEntry[]> {
    const n = Math.min(limit, this.count);
    if (n === 0) return [];
    const [offStart] = this.header.sections.entryOff;
    const off = await readAt(this.file, offStart, (n + 1) * 4);
    const [entStart] = this.header.sections.entries;
    const from = off.readUInt32LE(0);
    const text = await readAt(this.file, entStart + from, off.readUInt32LE(n * 4) - from);
    return text.toString('utf8').trimEnd().split('\n').map(parseRow);
  }

  /** Entries whose part or site holds `needle` (already lower-cased), biggest first; the total matching. */
  async search(needle: string, limit: number): Promise<{ entries: SeriesIndexEntry[]; total: number }> {
    if (!needle) return { entries: await this.top(limit), total: this.count };
    if (needle.includes('\u0000')) return { entries: [], total: 0 }; // the part/site separator matches nothing
    const [hay, hayOff] = await Promise.all([this.table('hay'), this.table('hayOff')]);
    const want = Buffer.from(needle, 'utf8');
    const hits: number[] = [];
    let total = 0;
    let at = hay.indexOf(want);
    while (at !== -1) {
      const i = lineOf(hayOff, at);
      const lineEnd = hayOff.readUInt32LE((i + 1) * 4) - 1; // before its '\n'
      if (at + want.length <= lineEnd) {
        if (total++ < limit) hits.push(i);
        at = hay.indexOf(want, lineEnd + 1); // each series counts once
      } else at = hay.indexOf(want, at + 1);
    }
    return { entries: await Promise.all(hits.map((i) => this.entry(i))), total };
  }

  /** The entry of (part, site), or null: a binary search over the (site, part) order. */
  async find(partnumber: string, site: string): Promise<SeriesIndexEntry | null> {
    const byKey = await this.table('byKey');
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const e = await this.entry(byKey.readUInt32LE(mid * 4));
      const c = cmp(e.site_code, site) || cmp(e.partnumber, partnumber);
      if (c === 0) return e;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  /** Entry number i (0 = biggest). */
  async entry(i: number): Promise<SeriesIndexEntry> {
    const off = await this.table('entryOff');
    const from = off.readUInt32LE(i * 4);
    const line = await readAt(this.file, this.header.sections.entries[0] + from, off.readUInt32LE(i * 4 + 4) - from);
    return parseRow(line.toString('utf8'));
  }

  /** One series' history and output lines: two bounded reads (its history block, its slice of the output). */
  async readSeries(
    entry: SeriesIndexEntry,
    outputFile: string,
  ): Promise<{ history: HistoryPoint[]; forecast: OutputRecord[] }> {
    const [hist, out] = await Promise.all([
      readAt(this.file, entry.hist.start, entry.hist.length),
      readAt(outputFile, entry.out.start, entry.out.end - entry.out.start),
    ]);
    const at = OUTPUT_COLUMNS.map((c) => this.header.columns.indexOf(c));
    const forecast: OutputRecord[] = [];
    for (const r of recordsOf(out)) {
      const rec = {} as OutputRecord;
      OUTPUT_COLUMNS.forEach((c, i) => (rec[c] = r.fields[at[i]] ?? ''));
      forecast.push(rec);
    }
    return { history: historyOf(this.header, hist), forecast };
  }

  private table(name: keyof IndexHeader['sections']): Promise<Buffer> {
    let t = this.tables.get(name);
    if (!t) {
      const [start, length]: Section = this.header.sections[name];
      t = readAt(this.file, start, length);
      this.tables.set(name, t);
      this.bytes += length;
      t.catch(() => this.tables.delete(name));
    }
    return t;
  }
}

function parseRow(line: string): SeriesIndexEntry {
  return entryOf(JSON.parse(line) as IndexRow);
}

/** The hay line holding byte `at`: the last i with hayOff[i] <= at. */
function lineOf(hayOff: Buffer, at: number): number {
  let lo = 0;
  let hi = hayOff.length / 4 - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (hayOff.readUInt32LE(mid * 4) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
