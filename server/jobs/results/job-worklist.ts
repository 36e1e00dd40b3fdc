/**
 * A completed job's exceptions worklist (worklist.ts builds it): from its plan rows (JobInventory's cache)
 * and its tracking rows (JobTracking, when it has actuals). A built list is kept as long as both inputs are
 * the same objects (a re-plan or new actuals give new ones, so nothing has to be forgotten). The workbook
 * download is written in a worker into tmp/ and removed once sent.
 */
import { promises as fs } from 'node:fs';
import { AppError } from '../../contract/errors.js';
import type { PlanRowDto } from '../../contract/inventory.js';
import { WORKLIST_COLUMNS, WORKLIST_HEADERS, type Lang, type WorklistRow } from '../../contract/worklist.js';
import { jobFiles, jobTemps } from '../../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../../storage/paths.js';
import type { Job } from '../job.js';
import type { JobFeature } from '../job-feature.js';
import type { JobService } from '../job.service.js';
import type { WorkerPool } from '../worker-pool.js';
import type { JobInventory } from './job-inventory.js';
import type { JobTracking } from './job-tracking.js';
import { buildWorklist, type Worklist } from './worklist.js';

const XLSX_TIMEOUT_MS = 120_000;
const NONE = {};

export class JobWorklist implements JobFeature {
  private readonly built = new WeakMap<object, WeakMap<object, Map<Lang, Worklist>>>();

  constructor(
    private readonly jobs: JobService,
    private readonly tracking: JobTracking,
    private readonly inventory: JobInventory,
    private readonly pool: WorkerPool,
    private readonly paths: StoragePaths,
  ) {}

  /** Delete: nothing to drop (built lists go with their inputs). */
  forget(): void {}

  close(): void {}

  /** The job's worklist in `lang`; 404 unknown job, 409 unless COMPLETED. */
  async list(id: string, lang: Lang): Promise<{ job: Job; list: Worklist }> {
    const job = await this.jobs.find(id);
    if (job.status !== 'COMPLETED')
      throw new AppError(
        409,
        'JOB_NOT_COMPLETED',
        `Job ${id} is ${job.status}; only a completed job has a plan to check.`,
      );
    const t = await this.tracking.tracked(id);
    let plan: PlanRowDto[] | null = null;
    if (job.plan_name) {
      const file = jobFiles(this.paths, job).plan;
      if (await exists(file)) plan = await this.inventory.rows(id, file);
    }
    let byTracking = this.built.get(plan ?? NONE);
    if (!byTracking) this.built.set(plan ?? NONE, (byTracking = new WeakMap()));
    let byLang = byTracking.get(t?.rows ?? NONE);
    if (!byLang) byTracking.set(t?.rows ?? NONE, (byLang = new Map()));
    let list = byLang.get(lang);
    if (!list) {
      list = buildWorklist({
        plan,
        tracking: t ? { rows: t.rows, periods: t.summary.periods.count } : null,
        frequency: t?.summary.frequency ?? job.metrics?.frequency ?? job.config.frequency ?? 'M',
        lang,
      });
      byLang.set(lang, list);
    }
    return { job, list };
  }

  /** The rows as a workbook in tmp/ (headers in `lang`); the caller sends it, then removes it. */
  async xlsx(id: string, rows: WorklistRow[], lang: Lang): Promise<string> {
    const tmp = jobTemps.worklist(this.paths, id);
    const money = '#,##0.00';
    const table = {
      sheet: lang === 'en' ? 'Exceptions' : 'Pengecualian',
      columns: WORKLIST_COLUMNS.map((key) => ({
        key,
        header: WORKLIST_HEADERS[lang][key],
        width: key === 'reason' ? 90 : key === 'partnumber' ? 18 : 14,
        numFmt: key === 'value' || key === 'unit_cost' ? money : undefined,
      })),
      rows: rows as unknown as Record<string, string | number | null>[],
    };
    try {
      await this.pool.call({ kind: 'table-xlsx', outFile: tmp, table }, { timeoutMs: XLSX_TIMEOUT_MS });
      return tmp;
    } catch (err) {
      await removeQuietly(tmp);
      throw err;
    }
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
