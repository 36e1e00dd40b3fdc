/**
 * The XLSX of a completed job's inventory plan: built once on the interactive pool (a worker thread: a
 * 50,000-row workbook is seconds of CPU that would stall every client's event loop), into tmp/ and renamed
 * next to the plan (storage/job-files.ts names it), then sent from there on every later download.
 * Lifecycle: Delete, Force Delete and retention remove it with the job's other files, boot keeps it for a
 * COMPLETED job and quarantines it otherwise (storage/job-files.ts), a half-written one stays in tmp/.
 * The workbook carries its plan's modification time: a plan rewritten since (a re-plan) gets a fresh one.
 */
import { promises as fs } from 'node:fs';
import { AppError } from '../../contract/errors.js';
import { INVENTORY_DEFAULTS } from '../../contract/defaults.js';
import type { PlanWorkbookJob } from '../../forecast/index.js';
import { jobFiles, jobTemps, type JobFileRow } from '../../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../../storage/paths.js';
import type { Job } from '../job.js';
import type { JobFeature } from '../job-feature.js';
import type { WorkerPool } from '../worker-pool.js';

const BUILD_TIMEOUT_MS = 300_000;

/** The "Job" sheet of the workbook: the job's files, settings (as its plan was made) and totals. */
export function workbookJobOf(job: Job): PlanWorkbookJob {
  const c = job.config;
  const inv = job.metrics?.inventory;
  return {
    id: job.id,
    filename: job.filename,
    parts_filename: job.parts?.filename ?? null,
    created_at: job.created_at,
    horizon: c.forecast_horizon,
    frequency: c.frequency ?? job.metrics?.frequency ?? null,
    service_level: inv?.service_level ?? c.service_level ?? INVENTORY_DEFAULTS.service_level,
    lead_time_days: c.lead_time_days ?? INVENTORY_DEFAULTS.lead_time_days,
    review_periods: c.review_periods ?? INVENTORY_DEFAULTS.review_periods,
    totals: inv
      ? {
          series: inv.series,
          stock_value: inv.stock_value,
          costed_series: inv.costed_series,
          parts_to_order: inv.parts_to_order,
          units_to_order: inv.units_to_order,
        }
      : null,
  };
}

const mtimeOf = async (file: string): Promise<number | null> => {
  const st = await fs.stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  return st ? Math.round(st.mtimeMs) : null;
};

const gone = () => new AppError(410, 'OUTPUT_MISSING', 'The inventory plan of this job is no longer on the server.');

export class PlanWorkbooks implements JobFeature {
  /** builds in flight, per job: concurrent downloads share one */
  private readonly building = new Map<string, Promise<string>>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly paths: StoragePaths,
  ) {}

  /** Delete: a build in flight cleans up after itself (the plan goes first, storage/job-files.ts). */
  forget(): void {}

  /** Shutdown: builds in flight end with the pool, destroyed after the service. */
  close(): void {}

  /**
   * The workbook of the job's plan, built first if it is missing or older than the plan; `sheet`: what its
   * "Job" sheet says (a re-plan, the only change to it, rewrites the plan too).
   */
  async file(job: JobFileRow, sheet: PlanWorkbookJob | null = null): Promise<string> {
    const jobId = job.id;
    const { plan: planFile, planWorkbook: xlsx } = jobFiles(this.paths, job);
    const planTime = await mtimeOf(planFile);
    if (planTime === null) throw gone();
    if ((await mtimeOf(xlsx)) === planTime) return xlsx;
    let p = this.building.get(jobId);
    if (!p) {
      p = this.build(planFile, xlsx, planTime, sheet).finally(() => this.building.delete(jobId));
      this.building.set(jobId, p);
    }
    return p;
  }

  private async build(planFile: string, xlsx: string, planTime: number, job: PlanWorkbookJob | null): Promise<string> {
    const tmp = jobTemps.planWorkbook(this.paths);
    try {
      await this.pool.call({ kind: 'plan-xlsx', planFile, outFile: tmp, job }, { timeoutMs: BUILD_TIMEOUT_MS });
      // stamped with the plan's time it was built from: a plan rewritten meanwhile is newer and rebuilt
      const t = new Date(planTime);
      await fs.utimes(tmp, t, t);
      await fs.rename(tmp, xlsx);
    } catch (err) {
      await removeQuietly(tmp);
      if ((await mtimeOf(planFile)) === null) throw gone();
      throw err;
    }
    // Deleted while building: Delete removes the plan before its workbook (storage/job-files.ts), so either
    // the plan is gone now (the workbook is ours to remove) or the workbook renamed above is removed after it.
    if ((await mtimeOf(planFile)) === null) {
      await removeQuietly(xlsx);
      throw gone();
    }
    return xlsx;
  }
}
