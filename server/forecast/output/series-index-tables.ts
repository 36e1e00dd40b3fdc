/**
 * The series index's tables (layout in series-index.ts), written after the history blocks: the entries
 * biggest first, their offsets, the (site, part) order for lookups, and the lower-cased search text.
 * Fixed-width offsets let a reader take the first page, one entry or the search text with bounded reads.
 */
import os from 'node:os';
import type { BufferedFile } from '../../storage/buffered-file.js';
import { encodeTrailer, type IndexHeader, type IndexRow, type Section } from './series-index.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function u32s(values: ArrayLike<number>): Buffer {
  const a = Uint32Array.from(values);
  if (os.endianness() === 'LE') return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const b = Buffer.allocUnsafe(a.length * 4);
  for (let i = 0; i < a.length; i++) b.writeUInt32LE(a[i], i * 4);
  return b;
}

/** Writes many small pieces as one section, recording where each starts (relative offsets, n+1 of them). */
async function lines(out: BufferedFile, pieces: string[]): Promise<{ section: Section; offsets: Uint32Array }> {
  const start = out.pos;
  const offsets = new Uint32Array(pieces.length + 1);
  let batch: string[] = [];
  let at = 0;
  for (let i = 0; i < pieces.length; i++) {
    offsets[i] = at;
    at += Buffer.byteLength(pieces[i]);
    batch.push(pieces[i]);
    if (batch.length === 4096) {
      await out.write(Buffer.from(batch.join(''), 'utf8'));
      batch = [];
    }
  }
  offsets[pieces.length] = at;
  if (batch.length) await out.write(Buffer.from(batch.join(''), 'utf8'));
  if (at > 0xffffffff) throw new Error('series index table too large');
  return { section: [start, at], offsets };
}

async function fixed(out: BufferedFile, values: ArrayLike<number>): Promise<Section> {
  const start = out.pos;
  const b = u32s(values);
  await out.write(b);
  return [start, b.length];
}

/** (site, part) order: the order lookups binary-search in. */
const byKeyCmp = (a: IndexRow, b: IndexRow) => cmp(a[1], b[1]) || cmp(a[0], b[0]);

/**
 * Entry numbers in (site, part) order. The output is grouped by site and sorted by part within a site,
 * so output order usually is that order already: checked in one pass, sorted only when it is not.
 */
function keyOrder(found: IndexRow[], rank: number[]): Uint32Array {
  const entryOf = new Uint32Array(found.length);
  rank.forEach((k, i) => (entryOf[k] = i));
  let order = Array.from(found.keys());
  if (found.some((r, k) => k > 0 && byKeyCmp(found[k - 1], r) > 0))
    order = order.sort((a, b) => byKeyCmp(found[a], found[b]));
  return Uint32Array.from(order, (k) => entryOf[k]);
}

/** Writes the tables and the header (with the sections' places) and its trailer. */
export async function writeIndexTables(
  out: BufferedFile,
  found: IndexRow[],
  header: Omit<IndexHeader, 'sections'>,
): Promise<void> {
  // Biggest first: the picker's first screen is the parts that matter most. A stable sort on the volume
  // alone (a number compare) leaves equal volumes in output order; the tables carry the full order anyway.
  const vol = Float64Array.from(found, (r) => r[4]);
  const rank = Array.from(found.keys()).sort((a, b) => vol[b] - vol[a]);
  const rows = rank.map((k) => found[k]);
  const entries = await lines(
    out,
    rows.map((r) => `${JSON.stringify(r)}\n`),
  );
  const entryOff = await fixed(out, entries.offsets);
  const byKey = await fixed(out, keyOrder(found, rank));
  const hay = await lines(
    out,
    rows.map((r) => `${r[0].toLowerCase()}\u0000${r[1].toLowerCase()}\n`),
  );
  const hayOff = await fixed(out, hay.offsets);
  const full: IndexHeader = {
    ...header,
    sections: { entries: entries.section, entryOff, byKey, hay: hay.section, hayOff },
  };
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  await out.write(json);
  await out.write(encodeTrailer(json.length));
}
