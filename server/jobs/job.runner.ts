/**
 * Runs one job on the worker pool: a read task, then one task per site, then the output written to
 * tmp/ (the caller renames it into outputs/ only when the job really completes). Owns cancellation:
 * one AbortController per job, a shared stop flag per task for the cooperative path. Never throws;
 * every end is a RunOutcome.
 */
import { promises as fs } from 'node:fs';
import { setMaxListeners } from 'node:events';
import type { InventoryMetrics, JobConfig, JobMetrics, PartitionCounts } from '../contract/dto.js';
import { INVENTORY_DEFAULTS } from '../contract/defaults.js';
import { stageText } from '../contract/stages.js';
import {
  engine,
  planSpecOf,
  withPlan,
  withPlanNotices,
  OrderedOutput,
  planInputsHeader,
  type HistorySource,
  type InputErrorCode,
  type PartitionInput,
  type PartitionResult,
  type PartsSource,
  type PlanOverrides,
  type PlanSettings,
  type Prepared,
} from '../forecast/index.js';
import type { WorkerMessage, WorkerResult } from '../workers/protocol.js';
import type { WorkerPool } from './worker-pool.js';
import { storageProblem } from '../storage/errors.js';
import { planAllocatedOf, planInputsOf, planTransfersOf } from '../storage/job-files.js';

export type StopReason = 'stop' | 'force-delete' | 'shutdown' | 'timeout';

export type RunOutcome =
  | {
      kind: 'completed';
      tmpFile: string;
      /** The run's series, for the series index built after COMPLETED (jobs/results/job-series.ts). */
      history: HistorySource;
      /** The inventory plan in tmp/ (renamed next to the output on completion, like it). */
      planTmpFile: string;
      rows: number;
      outputRows: number;
      metrics: JobMetrics;
      partitions: PartitionCounts;
    }
  | { kind: 'input-error'; code: InputErrorCode; message: string; partitions: PartitionCounts }
  /** `cause`: the unexpected error behind `message`, for the server log only (never shown to users). */
  | { kind: 'failed'; message: string; partitions: PartitionCounts; cause?: unknown }
  | { kind: 'stopped'; reason: StopReason };

export interface RunHooks {
  progress(p: { progress: number; stage: string; partitions: PartitionCounts }): void;
  log(level: 'info' | 'warn' | 'error', msg: string): void;
  /** The file is read: its row count, the site counts, and what the engine learned about the job. */
  prepared(info: { rows: number; partitions: PartitionCounts; notes: string[] }): void;
  heartbeat(): void;
}

export interface RunRequest {
  id: string;
  filePath: string;
  originalName: string;
  config: JobConfig;
  tmpFile: string;
  /** The job's optional parts file (lead times, costs, stock); without it the config's defaults apply. */
  parts: PartsSource | null;
  /** Where the inventory plan is written; removed unless the run completes. */
  planTmpFile: string;
  /** false: no inventory plan at all (no fit, no plan rows; the CLI's --plan off). Default true. */
  plan?: boolean;
  /** The planners' overrides the job applies (its snapshot, taken when it started); absent: none. */
  overrides?: PlanOverrides | null;
}

interface Running {
  controller: AbortController;
  flags: Int32Array[];
  reason: StopReason | null;
  closed: Promise<void>[];
  /** Resolves when run() has cleaned up (temp output removed) and returned. */
  done: Promise<void>;
}

// Share of the bar for each phase: reading 0–10 %, sites 10–95 %, writing 95–100 %.
const READ_END = 10;
const SITES_END = 95;

class Stopped extends Error {}

type SiteFailure =
  { kind: 'input-error'; code: InputErrorCode; message: string } | { kind: 'failed'; message: string; cause?: unknown };

export class JobRunner {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly stopGraceMs: number,
  ) {}

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /**
   * Stops a running job: raise its tasks' stop flags, then terminate their threads (at once, or after
   * the grace period). Resolves when every thread the job used has let go and the run has cleaned up.
   */
  async stop(id: string, reason: StopReason): Promise<void> {
    const r = this.running.get(id);
    if (!r) return;
    r.reason ??= reason;
    for (const f of r.flags) Atomics.store(f, 0, 1);
    if (this.stopGraceMs > 0) setTimeout(() => r.controller.abort(), this.stopGraceMs).unref();
    else r.controller.abort();
    await Promise.all(r.closed);
    await r.done;
  }

  async run(req: RunRequest, hooks: RunHooks): Promise<RunOutcome> {
    let finished!: () => void;
    const state: Running = {
      controller: new AbortController(),
      flags: [],
      reason: null,
      closed: [],
      done: new Promise<void>((r) => (finished = r)),
    };
    setMaxListeners(0, state.controller.signal); // one listener per site task
    this.running.set(req.id, state);
    const counts: PartitionCounts = { total: 0, completed: 0, skipped: 0, failed: 0 };
    const started = Date.now();
    let output: OrderedOutput | null = null;
    let plan: OrderedOutput | null = null;
    let inputs: OrderedOutput | null = null;
    const inputsTmp = planInputsOf(req.planTmpFile);
    const allocatedTmp = planAllocatedOf(req.planTmpFile);
    const transfersTmp = planTransfersOf(req.planTmpFile);
    const drop = async () => {
      await output?.abandon();
      await plan?.abandon();
      await inputs?.abandon();
      await Promise.all(
        [req.tmpFile, req.planTmpFile, inputsTmp, allocatedTmp, transfersTmp].map((f) => fs.rm(f, { force: true })),
      );
    };
    try {
      hooks.log('info', `Reading ${req.originalName}`);
      const loaded = await this.task(
        state,
        {
          kind: 'load',
          filePath: req.filePath,
          originalName: req.originalName,
          config: req.config,
          parts: req.parts,
          ...(req.plan === false ? { plan: false } : {}),
          ...(req.overrides ? { overrides: req.overrides } : {}),
        },
        (m) =>
          this.forward(m, hooks, (f) => ({
            progress: Math.round(f * READ_END),
            stage: stageText({ code: 'reading' }),
            partitions: counts,
          })),
      );
      if (loaded.kind === 'input-error') {
        return { kind: 'input-error', code: loaded.code, message: loaded.message, partitions: counts };
      }
      if (loaded.kind !== 'load') throw new Error(`unexpected worker answer ${loaded.kind}`);
      const prepared = loaded.prepared;
      counts.total = prepared.sites.length;
      counts.skipped = prepared.sites.length - prepared.partitions.length;
      hooks.prepared({ rows: prepared.rows, partitions: { ...counts }, notes: prepared.notes });
      hooks.log(
        'info',
        `${prepared.rows} rows, ${prepared.sites.length} site(s), ${prepared.partitions.length} to forecast (${prepared.frequency})`,
      );
      if (counts.skipped) hooks.log('info', `${counts.skipped} site(s) skipped by the site filter`);
      for (const note of prepared.notes) hooks.log('info', note);

      output = new OrderedOutput(req.tmpFile, engine.OUTPUT_HEADER);
      plan = new OrderedOutput(req.planTmpFile, engine.PLAN_HEADER, 'plan');
      // what a re-plan at other settings needs (jobs/results/job-replan.ts), next to the plan
      const inv = prepared.context.inventory;
      if (inv) inputs = new OrderedOutput(inputsTmp, planInputsHeader(prepared.context.freq, inv), 'plan-inputs');
      const results = await this.forecastSites(state, req, prepared, counts, hooks, [output, plan, inputs]);
      if (results.kind !== 'ok') {
        await drop();
        return { ...results, partitions: counts };
      }

      hooks.progress({ progress: SITES_END, stage: stageText({ code: 'writing' }), partitions: { ...counts } });
      const outputRows = await output.finish();
      const planRows = await plan.finish();
      await inputs?.finish();
      hooks.log('info', `Inventory plan: ${planRows} rows`);
      const metrics = engine.combineMetrics(
        results.results,
        prepared.context,
        req.config,
        (Date.now() - started) / 1000,
      );
      if (inv && metrics.inventory) {
        const transfers = req.config.transfers !== false && stockAtTwoSites(inv.settings) ? transfersTmp : null;
        const allocated = await this.allocate(
          state,
          req,
          metrics.inventory,
          inputsTmp,
          allocatedTmp,
          hooks,
          prepared.context.overrides,
          transfers,
        );
        if (allocated.kind === 'input-error') {
          await drop();
          return { ...allocated, partitions: counts };
        }
        metrics.inventory = allocated.inventory;
        Object.assign(metrics, withPlanNotices(metrics, allocated.inventory.allocation?.unknown_budget_sites ?? []));
        metrics.seconds = Math.round((Date.now() - started) / 10) / 100;
      }
      return {
        kind: 'completed',
        tmpFile: req.tmpFile,
        history: { from: 'prepared', sites: prepared.partitions.map((p) => p.data), context: prepared.context },
        planTmpFile: req.planTmpFile,
        rows: prepared.rows,
        outputRows,
        metrics,
        partitions: counts,
      };
    } catch (err) {
      await drop();
      if (state.reason || err instanceof Stopped) return { kind: 'stopped', reason: state.reason ?? 'stop' };
      return { kind: 'failed', message: describeFailure(err), partitions: counts, cause: err };
    } finally {
      this.running.delete(req.id);
      finished();
    }
  }

  private async forecastSites(
    state: Running,
    req: RunRequest,
    prepared: Prepared,
    counts: PartitionCounts,
    hooks: RunHooks,
    [output, plan, inputs]: [OrderedOutput, OrderedOutput, OrderedOutput | null],
  ): Promise<{ kind: 'ok'; results: PartitionResult[] } | SiteFailure> {
    const sites = prepared.partitions;
    const chunks = planChunks(sites, this.pool.threads);
    const totalWeight = chunks.reduce((s, c) => s + c.weight, 0) || 1;
    const fractions = chunks.map(() => 0);
    const chunksLeft = sites.map((_, i) => chunks.filter((c) => c.site === i).length);
    const overall = () =>
      Math.round(
        READ_END + (chunks.reduce((s, c, k) => s + c.weight * fractions[k], 0) / totalWeight) * (SITES_END - READ_END),
      );
    let firstFailure: SiteFailure | null = null;
    let halted = false;
    const results = await Promise.all(
      chunks.map(async (chunk, k) => {
        const site = sites[chunk.site].site;
        try {
          const stop = new SharedArrayBuffer(4);
          state.flags.push(new Int32Array(stop));
          const res: WorkerResult = await this.task(
            state,
            { kind: 'partition', input: chunk.input, context: prepared.context, config: req.config, stop },
            (m) =>
              this.forward(m, hooks, (f) => {
                fractions[k] = f;
                return {
                  progress: overall(),
                  stage: stageText({ code: 'forecasting', site, ...(m.type === 'progress' ? { step: m.stage } : {}) }),
                  partitions: { ...counts },
                };
              }),
          );
          if (res.kind === 'stopped') throw new Stopped();
          if (res.kind === 'input-error') {
            firstFailure ??= { kind: 'input-error', code: res.code, message: res.message };
            throw new Stopped();
          }
          if (res.kind !== 'partition') throw new Error(`unexpected worker answer ${res.kind}`);
          fractions[k] = 1;
          // the forecast's lines first, then the plan's: each writer drops only its own text
          await output.push(k, res.result);
          await plan.push(k, res.result);
          await inputs?.push(k, res.result);
          if (--chunksLeft[chunk.site] === 0) {
            counts.completed++;
            hooks.log('info', `Site ${site} done`);
          }
          hooks.progress({
            progress: overall(),
            stage: stageText({ code: 'forecasting_sites', done: counts.completed, total: sites.length }),
            partitions: { ...counts },
          });
          return res.result;
        } catch (err) {
          if (state.reason) throw err;
          // Sites aborted because another one failed are neither completed nor failed.
          if (halted) return null;
          halted = true;
          counts.failed++;
          if (!(err instanceof Stopped)) {
            const message = `Site ${site} failed: ${describeFailure(err)}`;
            firstFailure ??= { kind: 'failed', message, cause: err };
            hooks.log('error', message);
          }
          // One failed site fails the job: stop the others rather than let them run for nothing.
          for (const f of state.flags) Atomics.store(f, 0, 1);
          state.controller.abort();
          return null;
        }
      }),
    );
    if (state.reason) throw new Stopped();
    if (firstFailure) return firstFailure;
    return { kind: 'ok', results: results as PartitionResult[] };
  }

  /**
   * The job-level plan step (inventory/allocate.ts): a budget or fill-rate target is spent over all series
   * at once, so once every partition has written its rows at the service level, a worker makes the plan
   * again from the re-plan inputs with the allocation and it replaces the plan. A service-level plan is left
   * as written: its frontier is made on the first summary that asks (jobs/results/job-frontier.ts).
   */
  private async allocate(
    state: Running,
    req: RunRequest,
    inventory: InventoryMetrics,
    inputsFile: string,
    outFile: string,
    hooks: RunHooks,
    overrides: PlanOverrides | undefined,
    /** where the transfers between sites go (the plan is made again with them); null: none */
    transfersFile: string | null,
  ): Promise<{ kind: 'ok'; inventory: InventoryMetrics } | Extract<WorkerResult, { kind: 'input-error' }>> {
    const spec = planSpecOf(req.config);
    // a service-level plan's rows stand as written, unless stock moves between sites; its frontier is made
    // when first asked for (job-frontier.ts)
    if (spec.mode === 'service_level' && !transfersFile) return { kind: 'ok', inventory };
    const c = req.config;
    const defaults = {
      service_level: c.service_level ?? INVENTORY_DEFAULTS.service_level,
      lead_time_days: c.lead_time_days ?? INVENTORY_DEFAULTS.lead_time_days,
      review_periods: c.review_periods ?? INVENTORY_DEFAULTS.review_periods,
    };
    const request = {
      inputsFile,
      planFile: outFile,
      defaults,
      spec,
      transfers: !!transfersFile,
      transfersFile,
      ...(overrides ? { overrides } : {}),
    };
    const r = await this.task(state, { kind: 'replan', request }, () => hooks.heartbeat());
    if (r.kind === 'input-error') return r;
    if (r.kind !== 'replan') throw new Error(`unexpected worker answer ${r.kind}`);
    await fs.rename(outFile, req.planTmpFile);
    const a = r.result.allocation;
    const moved = r.result.transfers;
    if (moved?.transfers)
      hooks.log('info', `Plan: ${moved.transfers} transfers between sites (${moved.units} units) before buying`);
    if (a.costless > 0)
      hooks.log('info', `Plan: ${a.costless} series without a unit cost are planned at their service level`);
    return { kind: 'ok', inventory: { ...inventory, ...withPlan(inventory, r.result, spec) } };
  }

  private task(
    state: Running,
    task: Parameters<WorkerPool['run']>[0],
    onMessage: (m: WorkerMessage) => void,
  ): Promise<WorkerResult> {
    if (state.reason || state.controller.signal.aborted) return Promise.reject(new Stopped());
    const { result, closed } = this.pool.run(task, state.controller.signal, (m) => {
      // Late messages after a stop are ignored.
      if (!state.controller.signal.aborted) onMessage(m);
    });
    state.closed.push(closed);
    return result;
  }

  private forward(
    m: WorkerMessage,
    hooks: RunHooks,
    toProgress: (fraction: number) => Parameters<RunHooks['progress']>[0],
  ): void {
    hooks.heartbeat();
    if (m.type === 'log') hooks.log(m.level, m.msg);
    else if (m.type === 'progress') hooks.progress(toProgress(m.total > 0 ? Math.min(1, m.done / m.total) : 0));
  }
}

/** Sites smaller than this are never split: the task overhead would outweigh the gain. */
const MIN_SPLIT_WEIGHT = 64;

interface Chunk {
  /** Index of the site partition this chunk belongs to. */
  site: number;
  input: PartitionInput;
  weight: number;
}

/**
 * One task per site, except that a site heavier than half a thread's fair share is split into
 * chunks of whole series, so one big site (or a one-site file) still uses every thread (and the engine
 * splits any site too big for one task's memory).
 * Chunks stay in site order, so their output concatenates into the site order.
 */
function planChunks(sites: PartitionInput[], threads: number): Chunk[] {
  const weight = (p: PartitionInput) => Math.max(1, p.weight);
  const total = sites.reduce((s, p) => s + weight(p), 0);
  const share = total / threads;
  return sites.flatMap((p, i) => {
    const parts = engine.splitPartition(
      p,
      threads > 1 && weight(p) >= MIN_SPLIT_WEIGHT && weight(p) > share / 2
        ? Math.min(threads * 4, Math.ceil(weight(p) / (share / 4)))
        : 1,
    );
    return parts.map((input) => ({ site: i, input, weight: weight(input) }));
  });
}

/**
 * A readable reason for an unexpected failure (worker crash, memory limit, disk). Anything else is an
 * internal error whose text (exception messages, paths) stays in the server log: the reason is shown to
 * every user who sees the job, and kept in its log lines.
 */
export function describeFailure(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { code?: string };
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY')
    return 'the forecast ran out of memory (the file may be too large for one job)';
  const storage = storageProblem(err);
  if (storage === 'full') return 'the server disk is full';
  if (storage === 'unwritable') return 'the server cannot write to its storage folder';
  if (e?.name === 'AbortError') return 'the task was aborted';
  return 'internal error in the forecast engine (the details are in the server log)';
}

/**
 * Whether some part's stock on hand is known at two or more sites (so that transfers may move it): two site
 * rows with on hand, or a row for every site with it (settings.ts: the part's row holds at each of its sites).
 */
function stockAtTwoSites(settings: PlanSettings): boolean {
  const sites = new Map<string, number>();
  for (const [key, p] of Object.entries(settings.parts)) {
    if (p.onHand === undefined) continue;
    const [part, site] = key.split('\u0001');
    if (site === '') return true;
    const n = (sites.get(part) ?? 0) + 1;
    if (n >= 2) return true;
    sites.set(part, n);
  }
  return false;
}
