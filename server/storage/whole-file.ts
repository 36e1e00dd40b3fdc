/**
 * Every file written to tmp/ and renamed into place is whole before the rename. write(2) may write less
 * than it was given (a nearly full disk does that rather than fail with ENOSPC) and FileHandle.write
 * reports it in `bytesWritten` without writing the rest: writeAll writes until every byte is down, and
 * checkSize compares what the file holds with what its writer wrote, so a short file is never renamed over
 * a good one.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** The part of a FileHandle writeAll needs. */
export type Writable = Pick<FileHandle, 'write'>;
/** … and checkSize. */
export interface Sized {
  stat(): Promise<{ size: number }>;
}

/**
 * Throws an error that reads as a full disk (storage/errors.ts): a file holds less than was written to it.
 * `what` names the file in words, never its path (the message may reach a job's error text).
 */
function shortWrite(what: string, detail: string): never {
  throw Object.assign(new Error(`${what} was not written whole (${detail}); the disk may be full`), {
    code: 'ENOSPC',
  });
}

/** Writes all of `buf` at the handle's current position, or throws: a write that makes no progress is an error. */
export async function writeAll(fh: Writable, buf: Buffer, what = 'a file'): Promise<void> {
  for (let off = 0; off < buf.length; ) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    if (!(bytesWritten > 0)) shortWrite(what, `${off} of ${buf.length} bytes, then none`);
    off += bytesWritten;
  }
}

/** Throws unless `file` (a path or an open handle) holds exactly `bytes` bytes. */
export async function checkSize(file: string | Sized, bytes: number, what = 'a file'): Promise<void> {
  const { size } = typeof file === 'string' ? await fs.stat(file) : await file.stat();
  if (size !== bytes) shortWrite(what, `${size} of ${bytes} bytes on disk`);
}
