/**
 * A new job's admission: refused while shutting down, a queue slot reserved first (QUEUE_FULL), its files
 * moved into uploads/ and its QUEUED row written; on any failure the moved files go and the slot is freed.
 * The job then joins the queue in the same step as the slot is freed, so racing creates cannot overshoot.
 */
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { JobConfig, JobDto } from '../contract/dto.js';
import { AppError } from '../contract/errors.js';
import { stageText } from '../contract/stages.js';
import { jobFiles, partsName, uploadName } from '../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../storage/paths.js';
import { EMPTY_PARTITIONS, type Job, type JobOwner, type StoredParts } from './job.js';
import type { JobQueue } from './job-queue.js';
import type { JobRepo } from './job.repo.js';

export interface NewJob {
  /** A file already on disk under storage (it is moved into uploads/). */
  tmpPath: string;
  originalName: string;
  size: number;
  config: JobConfig;
  /** The name a person gave the job (already cleaned by jobNameSchema); null or absent: none. */
  name?: string | null;
  /** The optional parts file, also on disk under storage (moved into uploads/ next to the demand file). */
  parts?: { tmpPath: string; originalName: string; size: number } | null;
  /** Who asked for it (null with AUTH=off). */
  by?: JobOwner | null;
}

/** How the intake tells the service. */
export interface IntakeHooks {
  /** False once shutdown has begun: new jobs are refused with SHUTTING_DOWN. */
  accepting(): boolean;
  /** The row is written and the job has joined the queue: announce it and start what can run (synchronously). */
  queued(row: Job): JobDto;
}

const newId = () => randomBytes(8).toString('hex');

export class JobIntake {
  constructor(
    private readonly repo: JobRepo,
    private readonly queue: JobQueue,
    private readonly paths: StoragePaths,
    private readonly hooks: IntakeHooks,
  ) {}

  async create(job: NewJob): Promise<JobDto> {
    if (!this.hooks.accepting())
      throw new AppError(503, 'SHUTTING_DOWN', 'The server is shutting down; try again in a moment.');
    const owner = job.by?.id ?? '';
    const release = await this.queue.reserve(owner);
    const id = newId();
    const named = {
      id,
      upload_name: uploadName(id, job.originalName),
      parts: job.parts ? { name: partsName(id, job.parts.originalName) } : null,
      output_name: null,
      plan_name: null,
      actuals: null,
    };
    const files = jobFiles(this.paths, named);
    let parts: StoredParts | null = null;
    let row: Job;
    try {
      await fs.rename(job.tmpPath, files.upload);
      if (job.parts && named.parts && files.parts) {
        await fs.rename(job.parts.tmpPath, files.parts);
        parts = { name: named.parts.name, filename: job.parts.originalName, size: job.parts.size };
      }
      row = await this.repo.insert({
        id,
        filename: job.originalName,
        name: job.name ?? null,
        upload_name: named.upload_name,
        file_size: job.size,
        output_name: null,
        parts,
        plan_name: null,
        actuals: null,
        actuals_job: null,
        status: 'QUEUED',
        progress: 0,
        stopped_progress: null,
        stage: stageText({ code: 'queued' }),
        error_message: null,
        config: job.config,
        partitions: { ...EMPTY_PARTITIONS },
        rows: null,
        metrics: null,
        log: [],
        attempts: 0,
        created_at: new Date().toISOString(),
        started_at: null,
        completed_at: null,
        owner: job.by ?? null,
      });
    } catch (err) {
      await removeQuietly(files.upload);
      if (parts) await removeQuietly(files.parts);
      throw err;
    } finally {
      release();
    }
    this.queue.push(id, owner);
    return this.hooks.queued(row);
  }
}
