import { isFinal, type JobDto } from '$contract/dto.js';

/**
 * Where a stopped job had got to. The product guide has a CANCELLED job's bar go back to 0 %; the server
 * keeps the progress it had in `stopped_progress`, and the page shows "stopped at 16 %" beside the empty
 * bar. Rows from before the server kept it fall back to the last progress this page saw while it ran.
 */
export class StopMemory {
  private readonly last = new Map<string, number>();
  private readonly stopped = new Map<string, number>();

  /** Notes what a snapshot or push says; returns where the job stopped, when that is known. */
  see(job: Pick<JobDto, 'id' | 'status' | 'progress' | 'stopped_progress'>): number | null {
    const { id, status, progress } = job;
    if (status === 'CANCELLED' && job.stopped_progress != null) {
      this.last.delete(id);
      this.stopped.set(id, job.stopped_progress);
      return job.stopped_progress;
    }
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
