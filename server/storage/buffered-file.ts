/** A new file written through a buffer, every byte of it, checked whole before the caller renames it. */
import { checkSize, writeAll, type Sized, type Writable } from './whole-file.js';

const FLUSH_AT = 1 << 20;

/**
 * Appends to a new file through a 1 MB buffer; `pos` is the file offset of the next byte. Every byte is
 * written (storage/whole-file.ts); `finish` flushes and checks the file holds all of them, before the
 * caller renames it into place.
 */
export class BufferedFile {
  pos = 0;
  private chunks: Buffer[] = [];
  private pending = 0;
  constructor(
    private readonly fh: Writable & Sized,
    private readonly what = 'a file',
  ) {}

  async write(b: Buffer): Promise<void> {
    this.chunks.push(b);
    this.pending += b.length;
    this.pos += b.length;
    if (this.pending >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.pending) return;
    const all = Buffer.concat(this.chunks, this.pending);
    this.chunks = [];
    this.pending = 0;
    await writeAll(this.fh, all, this.what);
  }

  /** Flushes; throws unless the file holds every byte written to it. */
  async finish(): Promise<void> {
    await this.flush();
    await checkSize(this.fh, this.pos, this.what);
  }
}
