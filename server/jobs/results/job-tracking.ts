/**
 * A completed job's tracking: the actuals sent for it (POST /api/jobs/:id/actuals) held against its forecast
 * and plan in a worker (forecast/tracking/), the figures kept in a cache file next to its outputs.
 *
 * Sending actuals: the file (already in tmp/) is tracked first; only when that succeeds is it renamed into
 * uploads/, the figures into outputs/, and the row told; a refusal (InputError: no date after the origin,
 * no series of the job, missing columns …) is a 400 and leaves no file. One at a time per job
 * (TRACKING_BUSY). Delete cancels one in flight and waits for it; since Delete reads the job's files
 * before the row is gone, forget() also removes every name the job's actuals could have had.
 * A missing cache (an older release, a lost file) is computed again on the next read.
 */
import type { FvaRequest } from '../../forecast/index.js';
import { readOverridesSnapshot } from '../override-source.js';
import { promises as fs } from 'node:fs';
import { AppError, isErrorCode } from '../../contract/errors.js';
import { trackingSummarySchema, type TrackingDto, type TrackingSummary } from '../../contract/tracking.js';
import { jobFiles, jobTemps, actualsName, possibleActualsFiles } from '../../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../../storage/paths.js';
import type { Job, StoredActuals } from '../job.js';
import type { JobFeature } from '../job-feature.js';
import type { JobRepo } from '../job.repo.js';
import type { JobService } from '../job.service.js';
import { WorkerInputError, WorkerTimeoutError, type WorkerPool } from '../worker-pool.js';

/** Far above a 1M-row job's tracking (seconds): a task stuck longer is cancelled. */
const TIMEOUT_MS = 5 * 60_000;

interface Running {
  ctl: AbortController;
  /** Settles (never rejects) once the work has ended and its temp files are gone. */
  done: Promise<unknown>;
}

/** An actuals file received in tmp/. */
export interface ActualsUpload {
  tmpPath: string;
  originalName: string;
  size: number;
}

export class JobTracking implements JobFeature {
  private readonly running = new Map<string, Running>();
  private readonly recomputing = new Map<string, Promise<TrackingSummary>>();

  constructor(
    private readonly jobs: JobService,
    private readonly repo: JobRepo,
    private readonly pool: WorkerPool,
    private readonly paths: StoragePaths,
  ) {}

  /** Tracks job `id` against the actuals file and keeps both; the tracking. The temp file is always gone after. */
  attach(id: string, upload: ActualsUpload): Promise<TrackingDto> {
    // the temp file goes whatever happens (renamed away on success); also when refused as busy
    return this.exclusive(id, (signal) => this.store(id, upload, signal)).finally(() => removeQuietly(upload.tmpPath));
  }

  /** Removes the job's actuals and tracking (nothing to remove is fine). */
  detach(id: string): Promise<void> {
    return this.exclusive(id, async () => {
      const job = await this.completedJob(id);
      if (!job.actuals) return;
      const files = jobFiles(this.paths, job);
      if (!(await this.repo.setActuals(id, null))) throw gone(id);
      await Promise.all([files.tracking, files.actuals].map(removeQuietly));
      this.announce(id);
    });
  }

  /**
   * The job's tracking: `none` until actuals were sent; computed again when its cache is missing. Actuals being
   * sent or removed are waited for (the answer is theirs); a computation in flight is shared.
   */
  async get(id: string): Promise<TrackingDto> {
    await this.running.get(id)?.done;
    const job = await this.jobs.find(id);
    if (!job.actuals) return { state: 'none', job_id: id };
    const files = jobFiles(this.paths, job);
    const summary = (await readCache(files.tracking!)) ?? (await this.recompute(job));
    return dtoOf(job, job.actuals, summary);
  }

  /** The figures of a job whose cache is missing, computed and cached again (one computation per job). */
  private recompute(job: Job): Promise<TrackingSummary> {
    const id = job.id;
    const shared = this.recomputing.get(id);
    if (shared) return shared;
    const files = jobFiles(this.paths, job);
    const p = this.exclusive(id, async (signal) => {
      const tmp = jobTemps.tracking(this.paths, id);
      try {
        const s = await this.compute(job, files.actuals!, job.actuals!.filename, signal);
        await fs.writeFile(tmp, JSON.stringify(s));
        if (signal.aborted) throw gone(id);
        await fs.rename(tmp, files.tracking!);
        return s;
      } finally {
        await removeQuietly(tmp);
      }
    }).finally(() => this.recomputing.delete(id));
    this.recomputing.set(id, p);
    return p;
  }

  async forget(id: string): Promise<void> {
    const r = this.running.get(id);
    r?.ctl.abort();
    await r?.done;
    // the row is gone: whatever name its actuals had, none may outlive it
    await Promise.all(possibleActualsFiles(this.paths, id).map(removeQuietly));
  }

  async close(): Promise<void> {
    for (const r of this.running.values()) r.ctl.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** One piece of work per job at a time (TRACKING_BUSY otherwise), cancellable by forget(). */
  private exclusive<T>(id: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.running.has(id))
      return Promise.reject(
        new AppError(409, 'TRACKING_BUSY', 'The actuals of this job are being read right now; try again in a moment.'),
      );
    const ctl = new AbortController();
    const p = (async () => {
      try {
        return await work(ctl.signal);
      } finally {
        if (this.running.get(id)?.ctl === ctl) this.running.delete(id);
      }
    })();
    this.running.set(id, { ctl, done: p.catch(() => undefined) });
    return p;
  }

  private async store(id: string, upload: ActualsUpload, signal: AbortSignal): Promise<TrackingDto> {
    const job = await this.completedJob(id);
    const summary = await this.compute(job, upload.tmpPath, upload.originalName, signal);
    const actuals: StoredActuals = {
      name: actualsName(id, upload.originalName),
      filename: upload.originalName,
      size: upload.size,
      uploaded_at: new Date().toISOString(),
    };
    const files = jobFiles(this.paths, { ...job, actuals });
    const tmp = jobTemps.tracking(this.paths, id);
    try {
      await fs.writeFile(tmp, JSON.stringify(summary));
      if (signal.aborted) throw gone(id);
      await fs.rename(upload.tmpPath, files.actuals!);
      await fs.rename(tmp, files.tracking!);
    } finally {
      await removeQuietly(tmp);
    }
    const set = signal.aborted ? null : await this.repo.setActuals(id, actuals);
    if (!set) {
      // deleted meanwhile (its Delete waits for us): take the files with it
      await Promise.all([files.actuals!, files.tracking!].map(removeQuietly));
      throw gone(id);
    }
    // actuals sent before under another extension: their files go
    const before = set.before.actuals;
    if (before && before.name !== actuals.name) {
      const old = jobFiles(this.paths, set.before);
      await Promise.all([old.actuals, old.tracking].map(removeQuietly));
    }
    this.announce(id);
    return dtoOf(job, actuals, summary);
  }

  /** The tracking of `job` against an actuals file, in a worker; InputError → 400. */
  private async compute(job: Job, actualsFile: string, name: string, signal: AbortSignal): Promise<TrackingSummary> {
    const files = jobFiles(this.paths, job);
    const request = {
      history: { uploadFile: files.upload, originalName: job.filename, config: job.config },
      outputFile: files.output,
      planFile: job.plan_name ? files.plan : null,
      actualsFile,
      actualsName: name,
    };
    for (const f of [files.upload, files.output])
      if (!(await exists(f)))
        throw new AppError(410, 'OUTPUT_MISSING', 'A file this job was made from is no longer on the server.');
    if (request.planFile && !(await exists(request.planFile))) request.planFile = null;
    const fva = await this.fvaOf(files);
    const r = await this.pool.call({ kind: 'track', request, fva }, { timeoutMs: TIMEOUT_MS, signal }).catch((err) => {
      if (signal.aborted) throw gone(job.id);
      if (err instanceof WorkerTimeoutError)
        throw new AppError(500, 'INTERNAL', 'Reading the actuals took too long and was stopped.');
      if (err instanceof WorkerInputError)
        throw new AppError(400, isErrorCode(err.code) ? err.code : 'INVALID_INPUT', err.message);
      throw err;
    });
    return r.summary;
  }

  /** The job's forecast overrides and the system forecast they replaced (its re-plan inputs); null: none. */
  private async fvaOf(files: ReturnType<typeof jobFiles>): Promise<FvaRequest | null> {
    const applied = await readOverridesSnapshot(files.overrides);
    const overrides = (applied ?? []).filter((o) => o.kind === 'forecast_per_period');
    if (!overrides.length || !(await exists(files.planInputs))) return null;
    return { inputsFile: files.planInputs, overrides };
  }

  /** The job, when it is COMPLETED (only a finished forecast can be held against actuals). */
  private async completedJob(id: string): Promise<Job> {
    const job = await this.jobs.find(id);
    if (job.status !== 'COMPLETED')
      throw new AppError(
        409,
        'JOB_NOT_COMPLETED',
        `Job ${id} is ${job.status}; actuals can be sent only for a completed job's forecast.`,
      );
    return job;
  }

  /** Other pages of the job hear of it. */
  private announce(id: string): void {
    this.jobs
      .get(id)
      .then((dto) => this.jobs.events.emit('updated', dto))
      .catch(() => undefined); // deleted meanwhile: its Delete is announced instead
  }
}

const gone = (id: string) => new AppError(404, 'JOB_NOT_FOUND', `Job ${id} was deleted while its actuals were read.`);

function dtoOf(job: Job, actuals: StoredActuals, summary: TrackingSummary): TrackingDto {
  return {
    state: 'ready',
    job_id: job.id,
    source: { kind: 'file', filename: actuals.filename, uploaded_at: actuals.uploaded_at },
    ...summary,
  };
}

/** The cached figures; null when missing or unreadable (computed again). */
async function readCache(file: string): Promise<TrackingSummary | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const r = trackingSummarySchema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
