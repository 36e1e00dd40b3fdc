/**
 * Re-plans a COMPLETED job's inventory plan at other job-wide settings (service level, lead time, review
 * periods) without running the forecast again: a worker reads the plan's re-plan inputs (the job's fitted
 * model, settings and per-series history and forecast, written by the run), writes a new plan to tmp/,
 * and it is renamed over the old one. One re-plan per job at a time (REPLAN_BUSY); Delete cancels one in
 * flight and waits for it (JobService.remove), so no file of it outlives the job.
 */
import { promises as fs } from 'node:fs';
import type { InventoryMetrics } from '../../contract/dto.js';
import { AppError } from '../../contract/errors.js';
import type { ReplanDto } from '../../contract/inventory.js';
import { INVENTORY_DEFAULTS, planModeProblem, type JobConfig, type PlanModeName } from '../../contract/schemas.js';
import {
  planOverridesOf,
  planSpecOf,
  withPlan,
  withPlanNotices,
  type PlanSpec,
  type ReplanResult,
} from '../../forecast/index.js';
import type { OverrideSource } from '../override-source.js';
import { jobFiles, jobTemps, planTransfersOf } from '../../storage/job-files.js';
import { removeQuietly, type StoragePaths } from '../../storage/paths.js';
import type { Job } from '../job.js';
import type { JobFeature } from '../job-feature.js';
import type { JobService } from '../job.service.js';
import { WorkerInputError, WorkerTimeoutError, type WorkerPool } from '../worker-pool.js';

/** The job-wide settings a re-plan may change (validated by replanSchema); absent: the job's own. */
export interface ReplanChange {
  service_level?: number;
  lead_time_days?: number;
  review_periods?: number;
  plan_mode?: PlanModeName;
  stock_budget?: number;
  /** null: drop the job's per-site budgets */
  stock_budget_by_site?: Record<string, number> | null;
  target_fill_rate?: number;
  min_service_level?: number;
  /** false: no transfers between sites (absent: the job's own setting, on by default) */
  transfers?: boolean;
}

/** Far above a 1M-row job's re-plan (seconds): a task stuck longer is cancelled. */
const TIMEOUT_MS = 5 * 60_000;

interface Running {
  ctl: AbortController;
  /** Settles (never rejects) once the re-plan has ended and its temp file is gone. */
  done: Promise<unknown>;
}

export class JobReplan implements JobFeature {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly jobs: JobService,
    private readonly pool: WorkerPool,
    private readonly paths: StoragePaths,
    /** the overrides in force when a re-plan runs (null: none) */
    private readonly overrides: OverrideSource | null = null,
  ) {}

  /** Re-plans job `id`; resolves once the new plan is in place and the job's settings and totals say so. */
  replan(id: string, change: ReplanChange): Promise<ReplanDto> {
    if (this.running.has(id))
      throw new AppError(409, 'REPLAN_BUSY', 'This plan is being re-planned already; wait for it to finish.');
    // registered before anything awaits, so that a Delete arriving at any point finds it to cancel
    const ctl = new AbortController();
    const work = (async () => {
      try {
        return await this.run(id, change, ctl.signal);
      } finally {
        // before the caller hears of the end: its next re-plan is not refused as busy
        if (this.running.get(id)?.ctl === ctl) this.running.delete(id);
      }
    })();
    this.running.set(id, { ctl, done: work.catch(() => undefined) });
    return work;
  }

  /** Cancels a re-plan in flight; resolves once no file of it can appear. */
  async forget(id: string): Promise<void> {
    const r = this.running.get(id);
    r?.ctl.abort();
    await r?.done;
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.forget(id)));
  }

  private async run(id: string, change: ReplanChange, signal: AbortSignal): Promise<ReplanDto> {
    const started = Date.now();
    const job = await this.jobs.find(id);
    const { planFile, inputsFile } = await this.files(job);
    const c = job.config;
    const defaults = {
      service_level: change.service_level ?? c.service_level ?? INVENTORY_DEFAULTS.service_level,
      lead_time_days: change.lead_time_days ?? c.lead_time_days ?? INVENTORY_DEFAULTS.lead_time_days,
      review_periods: change.review_periods ?? c.review_periods ?? INVENTORY_DEFAULTS.review_periods,
    };
    // the plan fields: the change over the job's own, then the job config's rule on the merge
    const plan = { ...pickPlan(c), ...pickPlan(change) };
    const problem = planModeProblem(plan);
    if (problem) throw new AppError(400, 'VALIDATION_ERROR', problem.message);
    const spec = planSpecOf(plan);
    if (signal.aborted) throw gone(id); // deleted while its files were checked
    const inForce = this.overrides ? await this.overrides.inForce() : [];
    if (signal.aborted) throw gone(id);
    const tmp = jobTemps.replan(this.paths, id);
    const transfers = (change.transfers ?? c.transfers) !== false;
    const transfersTmp = planTransfersOf(tmp);
    const transfersFile = jobFiles(this.paths, job).planTransfers;
    const request = {
      inputsFile,
      planFile: tmp,
      defaults,
      spec,
      transfers,
      transfersFile: transfersTmp,
      ...(inForce.length ? { overrides: planOverridesOf(inForce) } : {}),
    };
    try {
      const r = await this.pool.call({ kind: 'replan', request }, { timeoutMs: TIMEOUT_MS, signal }).catch((err) => {
        if (signal.aborted) throw gone(id);
        if (err instanceof WorkerTimeoutError)
          throw new AppError(500, 'INTERNAL', 'The re-plan took too long and was stopped.');
        if (err instanceof WorkerInputError && err.code === 'NO_COSTS')
          throw new AppError(400, 'NO_COSTS', err.message);
        if (err instanceof WorkerInputError) throw new AppError(409, 'REPLAN_UNAVAILABLE', err.message);
        throw err;
      });
      if (signal.aborted) throw gone(id); // deleted while it finished: no file for a deleted job
      await fs.rename(tmp, planFile);
      // the plan's transfers go with it (none written when transfers are off: the old ones go)
      if (!transfers) await removeQuietly(transfersFile);
      else
        await fs.rename(transfersTmp, transfersFile).catch(async (err: unknown) => {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          await removeQuietly(transfersFile);
        });
      // a null stock_budget_by_site dropped the job's per-site budgets: the config no longer has them
      const { stock_budget_by_site: bySite, ...rest } = { ...c, ...defaults, ...plan };
      const config: JobConfig = { ...rest, ...(bySite ? { stock_budget_by_site: bySite } : {}) };
      if (change.transfers !== undefined) config.transfers = change.transfers;
      const dto = await this.jobs.replanned(id, config, metricsOf(job, r.result, defaults.service_level, spec));
      if (!dto) {
        // the job went between the check and now (its Delete waits for us): take the plan with it
        await Promise.all([planFile, inputsFile, transfersFile].map(removeQuietly));
        throw gone(id);
      }
      const a = r.result.allocation;
      return {
        id,
        ...defaults,
        plan_mode: spec.mode,
        stock_budget: spec.stockBudget ?? null,
        stock_budget_by_site: spec.stockBudgetBySite ?? null,
        unknown_budget_sites: a.unknownSites ?? [],
        target_fill_rate: spec.targetFillRate ?? null,
        expected_fill_rate: Math.round(a.expectedFill * 1e4) / 1e4,
        stock_value: Math.round(a.stockValue * 100) / 100,
        rows: r.result.rows,
        overridden: r.result.overridden ?? 0,
        seconds: Math.round((Date.now() - started) / 10) / 100,
      };
    } finally {
      await Promise.all([tmp, transfersTmp].map(removeQuietly));
    }
  }

  /** The plan and its re-plan inputs; 409 when the job has none to re-plan. */
  private async files(job: Job): Promise<{ planFile: string; inputsFile: string }> {
    if (job.status !== 'COMPLETED')
      throw new AppError(
        409,
        'JOB_NOT_COMPLETED',
        `Job ${job.id} is ${job.status}; only a completed job's plan can be re-planned.`,
      );
    const files = job.plan_name ? jobFiles(this.paths, job) : null;
    const planFile = files?.plan ?? null;
    const inputsFile = files?.planInputs ?? null;
    const ok = async (f: string | null) =>
      !!f &&
      (await fs
        .stat(f)
        .then((s) => s.isFile())
        .catch(() => false));
    if (!(await ok(planFile)) || !(await ok(inputsFile)))
      throw new AppError(
        409,
        'REPLAN_UNAVAILABLE',
        `Job ${job.id} has no data to re-plan from (it ran before re-planning existed); run it again instead.`,
      );
    return { planFile: planFile!, inputsFile: inputsFile! };
  }
}

const gone = (id: string) => new AppError(404, 'JOB_NOT_FOUND', `Job ${id} was deleted during the re-plan.`);

/** The plan fields present in a config or a change. */
function pickPlan(
  c: ReplanChange,
): Pick<
  ReplanChange,
  'plan_mode' | 'stock_budget' | 'stock_budget_by_site' | 'target_fill_rate' | 'min_service_level'
> {
  const out: ReplanChange = {};
  if (c.plan_mode !== undefined) out.plan_mode = c.plan_mode;
  if (c.stock_budget !== undefined) out.stock_budget = c.stock_budget;
  if (c.stock_budget_by_site !== undefined) out.stock_budget_by_site = c.stock_budget_by_site;
  if (c.target_fill_rate !== undefined) out.target_fill_rate = c.target_fill_rate;
  if (c.min_service_level !== undefined) out.min_service_level = c.min_service_level;
  return out;
}

/**
 * The job's metrics with the new plan's totals. The backtest's coverage by level and its SPL do not depend on
 * the target and are kept; the coverage at the target is the by-level figure when the new target is one of
 * the plan levels (the order-up-to level is then that quantile), else null rather than shown beside a level it
 * does not describe.
 */
function metricsOf(job: Job, r: ReplanResult, target: number, spec: PlanSpec): Job['metrics'] {
  if (!job.metrics) return job.metrics;
  const old = job.metrics.inventory;
  const byLevel = old?.backtest_coverage_by_level ?? {};
  const atTarget = old?.service_level === target ? (old.backtest_coverage ?? null) : (byLevel[String(target)] ?? null);
  const base: InventoryMetrics = {
    series: 0,
    stock_value: 0,
    costed_series: 0,
    parts_to_order: 0,
    units_to_order: 0,
    service_level: target,
    backtest_basis: 'holdout_last_origin',
    backtest_coverage: atTarget,
    backtest_coverage_by_level: byLevel,
    backtest_spl: old?.backtest_spl ?? null,
    backtest_windows: old?.backtest_windows ?? 0,
    backtest_fit_windows: old?.backtest_fit_windows ?? 0,
    by_site: {},
  };
  const inventory: InventoryMetrics = {
    ...withPlan(base, r, spec),
    service_level: target,
    backtest_coverage: atTarget,
    replanned_at: new Date().toISOString(),
  };
  return { ...job.metrics, ...withPlanNotices(job.metrics, r.allocation.unknownSites ?? []), inventory };
}
