/**
 * The site codes of a job's uploaded file, for the rerun form's site list. Read once per job on the
 * interactive pool (the same preview a fresh upload gets, never on the event loop) and kept: an
 * upload never changes after the job is created.
 */
import type { JobConfig } from '../../contract/dto.js';
import { AppError, isErrorCode } from '../../contract/errors.js';
import type { JobFeature } from '../job-feature.js';
import { WorkerInputError, type WorkerPool } from '../worker-pool.js';

const SITES_TIMEOUT_MS = 120_000;
const KEEP = 32;

export class JobSites implements JobFeature {
  private readonly cache = new Map<string, Promise<string[]>>();

  constructor(private readonly pool: WorkerPool) {}

  /** Sorted site codes found in the upload (rows the engine excludes do not count). */
  sites(jobId: string, uploadFile: string, originalName: string, config: JobConfig): Promise<string[]> {
    let p = this.cache.get(jobId);
    if (!p) {
      p = this.read(uploadFile, originalName, config);
      this.cache.set(jobId, p);
      // A failed read is not kept: the next ask tries again.
      p.catch(() => this.cache.delete(jobId));
      if (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value!);
    }
    return p;
  }

  private async read(filePath: string, originalName: string, config: JobConfig): Promise<string[]> {
    const task = { kind: 'preview' as const, filePath, originalName, date_format: config.date_format };
    const r = await this.pool.call(task, { timeoutMs: SITES_TIMEOUT_MS }).catch((err: unknown) => {
      if (err instanceof WorkerInputError)
        throw new AppError(409, isErrorCode(err.code) ? err.code : 'INVALID_INPUT', err.message);
      throw err;
    });
    return [...r.preview.sites].sort();
  }

  /** Drops a deleted job's sites. */
  forget(jobId: string): void {
    this.cache.delete(jobId);
  }

  close(): void {
    this.cache.clear();
  }
}
