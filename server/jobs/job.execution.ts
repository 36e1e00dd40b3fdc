/**
 * One job's run, from QUEUED to its final state: the compare-and-set into PROCESSING, the runner,
 * then COMPLETED (output renamed into outputs/ first) or FAILED. Whatever breaks, the job does not
 * stay PROCESSING; at shutdown, back to QUEUED. The service owns the queue and decides when to call run().
 */
import { promises as fs } from 'node:fs';
import type { JobDto, LogLine, PartitionCounts } from '../contract/dto.js';
import { stageText, type Stage } from '../contract/stages.js';
import { planOverridesOf, type HistorySource, type PlanOverrides } from '../forecast/index.js';
import { readOverridesSnapshot, type OverrideSource, type OverridesSnapshot } from './override-source.js';
import type { Job } from './job.js';
import type { Logger } from '../logger.js';
import { jobFiles, jobTemps, outputNames, planInputsOf, planTransfersOf } from '../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../storage/paths.js';
import type { JobRepo } from './job.repo.js';
import { describeFailure, type JobRunner, type RunOutcome } from './job.runner.js';
import type { LiveJobs } from './live-jobs.js';
import type { LogBuffer } from './log-buffer.js';

/** How a run tells the rest of the service what happened. */
export interface RunNotifier {
  log(id: string, level: LogLine['level'], msg: string): void;
  updated(row: Job): void;
  queueChanged(): void;
  dto(row: Job): JobDto;
  /** Announced COMPLETED: what follows in the background (the series index) starts here. */
  completed(row: Job, history: HistorySource): void;
}

const now = () => new Date().toISOString();

export class JobExecution {
  constructor(
    private readonly repo: JobRepo,
    private readonly runner: JobRunner,
    private readonly paths: StoragePaths,
    private readonly logger: Logger,
    private readonly live: LiveJobs,
    private readonly logs: LogBuffer,
    private readonly overrides: OverrideSource | null,
    private readonly notify: RunNotifier,
  ) {}

  /**
   * The overrides the job applies: its snapshot (uploads/<id>.overrides.json) when it has one (a run again after
   * a restart applies what it started with), else those in force now, kept as its snapshot; none: no file.
   */
  private async overridesOf(row: Job): Promise<PlanOverrides | null> {
    if (!this.overrides) return null;
    const file = jobFiles(this.paths, row).overrides;
    let list = await readOverridesSnapshot(file);
    if (!list) {
      list = await this.overrides.inForce();
      if (list.length === 0) return null;
      const tmp = jobTemps.overrides(this.paths, row.id);
      const snapshot: OverridesSnapshot = { taken_at: now(), overrides: list };
      try {
        await fs.writeFile(tmp, JSON.stringify(snapshot), { flag: 'wx' });
        await fs.rename(tmp, file);
      } finally {
        await removeQuietly(tmp);
      }
    }
    return list.length ? planOverridesOf(list) : null;
  }

  /**
   * Expected run time of a job for a file of this size: the median seconds per byte of the last
   * completed jobs (or 2 s/MB before there are any), plus 2 s of fixed cost.
   */
  private async expectedSeconds(fileSize: number): Promise<number> {
    const rates = (await this.repo.recentCompleted(20))
      .filter((r) => r.started_at && r.completed_at && r.file_size > 0)
      .map((r) => Math.max(0, (Date.parse(r.completed_at!) - Date.parse(r.started_at!)) / 1000 - 2) / r.file_size)
      .sort((a, b) => a - b);
    const rate = rates.length ? rates[Math.floor(rates.length / 2)] : 2 / (1024 * 1024);
    return Math.round((2 + rate * fileSize) * 10) / 10;
  }

  async run(id: string): Promise<void> {
    const queued = await this.repo.find(id);
    if (!queued) return;
    const expected = await this.expectedSeconds(queued.file_size);
    // before the start: from the transition to runner.run nothing may await
    let overrides: PlanOverrides | null = null;
    try {
      overrides = await this.overridesOf(queued);
    } catch (err) {
      this.logger.error({ err, id }, 'could not read the overrides for a job');
      const started = await this.repo.transition(id, 'PROCESSING', { started_at: now() }, ['QUEUED']);
      if (started) await this.fail(id, `The job could not start: ${describeFailure(err)}.`);
      return;
    }
    const row = await this.repo.transition(
      id,
      'PROCESSING',
      { started_at: now(), stage: stageText({ code: 'starting' }), progress: 0, attempts: queued.attempts + 1 },
      ['QUEUED'],
    );
    if (!row) {
      // deleted while queued (its Delete may have gone before the snapshot came): no file of it stays
      if (overrides && !(await this.repo.find(id))) await removeQuietly(jobFiles(this.paths, queued).overrides);
      return; // stopped or deleted while queued
    }
    // From here to runner.run nothing awaits: a Stop racing this start finds the run registered.
    this.notify.queueChanged();
    this.live.start(id, row, this.notify.dto, expected);
    this.notify.updated(row);
    const files = jobFiles(this.paths, row);
    const { output: tmpFile, plan: planTmpFile } = jobTemps.run(this.paths, id);
    const parts = row.parts && files.parts ? { filePath: files.parts, originalName: row.parts.filename } : null;
    try {
      const outcome = await this.runner.run(
        {
          id,
          filePath: files.upload,
          originalName: row.filename,
          config: row.config,
          tmpFile,
          parts,
          planTmpFile,
          overrides,
        },
        {
          progress: (p) => this.live.progress(id, p),
          log: (level, msg) => this.notify.log(id, level, msg),
          prepared: (info) => this.live.prepared(id, info),
          heartbeat: () => this.live.heartbeat(id),
        },
      );
      this.live.end(id);
      if (outcome.kind === 'failed' && outcome.cause !== undefined)
        this.logger.error({ err: outcome.cause, id }, 'job failed in the forecast engine');
      if (outcome.kind === 'completed') await this.complete(row, outcome);
      else if (outcome.kind !== 'stopped')
        await this.fail(
          id,
          outcome.message,
          outcome.partitions,
          outcome.kind === 'input-error' ? outcome.code : undefined,
        );
      // 'stopped': whoever stopped it already recorded the final state.
    } catch (err) {
      // Whatever broke (disk, storage, a bug), the job must not stay PROCESSING.
      this.logger.error({ err, id }, 'job failed outside the engine');
      this.live.end(id);
      await Promise.all(
        [tmpFile, planTmpFile, planInputsOf(planTmpFile), planTransfersOf(planTmpFile)].map(removeQuietly),
      );
      await this.fail(id, `The job could not finish: ${describeFailure(err)}.`);
    }
  }

  private async complete(row: Job, outcome: Extract<RunOutcome, { kind: 'completed' }>): Promise<void> {
    const { id } = row;
    const names = outputNames(id);
    const files = jobFiles(this.paths, { ...row, ...names });
    const { output: outputPath, plan: planPath, planInputs: inputsPath } = files;
    const inputsTmp = planInputsOf(outcome.planTmpFile);
    const transfersTmp = planTransfersOf(outcome.planTmpFile);
    // the transfers between sites (absent when no stock moved, or transfers are off)
    await fs.rename(transfersTmp, files.planTransfers).catch(async (err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      await Promise.all([transfersTmp, inputsTmp, outcome.planTmpFile, outcome.tmpFile].map(removeQuietly));
      throw err;
    });
    // the plan's re-plan inputs (absent without an inventory fit: such a plan cannot be re-planned)
    await fs.rename(inputsTmp, inputsPath).catch(async (err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      await Promise.all([inputsTmp, outcome.planTmpFile, outcome.tmpFile].map(removeQuietly));
      throw err;
    });
    // the plan first: a job whose forecast is in outputs/ but whose plan is not would be COMPLETED without one
    await fs.rename(outcome.planTmpFile, planPath).catch(async (err: unknown) => {
      await Promise.all([
        removeQuietly(outcome.planTmpFile),
        removeQuietly(outcome.tmpFile),
        removeQuietly(inputsPath),
      ]);
      throw err;
    });
    await fs.rename(outcome.tmpFile, outputPath).catch(async (err: unknown) => {
      await Promise.all([removeQuietly(planPath), removeQuietly(outcome.tmpFile), removeQuietly(inputsPath)]);
      throw err;
    });
    const message = `Completed: ${outcome.outputRows} forecast rows in ${outcome.metrics.seconds.toFixed(1)} s`;
    const done = await this.repo.transition(
      id,
      'COMPLETED',
      {
        ...names,
        progress: 100,
        stage: stageText({ code: 'completed' }),
        completed_at: now(),
        rows: outcome.rows,
        metrics: outcome.metrics,
        partitions: outcome.partitions,
        log: this.logs.snapshot(id, { level: 'info', msg: message }),
      },
      ['PROCESSING'],
    );
    if (!done) {
      // stopped at the last moment: no output survives
      await Promise.all([outputPath, planPath, inputsPath].map(removeQuietly));
      return;
    }
    this.notify.log(id, 'info', message);
    this.notify.updated(done);
    // The series index is built after the announcement, not before: completion does not wait for it.
    this.notify.completed(done, outcome.history);
  }

  /**
   * Shutdown: a running job goes back to QUEUED for the next boot, this attempt not counted, and its
   * threads are stopped.
   */
  async requeue(id: string): Promise<void> {
    const row = await this.repo.find(id);
    await this.repo.transition(
      id,
      'QUEUED',
      {
        progress: 0,
        stage: stageText({ code: 'requeued_shutdown' }),
        started_at: null,
        attempts: Math.max(0, (row?.attempts ?? 1) - 1),
        log: this.logs.snapshot(id),
      },
      ['PROCESSING'],
    );
    this.live.end(id);
    await this.runner.stop(id, 'shutdown');
  }

  /** Ends a running job as FAILED with `message` (the watchdog's JOB_TIMEOUT); its threads are terminated. */
  async failRunning(id: string, message: string): Promise<boolean> {
    const released = this.runner.stop(id, 'timeout');
    this.live.end(id);
    const failed = await this.fail(id, message);
    await released;
    return failed;
  }

  /** `error`: the failure's code when one is known; the page words it, error_message keeps the English detail. */
  private async fail(
    id: string,
    message: string,
    partitions?: PartitionCounts,
    error?: Stage['error'],
  ): Promise<boolean> {
    const failed = await this.repo.transition(
      id,
      'FAILED',
      {
        error_message: message,
        stage: stageText({ code: 'failed', ...(error ? { error } : {}) }),
        completed_at: now(),
        ...(partitions ? { partitions } : {}),
        log: this.logs.snapshot(id, { level: 'error', msg: message }),
      },
      ['PROCESSING'],
    );
    if (!failed) return false;
    this.notify.log(id, 'error', message);
    this.notify.updated(failed);
    return true;
  }
}
