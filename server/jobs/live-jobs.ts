/**
 * Progress of running jobs: kept in memory, pushed to the job's room at most every
 * PROGRESS_INTERVAL_MS, written to the row and pushed to everyone at most every UPDATE_INTERVAL_MS.
 * Once a job ends here, nothing more about its progress is written or sent. Also the watchdog's
 * source of truth: when progress, log lines and heartbeats were last seen.
 */
import type { JobDto, JobFlags, LogLine, PartitionCounts } from '../contract/dto.js';
import { parseStage, stageText } from '../contract/stages.js';
import type { Job } from './job.js';
import { NO_FLAGS, type LiveState } from './job.dto.js';
import type { JobEvents } from './job.events.js';
import type { JobRepo } from './job.repo.js';
import { Throttle } from './throttle.js';

interface Entry {
  row: Job;
  state: LiveState;
  startedAt: number;
  toDto: (row: Job) => JobDto;
  room: Throttle;
  everyone: Throttle;
}

export class LiveJobs {
  private readonly jobs = new Map<string, Entry>();

  constructor(
    private readonly repo: JobRepo,
    private readonly events: JobEvents,
    private readonly opts: { progressIntervalMs: number; updateIntervalMs: number },
    private readonly logSnapshot: (id: string) => LogLine[],
    /** A progress write that failed (disk full, database busy): the next write or the final state repairs it. */
    private readonly onSaveError: (err: unknown, id: string) => void,
  ) {}

  start(id: string, row: Job, toDto: (row: Job) => JobDto, expectedSeconds: number | null): void {
    const now = Date.now();
    const entry: Entry = {
      row,
      toDto,
      startedAt: now,
      state: {
        progress: 0,
        stage: stageText({ code: 'starting' }),
        partitions: { total: 0, completed: 0, skipped: 0, failed: 0 },
        lastProgressAt: now,
        lastLogAt: now,
        lastHeartbeatAt: now,
        expectedSeconds,
        flags: { ...NO_FLAGS },
      },
      room: new Throttle(this.opts.progressIntervalMs, () => {
        if (this.jobs.get(id) !== entry) return;
        const { progress, stage, partitions } = entry.state;
        this.events.emit('progress', {
          id,
          progress,
          stage,
          stage_info: parseStage(stage),
          partitions: { ...partitions },
        });
      }),
      everyone: new Throttle(this.opts.updateIntervalMs, () => this.saveQuietly(id, entry)),
    };
    this.jobs.set(id, entry);
  }

  state(id: string): LiveState | undefined {
    return this.jobs.get(id)?.state;
  }

  ids(): string[] {
    return [...this.jobs.keys()];
  }

  /** Milliseconds since the job started running here. */
  elapsedMs(id: string, now = Date.now()): number {
    const e = this.jobs.get(id);
    return e ? now - e.startedAt : 0;
  }

  progress(id: string, p: { progress: number; stage: string; partitions: PartitionCounts }): void {
    const e = this.jobs.get(id);
    if (!e) return;
    const progress = Math.max(e.state.progress, Math.min(99, p.progress));
    const now = Date.now();
    const moved = progress !== e.state.progress || p.stage !== e.state.stage;
    e.state = {
      ...e.state,
      progress,
      stage: p.stage,
      partitions: p.partitions,
      lastHeartbeatAt: now,
      lastProgressAt: moved ? now : e.state.lastProgressAt,
    };
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

  heartbeat(id: string): void {
    const e = this.jobs.get(id);
    if (e) e.state.lastHeartbeatAt = Date.now();
  }

  logged(id: string): void {
    const e = this.jobs.get(id);
    if (e) e.state.lastLogAt = Date.now();
  }

  /** Sets the watchdog flags; when they changed, pushes the job to everyone at once. */
  setFlags(id: string, flags: JobFlags): void {
    const e = this.jobs.get(id);
    if (!e) return;
    const f = e.state.flags;
    if (f.stalled === flags.stalled && f.slow === flags.slow && f.silent === flags.silent) return;
    e.state = { ...e.state, flags: { ...flags } };
    e.everyone.cancel();
    this.saveQuietly(id, e);
  }

  end(id: string): void {
    const e = this.jobs.get(id);
    if (!e) return;
    e.room.cancel();
    e.everyone.cancel();
    this.jobs.delete(id);
  }

  // Fire-and-forget from timers: a rejection here would be unhandled and end the process.
  private saveQuietly(id: string, e: Entry): void {
    this.save(id, e).catch((err: unknown) => this.onSaveError(err, id));
  }

  private async save(id: string, e: Entry): Promise<void> {
    const { progress, stage, partitions } = e.state;
    const ok = await this.repo.patchWhile(id, 'PROCESSING', {
      progress,
      stage,
      partitions,
      rows: e.row.rows,
      log: this.logSnapshot(id),
    });
    // Only a job still running here may be announced as running (a Stop may have won meanwhile).
    if (ok && this.jobs.get(id) === e) this.events.emit('updated', e.toDto({ ...e.row, progress, stage, partitions }));
  }
}
