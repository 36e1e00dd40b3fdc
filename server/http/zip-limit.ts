/**
 * An .xlsx is a ZIP: a few hundred KB can inflate to gigabytes of sheet XML (a "zip bomb") and the
 * workbook reader holds large parts of it in memory. Before anything reads the workbook, every entry
 * listed in the central directory is inflated here (streamed, nothing kept) and the upload is refused
 * once the total passes the limit. Declared sizes are checked first but not trusted.
 *
 * The shared-strings part gets a tighter budget of its own: the workbook reader keeps every shared string
 * in memory before it reaches the first row, so a highly compressible sharedStrings.xml that stays under
 * the 100× rule (8 MB → 600 MB) still costs gigabytes. Unique strings compress 3–15×, never 75×.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';

/** Total unzipped bytes allowed: 100× the upload, at least 64 MB (real workbooks inflate 5–20×). */
export function inflateLimit(uploadBytes: number): number {
  return Math.max(64 * 1024 * 1024, 100 * uploadBytes);
}

/** Shared strings allowed: 25× the part's compressed size, at least 16 MB, never more than 256 MB. */
export function sharedStringsLimit(compressedBytes: number): number {
  return Math.min(256 * 1024 * 1024, Math.max(16 * 1024 * 1024, 25 * compressedBytes));
}

/** Why a workbook was refused: too much in all, or too many shared strings. */
export type InflateVerdict = null | { part: 'workbook' | 'shared-strings'; limit: number };

interface ZipEntry {
  name: string;
  method: number;
  compressed: number;
  declared: number;
  localOffset: number;
}

/** Entries of the central directory, or null when the file is not a (parsable, non-ZIP64) ZIP. */
async function zipEntries(file: string): Promise<ZipEntry[] | null> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 22) return null;
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (head.readUInt32LE(0) !== 0x04034b50) return null;
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    // The end-of-central-directory record is the last one; a trailing comment may follow it.
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0 && eocd < 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) eocd = i;
    }
    if (eocd < 0) return null;
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > size || cdSize > 64 * 1024 * 1024) return null;
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const out: ZipEntry[] = [];
    const local = Buffer.alloc(30);
    for (let p = 0, k = 0; k < count && p + 46 <= cdSize; k++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) return null;
      const nameLen = cd.readUInt16LE(p + 28);
      const e: ZipEntry = {
        name: cd.toString('utf8', p + 46, Math.min(cdSize, p + 46 + nameLen)),
        method: cd.readUInt16LE(p + 10),
        compressed: cd.readUInt32LE(p + 20),
        declared: cd.readUInt32LE(p + 24),
        localOffset: cd.readUInt32LE(p + 42),
      };
      p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
      // Point at the entry's data: the local header's name and extra lengths may differ from the directory's.
      if (e.localOffset + 30 > size) return null;
      await fh.read(local, 0, 30, e.localOffset);
      if (local.readUInt32LE(0) !== 0x04034b50) return null;
      e.localOffset += 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      out.push(e);
    }
    return out;
  } finally {
    await fh.close();
  }
}

const isSharedStrings = (name: string) => /(^|\/)sharedstrings\.xml$/i.test(name);

/** Inflates one deflated entry, streamed; true as soon as `onBytes` says enough or `signal` aborts. */
function inflateUntil(file: string, e: ZipEntry, onBytes: (n: number) => boolean, signal?: AbortSignal) {
  return new Promise<boolean>((resolve) => {
    const src = createReadStream(file, { start: e.localOffset, end: e.localOffset + e.compressed - 1 });
    const inflate = createInflateRaw();
    const finish = (v: boolean) => {
      signal?.removeEventListener('abort', onAbort);
      src.destroy();
      inflate.destroy();
      resolve(v);
    };
    const onAbort = () => finish(true);
    if (signal?.aborted) return finish(true);
    signal?.addEventListener('abort', onAbort);
    inflate.on('data', (b: Buffer) => {
      if (onBytes(b.length)) finish(true);
    });
    inflate.on('end', () => finish(false));
    // A corrupt entry is the workbook reader's to report, with its own message.
    inflate.on('error', () => finish(false));
    src.on('error', () => finish(false));
    src.pipe(inflate);
  });
}

/**
 * Whether the ZIP's entries inflate past `limit` bytes in all, or its shared strings past their own
 * budget (null for anything not a ZIP, and when within both). Stops early when `signal` aborts.
 */
export async function zipInflateVerdict(file: string, limit: number, signal?: AbortSignal): Promise<InflateVerdict> {
  const entries = await zipEntries(file).catch(() => null);
  if (!entries) return null;
  const workbook: InflateVerdict = { part: 'workbook', limit };
  // ZIP64 markers (0xFFFFFFFF) mean an entry of 4 GB or more.
  if (entries.some((e) => e.declared === 0xffffffff || e.compressed === 0xffffffff)) return workbook;
  if (entries.reduce((s, e) => s + e.declared, 0) > limit) return workbook;
  let total = 0;
  for (const e of entries) {
    if (signal?.aborted) return null;
    if (e.compressed === 0) continue;
    const strings: InflateVerdict = isSharedStrings(e.name)
      ? { part: 'shared-strings', limit: sharedStringsLimit(e.compressed) }
      : null;
    if (strings && e.declared > strings.limit) return strings;
    if (e.method === 0) {
      total += e.compressed;
      if (strings && e.compressed > strings.limit) return strings;
    } else if (e.method === 8) {
      let part = 0;
      let verdict: InflateVerdict = null;
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
      if (verdict) return verdict;
    }
    if (total > limit) return workbook;
  }
  return null;
}
