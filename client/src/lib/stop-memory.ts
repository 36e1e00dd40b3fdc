import { isFinal, type JobStatus } from '$contract/dto.js';

/**
 * Where a stopped job had got to. The product guide has a CANCELLED job's bar go back to 0 %, so the
 * server keeps no trace of it; the pages remember the last progress they saw while it ran and show
 * "stopped at 16 %" beside the empty bar. A page that never saw it run shows nothing.
 */
export class StopMemory {
  private readonly last = new Map<string, number>();
  private readonly stopped = new Map<string, number>();

  /** Notes what a snapshot or push says; returns where the job stopped, when that is known. */
  see(id: string, status: JobStatus, progress: number): number | null {
    if (!isFinal(status)) {
      if (progress > (this.last.get(id) ?? 0)) this.last.set(id, progress);
      return null;
    }
    const p = this.last.get(id) ?? 0;
    if (status === 'CANCELLED' && p > 0 && !this.stopped.has(id)) this.stopped.set(id, p);
    this.last.delete(id);
    return this.at(id);
  }

  at(id: string): number | null {
    return this.stopped.get(id) ?? null;
  }

  forget(id: string): void {
    this.last.delete(id);
    this.stopped.delete(id);
  }
}
