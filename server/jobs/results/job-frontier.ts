/**
 * The frontier of a service-level plan, made outside the job: a job whose plan sets each part's stock at
 * its service level does not pay for the allocation's walk (a re-plan worker task over every series) in its
 * run. Once the job is announced COMPLETED, or on its first GET .../inventory/summary (which does not wait
 * for it: frontier_state 'pending') or .../inventory/frontier (which does) if that comes first,
 * a plan with unit costs gets that task on the interactive pool (inventory/allocate.ts: the uniform curve,
 * the allocation's frontier and the plan's own point), and the answer is kept next to the plan
 * (storage/job-files.ts names it), stamped with the plan's modification time; later summaries read it. A
 * budget or fill-rate plan, and any re-plan, carry their allocation in the job's metrics already.
 * Concurrent requests share one task. Lifecycle as the plan workbook's (plan-workbooks.ts): Delete removes
 * the plan before this file, so a task that finishes after the plan went removes what it wrote; boot keeps
 * it for a COMPLETED job.
 */
import { promises as fs } from 'node:fs';
import type { PlanAllocationMetrics } from '../../contract/dto.js';
import { INVENTORY_DEFAULTS } from '../../contract/defaults.js';
import { allocationMetrics, type PlanSpec } from '../../forecast/index.js';
import { jobFiles, jobTemps } from '../../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../../storage/paths.js';
import type { Job } from '../job.js';
import type { JobFeature } from '../job-feature.js';
import { WorkerInputError, type WorkerPool } from '../worker-pool.js';

const TIMEOUT_MS = 5 * 60_000;
const SPEC: PlanSpec = { mode: 'service_level' };

interface Stored {
  plan_mtime: number;
  allocation: PlanAllocationMetrics;
}

const mtimeOf = async (file: string): Promise<number | null> => {
  const st = await fs.stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  return st ? Math.round(st.mtimeMs) : null;
};

export class JobFrontier implements JobFeature {
  /** tasks in flight, per job */
  private readonly making = new Map<string, Promise<PlanAllocationMetrics | null>>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly paths: StoragePaths,
  ) {}

  /** Delete: a task in flight removes its file itself once the plan is gone (see the header). */
  forget(): void {}

  /** Shutdown: tasks in flight end with the pool. */
  close(): void {}

  /** A job completed: its frontier is made in the background, so its first summary need not wait for it. */
  completed(job: Job): void {
    // a failure here is the summary's to meet again (and say); nothing waits on this one
    this.allocation(job).catch(() => undefined);
  }

  /**
   * What the plan's allocation says (the frontier, the uniform curve, the plan's point): from the job's
   * metrics when they carry it, else made (once) for a service-level plan with unit costs; null without
   * costs, on a plan made before re-plan inputs were kept, or when those inputs cannot be read.
   */
  async allocation(job: Job): Promise<PlanAllocationMetrics | null> {
    const p = await this.peek(job);
    return p.state === 'pending' ? p.making : p.allocation;
  }

  /**
   * The same without waiting for it to be made (the summary's view): 'ready' with what is known now (null:
   * none to have), or 'pending' with the task making it, started here when none is in flight.
   */
  async peek(
    job: Job,
  ): Promise<
    | { state: 'ready'; allocation: PlanAllocationMetrics | null }
    | { state: 'pending'; making: Promise<PlanAllocationMetrics | null> }
  > {
    const none = { state: 'ready', allocation: null } as const;
    const inv = job.metrics?.inventory;
    if (!inv) return none;
    if (inv.allocation) return { state: 'ready', allocation: inv.allocation };
    if (inv.costed_series === 0 || !job.plan_name) return none;
    const { plan, planInputs, planFrontier } = jobFiles(this.paths, job);
    const planTime = await mtimeOf(plan);
    if (planTime === null || (await mtimeOf(planInputs)) === null) return none;
    const stored = await fs
      .readFile(planFrontier, 'utf8')
      .then((t) => JSON.parse(t) as Stored)
      .catch(() => null);
    if (stored && stored.plan_mtime === planTime) return { state: 'ready', allocation: stored.allocation };
    let p = this.making.get(job.id);
    if (!p) {
      p = this.make(job, plan, planInputs, planFrontier, planTime).finally(() => this.making.delete(job.id));
      this.making.set(job.id, p);
      // the caller may not wait for it: a failure is the next asker's to meet again
      p.catch(() => undefined);
    }
    return { state: 'pending', making: p };
  }

  private async make(
    job: Job,
    plan: string,
    inputsFile: string,
    out: string,
    planTime: number,
  ): Promise<PlanAllocationMetrics | null> {
    const c = job.config;
    const defaults = {
      service_level: c.service_level ?? INVENTORY_DEFAULTS.service_level,
      lead_time_days: c.lead_time_days ?? INVENTORY_DEFAULTS.lead_time_days,
      review_periods: c.review_periods ?? INVENTORY_DEFAULTS.review_periods,
    };
    const request = { inputsFile, planFile: null, defaults, spec: SPEC };
    const r = await this.pool.call({ kind: 'replan', request }, { timeoutMs: TIMEOUT_MS }).catch((err: unknown) => {
      // damaged or vanished inputs: the summary goes without a frontier rather than fail
      if (err instanceof WorkerInputError) return null;
      throw err;
    });
    if (!r) return null;
    const allocation = allocationMetrics(r.result, SPEC);
    const tmp = jobTemps.planFrontier(this.paths);
    try {
      await fs.writeFile(tmp, JSON.stringify({ plan_mtime: planTime, allocation } satisfies Stored), { mode: 0o600 });
      await fs.rename(tmp, out);
    } catch (err) {
      await removeQuietly(tmp);
      throw err;
    }
    // Deleted meanwhile: the plan goes first, so either it is gone now (the file is ours to remove) or the
    // file renamed above is removed after it.
    if ((await mtimeOf(plan)) === null) {
      await removeQuietly(out);
      return null;
    }
    return allocation;
  }
}
