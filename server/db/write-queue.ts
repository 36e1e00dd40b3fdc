/**
 * One in-process write queue: SQLite allows one writer, and queuing writes here is far faster and
 * more reliable than letting connections fight over the lock (STACK-NOTES: 40/40 in 0.38 s versus
 * 39 of 40 SQLITE_BUSY).
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Runs fn after every write queued before it; a failure rejects only its own caller. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(fn, fn);
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }

  get size(): number {
    return this.pending;
  }

  /** Resolves when every write queued so far has finished. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
