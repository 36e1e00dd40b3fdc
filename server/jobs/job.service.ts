/**
 * Job commands and queries: stop, delete, rename, list. New jobs come in through job-intake.ts; the files
 * behind downloads are found by results/job-downloads.ts. Runs queued jobs through the runner,
 * JOB_CONCURRENCY at a time, and tells the world through JobEvents.
 */
import type { OverrideSource } from './override-source.js';
import { isFinal, type JobConfig, type JobDto, type JobListDto, type LogLine } from '../contract/dto.js';
import { AppError } from '../contract/errors.js';
import type { JobStatus, ListQuery } from '../contract/schemas.js';
import type { Logger } from '../logger.js';
import { jobFiles } from '../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../storage/paths.js';
import { toDto } from './job.dto.js';
import type { Job } from './job.js';
import { JobEvents } from './job.events.js';
import type { JobRepo } from './job.repo.js';
import type { JobFeature } from './job-feature.js';
import type { JobRunner } from './job.runner.js';
import { stageText } from '../contract/stages.js';
import { CANCELLED_BY_USER } from './job.state.js';
import { LogBuffer } from './log-buffer.js';
import { LiveJobs } from './live-jobs.js';
import { JobExecution } from './job.execution.js';
import { JobQueue } from './job-queue.js';
import { JobIntake } from './job-intake.js';

export interface JobServiceOptions {
  concurrency: number;
  progressIntervalMs: number;
  updateIntervalMs: number;
  /** Waiting jobs allowed per owner (null owner = the single AUTH=off user) and in all. */
  maxQueuedPerUser: number;
  maxQueued: number;
  /** The planners' overrides a job applies, read when it starts (absent: none, e.g. the CLI). */
  overrides?: OverrideSource;
}

const now = () => new Date().toISOString();

export class JobService {
  readonly events = new JobEvents();
  readonly logs = new LogBuffer();
  private readonly queue: JobQueue;
  /** Admits new jobs (create): a queue slot, the files, the QUEUED row. */
  readonly intake: JobIntake;
  private readonly active = new Map<string, Promise<void>>();
  readonly live: LiveJobs;
  private readonly execution: JobExecution;
  private accepting = true;
  /** What serves finished jobs' results (server.ts lists them), told of completes, re-plans, deletes, shutdown. */
  private readonly features: readonly JobFeature[];

  constructor(
    private readonly repo: JobRepo,
    private readonly runner: JobRunner,
    private readonly paths: StoragePaths,
    private readonly logger: Logger,
    private readonly opts: JobServiceOptions,
    features: (jobs: JobService) => readonly JobFeature[] = () => [],
  ) {
    this.features = features(this);
    this.queue = new JobQueue(repo, opts);
    this.intake = new JobIntake(repo, this.queue, paths, {
      accepting: () => this.accepting,
      queued: (row) => {
        this.addLog(row.id, 'info', `Queued ${row.filename} (${row.file_size} bytes)`);
        const dto = this.dto(row);
        this.events.emit('created', dto);
        this.pump();
        return dto;
      },
    });
    this.live = new LiveJobs(
      repo,
      this.events,
      opts,
      (id) => this.logs.snapshot(id),
      (err, id) => this.logger.warn({ err, id }, 'could not save the progress of a running job'),
    );
    this.execution = new JobExecution(repo, runner, paths, logger, this.live, this.logs, opts.overrides ?? null, {
      log: (id, level, msg) => this.addLog(id, level, msg),
      updated: (job) => this.events.emit('updated', this.dto(job)),
      queueChanged: () => this.emitQueuePositions(),
      dto: (job) => this.dto(job),
      completed: (job, history) => {
        for (const f of this.features) f.completed?.(job, history);
      },
    });
  }

  /**
   * A re-plan replaced the plan of a COMPLETED job: stores the settings it used and the plan's new totals, and
   * tells the world. Null when the job is gone or no longer COMPLETED (the caller then removes its file).
   */
  async replanned(id: string, config: JobConfig, metrics: Job['metrics']): Promise<JobDto | null> {
    const row = await this.repo.patchCompleted(id, config, metrics);
    if (!row) return null;
    for (const f of this.features) f.replanned?.(id);
    const dto = this.dto(row);
    this.events.emit('updated', dto);
    this.events.emit('replanned', { id });
    return dto;
  }

  /** Gives the job a name (null: none) and tells the world; JOB_NOT_FOUND when there is none. */
  async rename(id: string, name: string | null): Promise<JobDto> {
    const row = await this.repo.rename(id, name);
    if (!row) throw notFound(id);
    const dto = this.dto(row);
    this.events.emit('updated', dto);
    return dto;
  }

  // ---- queries ---------------------------------------------------------------------------------

  /** The job as the wire shows it; JOB_NOT_FOUND when there is none. */
  async get(id: string): Promise<JobDto> {
    return this.dto(await this.find(id));
  }

  /** The job itself (config, owner, files); JOB_NOT_FOUND when there is none. */
  async find(id: string): Promise<Job> {
    const job = await this.repo.find(id);
    if (!job) throw notFound(id);
    return job;
  }

  /** One page of GET /api/jobs. */
  async list(q: ListQuery): Promise<JobListDto> {
    const { total, jobs } = await this.repo.list(q);
    return { total, page: q.page, page_size: q.page_size, jobs: jobs.map((j) => this.dto(j)) };
  }

  /** The job's recent log lines (the live ones while this process runs it). */
  async log(id: string): Promise<LogLine[]> {
    const job = await this.find(id);
    return this.logs.get(id, job.log);
  }

  /** Jobs by status, for the metrics. */
  countByStatus(): Promise<Partial<Record<JobStatus, number>>> {
    return this.repo.countByStatus();
  }

  /** Jobs waiting for a free slot. */
  get queueLength(): number {
    return this.queue.length;
  }

  queuePosition(id: string): number | null {
    return this.queue.position(id);
  }

  // ---- commands ----------------------------------------------------------------------------------

  /** Stops a QUEUED or PROCESSING job: CANCELLED at once, its threads terminated. */
  async stop(id: string, message = CANCELLED_BY_USER): Promise<JobDto> {
    // Threads first: a stop is wanted whatever the row says, and a job that already finished has
    // no threads to stop. The compare-and-set below decides the final state.
    const t0 = performance.now();
    const early = this.runner.stop(id, 'stop');
    const done = await this.cancelRow(id, message);
    if (!done) {
      throw finishedError(await this.find(id));
    }
    // Again after the write: a job that moved to PROCESSING while we waited is stopped too.
    Promise.all([early, this.runner.stop(id, 'stop')])
      .then(() => this.events.emit('released', { id, ms: performance.now() - t0 }))
      .catch((err: unknown) => this.logger.error({ err, id }, 'stopping the job threads failed'));
    const dto = this.dto(done);
    this.events.emit('updated', dto);
    this.emitQueuePositions();
    return dto;
  }

  /** Deletes a finished job; with force, stops a QUEUED or PROCESSING one first. */
  async remove(id: string, force: boolean): Promise<void> {
    const row = await this.find(id);
    if (!isFinal(row.status)) {
      if (!force)
        throw new AppError(
          409,
          'JOB_NOT_FINISHED',
          `Job ${id} is still ${row.status}. Stop it first, or use Force Delete.`,
        );
      const early = this.runner.stop(id, 'force-delete');
      await this.cancelRow(id, 'Force deleted');
      await Promise.all([early, this.runner.stop(id, 'force-delete')]);
    }
    // Let the run finish its own cleanup before the files go.
    await this.active.get(id);
    const removed = await this.repo.removeFinished(id);
    if (!removed) {
      const again = await this.repo.find(id);
      if (!again) throw notFound(id);
      throw new AppError(409, 'JOB_NOT_FINISHED', `Job ${id} is still ${again.status}.`);
    }
    // Work in flight on its results (a series index, a re-plan) would otherwise land after the files go.
    for (const f of this.features) await f.forget(id);
    // one by one, in the order storage/job-files.ts gives (and says why)
    for (const file of jobFiles(this.paths, row).deleteOrder) await removeQuietly(file);
    this.logs.drop(id);
    this.events.emit('deleted', { id });
    this.emitQueuePositions();
  }

  /** Ends a running job as FAILED with `message` (the watchdog's JOB_TIMEOUT); its threads are terminated. */
  failRunning(id: string, message: string): Promise<boolean> {
    return this.execution.failRunning(id, message);
  }

  /** Removes finished jobs (rows and files) that completed before `isoBefore`; returns how many. */
  async removeFinishedBefore(isoBefore: string): Promise<number> {
    let n = 0;
    for (const row of await this.repo.finishedBefore(isoBefore)) {
      try {
        await this.remove(row.id, false);
        n++;
      } catch (err) {
        if (!(err instanceof AppError)) throw err; // deleted meanwhile by someone else
      }
    }
    return n;
  }

  // ---- lifecycle ------------------------------------------------------------------------------------

  /** Queues the given job ids (boot), in order. */
  enqueue(ids: string[]): void {
    this.queue.enqueue(ids);
    this.pump();
  }

  /** Stops taking work, requeues running jobs for the next boot, waits for their threads. */
  async shutdown(): Promise<void> {
    this.accepting = false;
    this.queue.clear();
    await Promise.all([...this.active.keys()].map((id) => this.execution.requeue(id)));
    await Promise.all(this.active.values());
    for (const f of this.features) await f.close();
  }

  // ---- internals -------------------------------------------------------------------------------------

  private pump(): void {
    while (this.accepting && this.active.size < this.opts.concurrency && this.queue.length) {
      const id = this.queue.shift()!;
      const p = this.execution
        .run(id)
        .catch((err) => this.logger.error({ err, id }, 'job execution failed unexpectedly'))
        .finally(() => {
          this.active.delete(id);
          this.pump();
        });
      this.active.set(id, p);
    }
  }

  private async cancelRow(id: string, message: string): Promise<Job | null> {
    const done = await this.repo.transition(id, 'CANCELLED', {
      error_message: message,
      completed_at: now(),
      progress: 0,
      stopped_progress: this.live.state(id)?.progress ?? null,
      stage: stageText({ code: 'cancelled' }),
      log: this.logs.snapshot(id, { level: 'warn', msg: message }),
    });
    if (done) {
      this.addLog(id, 'warn', message);
      this.queue.remove(id);
      this.live.end(id);
    }
    return done;
  }

  private addLog(id: string, level: LogLine['level'], msg: string): void {
    const line = this.logs.add(id, level, msg);
    this.live.logged(id);
    this.events.emit('log', { id, lines: [line] });
  }

  private emitQueuePositions(): void {
    const ids = this.queue.list();
    Promise.all(ids.map((id) => this.repo.find(id)))
      .then((rows) => {
        for (const r of rows) if (r && r.status === 'QUEUED') this.events.emit('updated', this.dto(r));
      })
      .catch((err: unknown) => this.logger.error({ err }, 'queue positions not sent'));
  }

  private dto(job: Job): JobDto {
    return toDto(job, this.queuePosition(job.id), this.live.state(job.id));
  }
}

function notFound(id: string): AppError {
  return new AppError(404, 'JOB_NOT_FOUND', `No job with id ${id}.`);
}

function finishedError(row: Job): AppError {
  return new AppError(409, 'JOB_FINISHED', `Job ${row.id} is already ${row.status}; there is nothing to stop.`);
}
