/**
 * Writes an output CSV while its sites are still being forecast: each chunk's lines go to the file as
 * soon as every chunk before it has been written, so a big job never holds all of its output in memory.
 * The caller writes to a temp file and renames it only when the run really completes. (A WriteStream writes
 * the rest of a short write itself; `finish` also checks the file holds every byte before it is renamed.)
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { checkSize } from '../../storage/whole-file.js';
import type { PartitionResult } from '../types.js';

const WHAT: Record<OutputPart, string> = {
  forecast: 'the forecast output',
  plan: 'the inventory plan',
  'plan-inputs': 'the re-plan inputs',
};

/** Which lines of a result a writer takes: the forecast's, the inventory plan's, or its re-plan inputs. */
export type OutputPart = 'forecast' | 'plan' | 'plan-inputs';

export class OrderedOutput {
  private readonly out: WriteStream;
  private readonly pending = new Map<number, PartitionResult>();
  private next = 0;
  private chain: Promise<void> = Promise.resolve();
  private error: Error | null = null;
  rows = 0;

  /** `part` 'plan': the results' plan lines (PLAN_HEADER); a result without a plan adds none. */
  constructor(
    private readonly file: string,
    header: string,
    private readonly part: OutputPart = 'forecast',
  ) {
    this.out = createWriteStream(file, { flags: 'wx' });
    this.out.on('error', (e) => (this.error ??= e));
    this.out.write(`${header}\n`);
  }

  /** Hands over chunk k's result; resolves once everything writable so far is written. */
  push(k: number, result: PartitionResult): Promise<void> {
    this.pending.set(k, result);
    this.chain = this.chain.then(() => this.flush());
    return this.chain;
  }

  /** Flushes and closes the file; rejects if any write failed. */
  async finish(): Promise<number> {
    await this.chain;
    if (this.pending.size) throw new Error(`output incomplete: chunk ${this.next} never arrived`);
    this.out.end();
    if (!this.out.writableFinished) await this.settled('finish');
    this.check();
    await checkSize(this.file, this.out.bytesWritten, WHAT[this.part]);
    return this.rows;
  }

  /** Stops writing (the job failed or was stopped); the caller removes the file. */
  async abandon(): Promise<void> {
    this.pending.clear();
    if (this.out.closed) return;
    const closed = once(this.out, 'close').catch(() => undefined);
    this.out.destroy();
    await closed;
  }

  private async flush(): Promise<void> {
    for (let r = this.pending.get(this.next); r; r = this.pending.get(this.next)) {
      this.check();
      this.pending.delete(this.next++);
      let ok = true;
      // written text is dropped: only the metrics and totals are kept
      if (this.part === 'plan-inputs') {
        if (r.plan) {
          ok = this.out.write(r.plan.inputs);
          r.plan.inputs = '';
        }
      } else if (this.part === 'plan') {
        if (r.plan) {
          this.rows += r.plan.rows;
          ok = this.out.write(r.plan.csv);
          r.plan.csv = '';
        }
      } else {
        this.rows += r.rows;
        ok = this.out.write(r.csv);
        r.csv = '';
      }
      if (!ok) await this.settled('drain');
    }
    this.check();
  }

  private async settled(event: 'drain' | 'finish'): Promise<void> {
    // whichever comes first; the other listener is removed (a leftover 'error' listener per drain would pile up)
    const ac = new AbortController();
    await Promise.race([
      once(this.out, event, { signal: ac.signal }),
      once(this.out, 'error', { signal: ac.signal }),
    ]).catch(() => undefined);
    ac.abort();
    this.check();
  }

  private check(): void {
    if (this.error) throw this.error;
  }
}
