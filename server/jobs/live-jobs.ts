/**
 * Progress of running jobs: kept in memory, pushed to the job's room at most every
 * PROGRESS_INTERVAL_MS, written to the row and pushed to everyone at most every UPDATE_INTERVAL_MS.
 * Once a job ends here, nothing more about its progress is written or sent.
 */
import type { JobDto, PartitionCounts } from '../contract/dto.js';
import type { JobRow } from '../db/job.model.js';
import type { LiveState } from './job.dto.js';
import type { JobEvents } from './job.events.js';
import type { JobRepo } from './job.repo.js';
import { Throttle } from './throttle.js';

interface Entry {
  row: JobRow;
  state: LiveState;
  toDto: (row: JobRow) => JobDto;
  room: Throttle;
  everyone: Throttle;
}

export class LiveJobs {
  private readonly jobs = new Map<string, Entry>();

  constructor(
    private readonly repo: JobRepo,
    private readonly events: JobEvents,
    private readonly opts: { progressIntervalMs: number; updateIntervalMs: number },
    private readonly serializeLog: (id: string) => string,
  ) {}

  start(id: string, row: JobRow, toDto: (row: JobRow) => JobDto): void {
    const entry: Entry = {
      row,
      toDto,
      state: { progress: 0, stage: 'starting', partitions: { total: 0, completed: 0, skipped: 0, failed: 0 } },
      room: new Throttle(this.opts.progressIntervalMs, () => {
        if (this.jobs.get(id) !== entry) return;
        this.events.emit('progress', { id, ...entry.state, partitions: { ...entry.state.partitions } });
      }),
      everyone: new Throttle(this.opts.updateIntervalMs, () => void this.save(id, entry)),
    };
    this.jobs.set(id, entry);
  }

  state(id: string): LiveState | undefined {
    return this.jobs.get(id)?.state;
  }

  progress(id: string, p: { progress: number; stage: string; partitions: PartitionCounts }): void {
    const e = this.jobs.get(id);
    if (!e) return;
    e.state = { progress: Math.max(e.state.progress, Math.min(99, p.progress)), stage: p.stage, partitions: p.partitions };
    e.room.call();
    e.everyone.call();
  }

  prepared(id: string, info: { rows: number; partitions: PartitionCounts }): void {
    const e = this.jobs.get(id);
    if (!e) return;
    e.row = { ...e.row, rows: info.rows };
    e.state = { ...e.state, partitions: info.partitions };
    e.everyone.call();
  }

  end(id: string): void {
    const e = this.jobs.get(id);
    if (!e) return;
    e.room.cancel();
    e.everyone.cancel();
    this.jobs.delete(id);
  }

  private async save(id: string, e: Entry): Promise<void> {
    const { progress, stage, partitions } = e.state;
    const ok = await this.repo.patchIf(id, ['PROCESSING'], {
      progress,
      stage,
      partitions: JSON.stringify(partitions),
      rows: e.row.rows,
      log: this.serializeLog(id),
    });
    // Only a job still running here may be announced as running (a Stop may have won meanwhile).
    if (ok && this.jobs.get(id) === e) this.events.emit('updated', e.toDto({ ...e.row, progress, stage, partitions: JSON.stringify(partitions) }));
  }
}
