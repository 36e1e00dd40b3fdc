/**
 * An .xlsx is a ZIP: a few hundred KB can inflate to gigabytes of sheet XML (a "zip bomb") and the
 * workbook reader holds large parts of it in memory. Before anything reads the workbook, every entry is
 * inflated here (streamed, nothing kept) and the upload is refused once the total passes the limit.
 * Declared sizes are checked first but not trusted.
 *
 * The workbook reader (exceljs, through unzipper's streaming parser) does not use the central directory:
 * it reads the local headers one after the other from the start of the file, takes an entry's data to
 * end at its local compressed size or, when that is 0 with flag 8, at the first data-descriptor
 * signature, and inflates every entry. So the entries are found here the same way, and a file whose
 * local entries are not exactly those of its central directory (a part hidden from the directory, a
 * different size or method, bytes between entries) is refused outright: no workbook program writes one.
 *
 * The shared-strings part gets a tighter budget of its own: the workbook reader keeps every shared string
 * in memory before it reaches the first row, so a highly compressible sharedStrings.xml that stays under
 * the 100× rule (8 MB → 600 MB) still costs gigabytes. Unique strings compress 3–15×, never 75×.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';

/** Total unzipped bytes allowed: 100× the upload, at least 64 MB (real workbooks inflate 5–20×). */
export function inflateLimit(uploadBytes: number): number {
  return Math.max(64 * 1024 * 1024, 100 * uploadBytes);
}

/** Shared strings allowed: 25× the part's compressed size, at least 16 MB, never more than 256 MB. */
function sharedStringsLimit(compressedBytes: number): number {
  return Math.min(256 * 1024 * 1024, Math.max(16 * 1024 * 1024, 25 * compressedBytes));
}

/**
 * Why a workbook was refused: too much in all, or too many shared strings; local entries that differ
 * from the central directory ('mismatch'); or a ZIP that cannot be read (truncated, corrupt compressed
 * data, an unknown compression method: 'broken').
 */
export type InflateVerdict =
  | null
  | { part: 'workbook'; limit: number }
  | { part: 'shared-strings'; limit: number }
  | { part: 'mismatch' }
  | { part: 'broken' };

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
/** Size fields of 0xFFFFFFFF point at ZIP64 extra fields: an entry of 4 GB or more. */
const ZIP64 = 0xffffffff;

/** Thrown while walking a ZIP: the verdict it leads to. */
class Refused extends Error {
  constructor(readonly verdict: NonNullable<InflateVerdict>) {
    super(verdict.part);
  }
}
const broken = () => new Refused({ part: 'broken' });
const mismatch = () => new Refused({ part: 'mismatch' });

interface DirEntry {
  name: string;
  method: number;
  compressed: number;
  declared: number;
  offset: number;
}

interface LocalEntry extends DirEntry {
  /** Where the entry's data starts. */
  data: number;
}

async function readAt(fh: FileHandle, pos: number, len: number, size: number): Promise<Buffer> {
  if (pos < 0 || pos + len > size) throw broken();
  const b = Buffer.alloc(len);
  const { bytesRead } = await fh.read(b, 0, len, pos);
  if (bytesRead !== len) throw broken();
  return b;
}

/** The central directory's entries; also checks that nothing but the end record follows them. */
async function centralDirectory(fh: FileHandle, size: number): Promise<{ entries: DirEntry[]; start: number }> {
  const tailLen = Math.min(size, 22 + 0xffff);
  const tail = await readAt(fh, size - tailLen, tailLen, size);
  // The end-of-central-directory record is the last one; a trailing comment may follow it.
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0 && eocd < 0; i--) if (tail.readUInt32LE(i) === END) eocd = i;
  if (eocd < 0) throw broken();
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdSize > 64 * 1024 * 1024) throw broken();
  const cdEnd = cdOffset + cdSize;
  const eocdAt = size - tailLen + eocd;
  if (cdEnd > eocdAt) throw broken();
  // The workbook reader goes on reading records after the directory: another entry there would be read
  // too. Other records (ZIP64 end of directory) it skips up to the end record.
  if (cdEnd + 4 <= eocdAt) {
    const sig = (await readAt(fh, cdEnd, 4, size)).readUInt32LE(0);
    if (sig === LOCAL || sig === CENTRAL) throw mismatch();
  } else if (cdEnd !== eocdAt) throw mismatch();
  const cd = await readAt(fh, cdOffset, cdSize, size);
  const entries: DirEntry[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cdSize || cd.readUInt32LE(p) !== CENTRAL) throw broken();
    const nameLen = cd.readUInt16LE(p + 28);
    if (p + 46 + nameLen > cdSize) throw broken();
    entries.push({
      name: cd.toString('utf8', p + 46, p + 46 + nameLen),
      method: cd.readUInt16LE(p + 10),
      compressed: cd.readUInt32LE(p + 20),
      declared: cd.readUInt32LE(p + 24),
      offset: cd.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  if (p !== cdSize) throw mismatch();
  return { entries, start: cdOffset };
}

/** First offset of `needle` in the file at or after `from` (before `to`), read in 1 MB pieces; -1 if none. */
async function findInFile(fh: FileHandle, needle: Buffer, from: number, to: number): Promise<number> {
  const piece = Buffer.alloc(1 << 20);
  for (let pos = from; pos < to;) {
    const len = Math.min(piece.length, to - pos);
    const { bytesRead } = await fh.read(piece, 0, len, pos);
    if (bytesRead <= 0) return -1;
    const i = piece.subarray(0, bytesRead).indexOf(needle);
    if (i >= 0) return pos + i;
    if (pos + bytesRead >= to) return -1;
    pos += Math.max(1, bytesRead - needle.length + 1);
  }
  return -1;
}

/**
 * The entries in the order the workbook reader meets them: local headers from the start of the file
 * up to `end` (where the central directory starts). Anything else at a record boundary is refused.
 */
async function localEntries(fh: FileHandle, size: number, end: number): Promise<LocalEntry[]> {
  const out: LocalEntry[] = [];
  let pos = 0;
  while (pos < end) {
    const h = await readAt(fh, pos, 30, size);
    if (h.readUInt32LE(0) !== LOCAL) throw mismatch();
    const flags = h.readUInt16LE(6);
    const nameLen = h.readUInt16LE(26);
    const data = pos + 30 + nameLen + h.readUInt16LE(28);
    const name = (await readAt(fh, pos + 30, nameLen, size)).toString('utf8');
    let compressed = h.readUInt32LE(18);
    let declared = h.readUInt32LE(22);
    let next: number;
    if (compressed === ZIP64 || declared === ZIP64) throw new Refused({ part: 'workbook', limit: 0 });
    if (flags & 0x08 && compressed === 0) {
      // Sizes in a data descriptor: the reader takes the data to end at the first descriptor signature.
      const at = await findInFile(fh, DESCRIPTOR, data, end);
      if (at < 0) throw broken();
      const dd = await readAt(fh, at, 16, size);
      compressed = at - data;
      declared = dd.readUInt32LE(12);
      next = at + 16;
    } else {
      next = data + compressed;
    }
    if (next > end) throw mismatch();
    out.push({ name, method: h.readUInt16LE(8), compressed, declared, offset: pos, data });
    pos = next;
  }
  if (pos !== end) throw mismatch();
  return out;
}

const isSharedStrings = (name: string) => /(^|\/)sharedstrings\.xml$/i.test(name);

/**
 * Inflates one deflated entry, streamed; resolves true as soon as `onBytes` says enough or `signal`
 * aborts, false at its end; rejects (broken) when the compressed data is corrupt or cut short.
 */
function inflateUntil(file: string, e: LocalEntry, onBytes: (n: number) => boolean, signal?: AbortSignal) {
  return new Promise<boolean>((resolve, reject) => {
    if (e.compressed === 0) return resolve(false);
    const src = createReadStream(file, { start: e.data, end: e.data + e.compressed - 1 });
    const inflate = createInflateRaw();
    let done = false;
    const finish = (v: boolean | Refused) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      src.destroy();
      inflate.destroy();
      if (v instanceof Refused) reject(v);
      else resolve(v);
    };
    const onAbort = () => finish(true);
    if (signal?.aborted) return finish(true);
    signal?.addEventListener('abort', onAbort);
    inflate.on('data', (b: Buffer) => {
      if (onBytes(b.length)) finish(true);
    });
    inflate.on('end', () => finish(false));
    inflate.on('error', () => finish(broken()));
    src.on('error', () => finish(broken()));
    src.pipe(inflate);
  });
}

/**
 * Whether the ZIP's entries inflate past `limit` bytes in all, or its shared strings past their own
 * budget, or it is no ordinary, readable ZIP (null for anything not a ZIP, and for a readable one within
 * both). Stops early (null) when `signal` aborts.
 */
export async function zipInflateVerdict(file: string, limit: number, signal?: AbortSignal): Promise<InflateVerdict> {
  let entries: LocalEntry[];
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (size < 4 || head.readUInt32LE(0) !== LOCAL) return null;
    const dir = await centralDirectory(fh, size);
    entries = await localEntries(fh, size, dir.start);
    if (entries.length !== dir.entries.length) return { part: 'mismatch' };
    for (const [i, d] of dir.entries.entries()) {
      const e = entries[i];
      if (d.name !== e.name || d.offset !== e.offset || d.method !== e.method || d.compressed !== e.compressed)
        return { part: 'mismatch' };
      if (d.declared === ZIP64 || d.compressed === ZIP64) return { part: 'workbook', limit };
    }
  } catch (err) {
    if (err instanceof Refused) return err.verdict.part === 'workbook' ? { part: 'workbook', limit } : err.verdict;
    return { part: 'broken' };
  } finally {
    await fh.close();
  }
  const workbook: InflateVerdict = { part: 'workbook', limit };
  if (entries.reduce((s, e) => s + e.declared, 0) > limit) return workbook;
  let total = 0;
  for (const e of entries) {
    if (signal?.aborted) return null;
    const strings: InflateVerdict = isSharedStrings(e.name)
      ? { part: 'shared-strings', limit: sharedStringsLimit(e.compressed) }
      : null;
    if (strings && e.declared > strings.limit) return strings;
    if (e.method === 0) {
      // Stored: the reader passes the bytes through as they are.
      total += e.compressed;
      if (strings && e.compressed > strings.limit) return strings;
    } else if (e.method === 8) {
      let part = 0;
      let verdict: InflateVerdict = null;
      try {
        await inflateUntil(
          file,
          e,
          (n) => {
            total += n;
            part += n;
            if (strings && part > strings.limit) verdict = strings;
            else if (total > limit) verdict = workbook;
            return verdict !== null;
          },
          signal,
        );
      } catch (err) {
        if (err instanceof Refused) return err.verdict;
        throw err;
      }
      if (verdict) return verdict;
    } else {
      // The reader would inflate it as deflate anyway and fail: no workbook program writes another method.
      return { part: 'broken' };
    }
    if (total > limit) return workbook;
  }
  return null;
}
