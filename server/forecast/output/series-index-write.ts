/**
 * Builds a finished job's series index (series-index.ts) in one pass over its output CSV: each line's
 * key bytes are compared with the previous line's (no strings made), a record is split into fields only
 * where a series starts or a field is quoted, and each series' history block is written as it is met.
 * The histories come from the series the run already holds, or from its upload read again. Runs in a
 * worker thread.
 */
import { open, stat } from 'node:fs/promises';
import type { HistoryContext, SeriesIndexRequest } from '../types.js';
import { groupDemand } from '../series/read.js';
import type { SiteSeries } from '../series/group.js';
import { readText } from './cells.js';
import { RecordCursor, readRecordChunks, splitRecord } from './csv-records.js';
import { writeIndexTables } from './series-index-tables.js';
import { BufferedFile } from '../../storage/buffered-file.js';
import { POINT_BYTES, SERIES_INDEX_MAGIC, type IndexHeader, type IndexRow } from './series-index.js';

const COMMA = 0x2c;

/** Offset just past the n-th comma at or after `from` (-1 when the record has fewer). */
function afterCommas(buf: Buffer, from: number, stop: number, n: number): number {
  for (let i = from; i < stop; i++) if (buf[i] === COMMA && --n === 0) return i + 1;
  return -1;
}

function sameBytes(a: Buffer, as: number, ae: number, b: Buffer, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let i = 0; i < ae - as; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

const EMPTY = Buffer.alloc(0);

/** Series i's non-zero training periods as a history block, and their total. */
function historyBlock(s: SiteSeries, i: number, ctx: HistoryContext): { block: Buffer; volume: number } {
  const keep = (k: number) => s.per[k] >= ctx.fileStart && s.per[k] <= ctx.trainEnd && s.qty[k] !== 0;
  let n = 0;
  for (let k = s.off[i]; k < s.off[i + 1]; k++) if (keep(k)) n++;
  const block = Buffer.allocUnsafe(n * POINT_BYTES);
  let volume = 0;
  let at = 0;
  for (let k = s.off[i]; k < s.off[i + 1]; k++) {
    if (!keep(k)) continue;
    block.writeInt32LE(s.per[k], at);
    block.writeDoubleLE(s.qty[k], at + 4);
    at += POINT_BYTES;
    volume += s.qty[k];
  }
  return { block, volume };
}

/** Writes the index; returns how many series it holds. Throws InputError when the upload no longer reads. */
export async function writeSeriesIndex(req: SeriesIndexRequest): Promise<{ series: number }> {
  const h0 = req.history;
  const { sites, context: ctx } =
    h0.from === 'prepared' ? h0 : await groupDemand(h0.uploadFile, h0.originalName, h0.config, h0.parts);
  const bySeries = new Map<string, { s: SiteSeries; i: number }>();
  for (const s of sites) s.parts.forEach((part, i) => bySeries.set(`${s.site}\u0000${part}`, { s, i }));

  const fh = await open(req.indexFile, 'wx');
  try {
    const out = new BufferedFile(fh, 'the series index');
    await out.write(Buffer.from(SERIES_INDEX_MAGIC, 'latin1'));
    const rows: IndexRow[] = [];
    /** Starts a series at this record: its history block goes out now, its row is kept for the tables. */
    const begin = async (fields: string[], start: number, end: number) => {
      const part = readText(fields[col.part] ?? '');
      const site = readText(fields[col.site] ?? '');
      const found = bySeries.get(`${site}\u0000${part}`);
      const { block, volume } = found ? historyBlock(found.s, found.i, ctx) : { block: EMPTY, volume: 0 };
      const method = fields[col.method] ?? '';
      const cls = fields[col.cls] ?? '';
      rows.push([part, site, method, cls, volume, start, end, out.pos, block.length]);
      await out.write(block);
    };

    let columns: string[] | null = null;
    let col = { part: 1, site: 2, method: 6, cls: 7 };
    let fast = false;
    // The current series' key: its raw bytes (quote-free lines) or its decoded fields (quoted ones).
    let key: { buf: Buffer; s: number; e: number } | null = null;
    let cur: IndexRow | null = null;
    for await (const { buf, base } of readRecordChunks(req.outputFile)) {
      const c = new RecordCursor(buf);
      while (c.next()) {
        if (!columns) {
          columns = splitRecord(buf.subarray(c.start, c.stop)).map((f) => f.replace(/^\uFEFF/, ''));
          const at = (name: string) => columns!.indexOf(name);
          col = { part: at('partnumber'), site: at('site_code'), method: at('method'), cls: at('demand_class') };
          if (col.part < 0 || col.site < 0) throw new Error('the output has no partnumber/site_code columns');
          fast = col.part === 1 && col.site === 2; // the key is the bytes between the 1st and 3rd comma
          continue;
        }
        if (fast && !c.quoted) {
          const ks = afterCommas(buf, c.start, c.stop, 1);
          const ke = ks < 0 ? -1 : afterCommas(buf, ks, c.stop, 2) - 1;
          if (ke > 0 && key && cur && sameBytes(buf, ks, ke, key.buf, key.s, key.e)) {
            cur[6] = base + c.end; // a series' lines are contiguous
            continue;
          }
          key = ke > 0 ? { buf, s: ks, e: ke } : null;
        } else key = null;
        const fields = splitRecord(buf.subarray(c.start, c.stop));
        if (cur && cur[0] === readText(fields[col.part] ?? '') && cur[1] === readText(fields[col.site] ?? '')) {
          cur[6] = base + c.end;
          continue;
        }
        await begin(fields, base + c.start, base + c.end);
        cur = rows[rows.length - 1];
      }
    }
    const header: Omit<IndexHeader, 'sections'> = {
      v: 2,
      outputSize: (await stat(req.outputFile)).size,
      columns: columns ?? [],
      freq: ctx.freq,
      anchor: ctx.anchor,
      fileStart: ctx.fileStart,
      trainEnd: ctx.trainEnd,
      count: rows.length,
    };
    await writeIndexTables(out, rows, header);
    await out.finish();
    return { series: rows.length };
  } finally {
    await fh.close();
  }
}
