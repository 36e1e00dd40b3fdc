/**
 * The site codes of a job's uploaded file, for the rerun form's site list. Read once per job on the
 * interactive pool (the same preview a fresh upload gets, never on the event loop) and kept: an
 * upload never changes after the job is created.
 */
import type { JobConfig } from '../contract/dto.js';
import { AppError, isErrorCode } from '../contract/errors.js';
import type { WorkerPool } from './worker-pool.js';

const SITES_TIMEOUT_MS = 120_000;
const KEEP = 32;

export class JobSites {
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
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), SITES_TIMEOUT_MS);
    try {
      const task = { kind: 'preview' as const, filePath, originalName, date_format: config.date_format };
      const r = await this.pool.run(task, ctl.signal, () => undefined).result;
      if (r.kind === 'input-error') throw new AppError(409, isErrorCode(r.code) ? r.code : 'INVALID_INPUT', r.message);
      if (r.kind !== 'preview') throw new Error(`unexpected worker answer ${r.kind}`);
      return [...r.preview.sites].sort();
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops a deleted job's sites. */
  forget(jobId: string): void {
    this.cache.delete(jobId);
  }
}
