/**
 * Short writes: write(2) may write less than asked (a nearly full disk does), and FileHandle.write says so
 * only in `bytesWritten`. These handles are real files whose write() is held to a part of the buffer: the
 * writers must write the rest, throw when nothing more goes down, and never leave a short file unnoticed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferedFile } from '../../../server/storage/buffered-file.js';
import { checkSize, writeAll, type Sized, type Writable } from '../../../server/storage/whole-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sparecast-whole-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const newFile = () => path.join(dir, `f${n++}`);

type Handle = Writable & Sized;

/** A real file whose write() writes at most `most(len)` bytes of what it is given, and says so. */
function constrained(fh: FileHandle, most: (len: number) => number): Handle & { calls: number } {
  const h = {
    calls: 0,
    write: (async (buf: Buffer, off: number, len: number) => {
      h.calls++;
      return fh.write(buf, off, Math.min(len, most(len)));
    }) as unknown as FileHandle['write'],
    stat: () => fh.stat(),
  };
  return h;
}

const bytes = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7919) % 251));

describe('whole files', () => {
  it('BufferedFile writes every byte through a file whose writes come up short', async () => {
    const file = newFile();
    const fh = await open(file, 'wx');
    try {
      const h = constrained(fh, (len) => Math.max(1, Math.floor(len / 3))); // a third of what is asked, each time
      const out = new BufferedFile(h, 'the test file');
      const data = bytes(3 * 1024 * 1024 + 12345); // several 1 MB flushes and a tail
      for (let at = 0; at < data.length; at += 100_000) await out.write(data.subarray(at, at + 100_000));
      await out.finish();
      expect(h.calls).toBeGreaterThan(10);
      expect(out.pos).toBe(data.length);
      expect(readFileSync(file).equals(data)).toBe(true);
    } finally {
      await fh.close();
    }
  });

  it('writeAll throws a disk-full error when write keeps writing nothing, rather than looping', async () => {
    const file = newFile();
    const fh = await open(file, 'wx');
    try {
      let left = 1000; // room for 1000 bytes, then none
      const h = constrained(fh, (len) => {
        const k = Math.min(len, left, 300);
        left -= k;
        return k;
      });
      const err = await writeAll(h, bytes(5000), 'the test file').catch((e: NodeJS.ErrnoException) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      expect((err as Error).message).toBe(
        'the test file was not written whole (1000 of 5000 bytes, then none); the disk may be full',
      );
      expect(h.calls).toBe(5); // 300, 300, 300, 100, then 0: it stops there
      expect(readFileSync(file).length).toBe(1000);
    } finally {
      await fh.close();
    }
  });

  it('BufferedFile.finish refuses a file that holds fewer bytes than were reported written', async () => {
    const file = newFile();
    const fh = await open(file, 'wx');
    try {
      // a write that reports all of its bytes but lands only half of them
      const lying: Handle = {
        write: (async (buf: Buffer, off: number, len: number) => {
          await fh.write(buf, off, Math.ceil(len / 2));
          return { bytesWritten: len, buffer: buf };
        }) as unknown as FileHandle['write'],
        stat: () => fh.stat(),
      };
      const out = new BufferedFile(lying, 'the test file');
      await out.write(bytes(4096));
      await expect(out.finish()).rejects.toMatchObject({
        code: 'ENOSPC',
        message: expect.stringMatching(/2048 of 4096/),
      });
      await expect(checkSize(file, 4096)).rejects.toMatchObject({ code: 'ENOSPC' });
      await checkSize(file, 2048);
    } finally {
      await fh.close();
    }
  });
});
