/**
 * A completed job's tracking: its forecast and plan held against what happened, in a worker
 * (forecast/tracking/), the figures and per-series rows kept in a cache file next to its outputs.
 *
 * The actuals come from one of two sources, a file sent for the job winning over a later job:
 * - a file sent (POST /api/jobs/:id/actuals): tracked first; only when that succeeds is it renamed into
 *   uploads/, the figures into outputs/, and the row told; a refusal (InputError: no date after the origin,
 *   no series of the job, missing columns …) is a 400 and leaves no file. A planner's explicit file wins.
 * - a later job: when a job completes, each earlier COMPLETED job of the same frequency whose history ends
 *   before the new job's data does is tracked against the new job's upload (in a worker, one at a time, in the
 *   background); where that succeeds (the upload has demand in the earlier job's forecast window and shares
 *   series with it) the new job becomes its source (the row's actuals_job), unless a newer one already is.
 *   Deleting the source job: each job it judged is tracked again against the next newest later job that
 *   covers it, or falls back to the empty state when there is none.
 *
 * One piece of work per job at a time (TRACKING_BUSY for a file sent meanwhile). Delete cancels work on the
 * job, and work reading its upload for another job, and waits for it; since Delete reads the job's files
 * before the row is gone, forget() also removes every name the job's actuals could have had. A missing cache
 * (an older release, a lost file) is computed again on the next read.
 */
import type { FvaRequest } from '../../forecast/index.js';
import { readOverridesSnapshot } from '../override-source.js';
import { promises as fs } from 'node:fs';
import { AppError, isErrorCode } from '../../contract/errors.js';
import {
  trackingSummarySchema,
  type TrackingDto,
  type TrackingRow,
  type TrackingSourceDto,
  type TrackingSummary,
} from '../../contract/tracking.js';
import type { Logger } from '../../logger.js';
import { jobFiles, jobTemps, actualsName, possibleActualsFiles } from '../../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../../storage/paths.js';
import type { Job, StoredActuals } from '../job.js';
import type { JobFeature } from '../job-feature.js';
import type { JobRepo } from '../job.repo.js';
import type { JobService } from '../job.service.js';
import { warmTrackingRows } from './tracking-query.js';
import { WorkerInputError, WorkerTimeoutError, type WorkerPool } from '../worker-pool.js';

/** Far above a 1M-row job's tracking (seconds): a task stuck longer is cancelled. */
const TIMEOUT_MS = 5 * 60_000;
/**
 * Jobs whose tracking rows are kept in memory (the /tracking/rows and worklist pages): few, since a 1M-row
 * job's 140,000 rows carry each period's forecast and actual (some 150 MB).
 */
const CACHED_JOBS = 3;
/** The cache's `source` for a file sent for the job (else the later job's id). */
const FILE_SOURCE = 'file';

interface Running {
  ctl: AbortController;
  /** Settles (never rejects) once the work has ended and its temp files are gone. */
  done: Promise<unknown>;
  /** the later job whose upload the work reads */
  source?: string;
}

/** An actuals file received in tmp/. */
export interface ActualsUpload {
  tmpPath: string;
  originalName: string;
  size: number;
}

/** A job's tracking as computed: the figures, the periods' labels, one row per series. */
export interface TrackedJob {
  job: Job;
  source: TrackingSourceDto;
  summary: TrackingSummary;
  labels: string[];
  rows: TrackingRow[];
}

interface Cached {
  source: string;
  summary: TrackingSummary;
  labels: string[];
  rows: TrackingRow[];
}

/** Where a job's tracking comes from now: the file sent, a later job, or none. */
interface Source {
  /** FILE_SOURCE or the later job's id */
  key: string;
  actualsFile: string;
  actualsName: string;
  cacheFile: string;
  dto: TrackingSourceDto;
}

export class JobTracking implements JobFeature {
  private readonly running = new Map<string, Running>();
  private readonly recomputing = new Map<string, Promise<Cached>>();
  /** per job: the cache file and source its rows were read from */
  private readonly loaded = new Map<string, { file: string; key: string; data: Promise<Cached> }>();
  /** the later-job searches, one after another */
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly jobs: JobService,
    private readonly repo: JobRepo,
    private readonly pool: WorkerPool,
    private readonly paths: StoragePaths,
    private readonly logger?: Logger,
  ) {}

  /** Tracks job `id` against the actuals file and keeps both; the tracking. The temp file is always gone after. */
  attach(id: string, upload: ActualsUpload): Promise<TrackingDto> {
    // the temp file goes whatever happens (renamed away on success); also when refused as busy
    return this.exclusive(id, (signal) => this.store(id, upload, signal)).finally(() => removeQuietly(upload.tmpPath));
  }

  /** Removes the job's actuals file and its tracking (nothing to remove is fine); a later job's stays. */
  detach(id: string): Promise<void> {
    return this.exclusive(id, async () => {
      const job = await this.completedJob(id);
      if (!job.actuals) return;
      const files = jobFiles(this.paths, job);
      if (!(await this.repo.setActuals(id, null))) throw gone(id);
      this.loaded.delete(id);
      await Promise.all([files.tracking, files.actuals].map(removeQuietly));
      this.announce(id);
    });
  }

  /**
   * The job's tracking: `none` until actuals exist; computed again when its cache is missing. Actuals being
   * sent or removed are waited for (the answer is theirs); a computation in flight is shared.
   */
  async get(id: string): Promise<TrackingDto> {
    const t = await this.tracked(id);
    if (!t) return { state: 'none', job_id: id };
    return { state: 'ready', job_id: id, source: t.source, ...t.summary };
  }

  /** The job's tracking with its rows; null when it has no actuals (JOB_NOT_FOUND when there is no job). */
  async tracked(id: string): Promise<TrackedJob | null> {
    await this.running.get(id)?.done;
    const job = await this.jobs.find(id);
    const src = await this.sourceOf(job);
    if (!src) return null;
    const c = await this.load(job, src);
    return { job, source: src.dto, summary: c.summary, labels: c.labels, rows: c.rows };
  }

  /** The source in force: the file sent, else the later job when it is still there and COMPLETED. */
  private async sourceOf(job: Job): Promise<Source | null> {
    if (job.status !== 'COMPLETED') return null;
    const files = jobFiles(this.paths, job);
    if (job.actuals)
      return {
        key: FILE_SOURCE,
        actualsFile: files.actuals!,
        actualsName: job.actuals.filename,
        cacheFile: files.tracking!,
        dto: { kind: 'file', filename: job.actuals.filename, uploaded_at: job.actuals.uploaded_at },
      };
    if (!job.actuals_job) return null;
    const later = await this.repo.find(job.actuals_job);
    // being deleted: its Delete moves this job on to the next source
    if (!later || later.status !== 'COMPLETED') return null;
    return this.laterSource(job, later);
  }

  private laterSource(job: Job, later: Job): Source {
    return {
      key: later.id,
      actualsFile: jobFiles(this.paths, later).upload,
      actualsName: later.filename,
      cacheFile: jobFiles(this.paths, job).laterTracking,
      dto: {
        kind: 'job',
        job_id: later.id,
        filename: later.filename,
        name: later.name,
        completed_at: later.completed_at,
      },
    };
  }

  /** The cached figures and rows of `src`: from memory, else its cache file, else computed again. */
  private async load(job: Job, src: Source): Promise<Cached> {
    const hit = this.loaded.get(job.id);
    // a cache file lost meanwhile is made again, as when nothing was in memory
    if (hit && hit.file === src.cacheFile && hit.key === src.key && (await exists(src.cacheFile))) {
      // most recently used last
      this.loaded.delete(job.id);
      this.loaded.set(job.id, hit);
      return hit.data;
    }
    const data = (async () => (await readCache(src.cacheFile, src.key)) ?? (await this.recompute(job, src)))();
    this.remember(job.id, src, data);
    return data;
  }

  private remember(id: string, src: Pick<Source, 'cacheFile' | 'key'>, data: Promise<Cached>): void {
    const entry = { file: src.cacheFile, key: src.key, data };
    this.loaded.delete(id);
    this.loaded.set(id, entry);
    // a failed read is not kept: the next request tries again; rows read are put in order for the first page
    data.then(
      (c) => setImmediate(() => this.loaded.get(id) === entry && warmTrackingRows(c.rows)),
      () => this.loaded.get(id) === entry && this.loaded.delete(id),
    );
    while (this.loaded.size > CACHED_JOBS) this.loaded.delete(this.loaded.keys().next().value!);
  }

  /** The figures of a job whose cache is missing, computed and cached again (one computation per job). */
  private recompute(job: Job, src: Source): Promise<Cached> {
    const id = job.id;
    const shared = this.recomputing.get(id);
    if (shared) return shared;
    const p = this.exclusive(
      id,
      (signal) => this.computeInto(job, src, src.cacheFile, signal),
      src.key === FILE_SOURCE ? undefined : src.key,
    ).finally(() => this.recomputing.delete(id));
    this.recomputing.set(id, p);
    return p;
  }

  /** Computes the tracking of `job` against `src` into a temp file, renamed to `cacheFile` when whole. */
  private async computeInto(job: Job, src: Source, cacheFile: string, signal: AbortSignal): Promise<Cached> {
    const tmp = jobTemps.tracking(this.paths, job.id);
    try {
      const c = await this.compute(job, src.actualsFile, src.actualsName, signal, tmp, src.key);
      if (signal.aborted) throw gone(job.id);
      await fs.rename(tmp, cacheFile);
      return c;
    } finally {
      await removeQuietly(tmp);
    }
  }

  // ---- a later job as the source -----------------------------------------------------------------

  /** A job completed: it may be the actuals of earlier ones (searched in the background). */
  completed(job: Job): void {
    this.background(() => this.judgeEarlier(job.id));
  }

  private background(work: () => Promise<void>): void {
    if (this.closed) return;
    this.chain = this.chain
      .then(() => (this.closed ? undefined : work()))
      .catch((err: unknown) => this.logger?.warn({ err }, 'tracking against a later job failed'));
  }

  /** Every earlier job `laterId` may judge, tracked against its upload where it is newer than their source. */
  private async judgeEarlier(laterId: string): Promise<void> {
    const later = await this.repo.find(laterId);
    if (!later || later.status !== 'COMPLETED') return;
    for (const job of await this.repo.completed()) {
      if (this.closed) return;
      if (!covers(later, job)) continue;
      if (job.actuals_job) {
        const current = await this.repo.find(job.actuals_job);
        if (current && current.seq > later.seq) continue;
      }
      await this.tryLater(job.id, later);
    }
  }

  /** A job whose source was deleted: the next newest later job that covers it, or none. */
  private async judgeAgain(id: string): Promise<void> {
    const job = await this.repo.find(id);
    if (!job || job.status !== 'COMPLETED' || job.actuals_job) return;
    for (const later of await this.repo.completed()) {
      if (this.closed) return;
      if (covers(later, job) && (await this.tryLater(id, later))) return;
    }
  }

  /**
   * Tracks job `id` against `later`'s upload; on success `later` becomes its source (when the row's source has
   * not changed meanwhile). Whether it did. A refusal (no demand in the window, no common series) is no source.
   */
  private async tryLater(id: string, later: Job): Promise<boolean> {
    for (;;) {
      const busy = this.running.get(id);
      if (!busy) break;
      await busy.done;
    }
    if (this.closed) return false;
    try {
      return await this.exclusive(
        id,
        async (signal) => {
          const job = await this.repo.find(id);
          if (!job || job.status !== 'COMPLETED') return false;
          const src = this.laterSource(job, later);
          const c = await this.computeInto(job, src, src.cacheFile, signal);
          if (signal.aborted || !(await this.repo.setActualsJob(id, later.id, job.actuals_job))) {
            // deleted, or another source recorded meanwhile: this cache is not the row's
            await removeQuietly(src.cacheFile);
            return false;
          }
          this.remember(id, src, Promise.resolve(c));
          this.announce(id);
          return true;
        },
        later.id,
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500)
        this.logger?.warn({ err, id, later: later.id }, 'tracking against a later job failed');
      return false;
    }
  }

  async forget(id: string): Promise<void> {
    // work on the job, and work reading its upload for another job
    const mine = [...this.running].filter(([k, r]) => k === id || r.source === id).map(([, r]) => r);
    for (const r of mine) r.ctl.abort();
    await Promise.all(mine.map((r) => r.done));
    this.loaded.delete(id);
    // the row is gone: whatever name its actuals had, none may outlive it
    await Promise.all(possibleActualsFiles(this.paths, id).map(removeQuietly));
    // the jobs it judged: their tracking moves on to the next later job, or to none
    for (const job of await this.repo.trackedBy(id)) {
      if (!(await this.repo.setActualsJob(job.id, null, id))) continue;
      this.loaded.delete(job.id);
      await removeQuietly(jobFiles(this.paths, job).laterTracking);
      this.announce(job.id);
      this.background(() => this.judgeAgain(job.id));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.running.values()) r.ctl.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
    await this.chain;
    this.loaded.clear();
  }

  /** One piece of work per job at a time (TRACKING_BUSY otherwise), cancellable by forget(). */
  private exclusive<T>(id: string, work: (signal: AbortSignal) => Promise<T>, source?: string): Promise<T> {
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
    this.running.set(id, { ctl, done: p.catch(() => undefined), source });
    return p;
  }

  private async store(id: string, upload: ActualsUpload, signal: AbortSignal): Promise<TrackingDto> {
    const job = await this.completedJob(id);
    const actuals: StoredActuals = {
      name: actualsName(id, upload.originalName),
      filename: upload.originalName,
      size: upload.size,
      uploaded_at: new Date().toISOString(),
    };
    const files = jobFiles(this.paths, { ...job, actuals });
    const tmp = jobTemps.tracking(this.paths, id);
    let c: Cached;
    try {
      c = await this.compute(job, upload.tmpPath, upload.originalName, signal, tmp, FILE_SOURCE);
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
    const source: TrackingSourceDto = { kind: 'file', filename: actuals.filename, uploaded_at: actuals.uploaded_at };
    this.remember(id, { key: FILE_SOURCE, cacheFile: files.tracking! }, Promise.resolve(c));
    this.announce(id);
    return { state: 'ready', job_id: id, source, ...c.summary };
  }

  /** The tracking of `job` against an actuals file, in a worker (which writes the cache to outFile); 400s. */
  private async compute(
    job: Job,
    actualsFile: string,
    name: string,
    signal: AbortSignal,
    outFile: string,
    source: string,
  ): Promise<Cached> {
    const files = jobFiles(this.paths, job);
    const request = {
      history: { uploadFile: files.upload, originalName: job.filename, config: job.config },
      outputFile: files.output,
      planFile: job.plan_name ? files.plan : null,
      actualsFile,
      actualsName: name,
      rows: true,
    };
    for (const f of [files.upload, files.output])
      if (!(await exists(f)))
        throw new AppError(410, 'OUTPUT_MISSING', 'A file this job was made from is no longer on the server.');
    if (!(await exists(actualsFile)))
      throw new AppError(410, 'OUTPUT_MISSING', 'The actuals of this job are no longer on the server.');
    if (request.planFile && !(await exists(request.planFile))) request.planFile = null;
    const fva = await this.fvaOf(files);
    const r = await this.pool
      .call({ kind: 'track', request, fva, outFile, source }, { timeoutMs: TIMEOUT_MS, signal })
      .catch((err) => {
        if (signal.aborted) throw gone(job.id);
        if (err instanceof WorkerTimeoutError)
          throw new AppError(500, 'INTERNAL', 'Reading the actuals took too long and was stopped.');
        if (err instanceof WorkerInputError)
          throw new AppError(400, isErrorCode(err.code) ? err.code : 'INVALID_INPUT', err.message);
        throw err;
      });
    return { source, summary: r.summary, labels: r.labels, rows: r.rows ?? [] };
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

/**
 * Whether `later` may hold actuals for `job`: another completed job on the same calendar whose data runs past
 * the end of job's history (the worker then says whether it reaches the forecast window and shares series).
 */
function covers(later: Job, job: Job): boolean {
  if (later.id === job.id) return false;
  const a = later.metrics,
    b = job.metrics;
  if (!a?.history_range || !b?.history_range || a.frequency !== b.frequency) return false;
  return a.history_range.last > b.history_range.last;
}

const gone = (id: string) => new AppError(404, 'JOB_NOT_FOUND', `Job ${id} was deleted while its actuals were read.`);

/** The cached figures and rows of `source`; null when missing, unreadable or of another source. */
async function readCache(file: string, source: string): Promise<Cached | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const o = JSON.parse(text) as Partial<Cached>;
    if (o.source !== source || !Array.isArray(o.rows) || !Array.isArray(o.labels)) return null;
    const r = trackingSummarySchema.safeParse(o.summary);
    return r.success ? { source, summary: r.data, labels: o.labels, rows: o.rows } : null;
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
