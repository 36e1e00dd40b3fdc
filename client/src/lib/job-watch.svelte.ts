/// <reference types="svelte" />
import { isFinal, type JobDto, type LogLine } from '$contract/dto.js';
import type { ClientError } from './result.js';
import type { Api } from './api.js';
import { applyProgress, mergeJob } from './job-merge.js';
import { EtaEstimator, type Eta } from './eta.js';
import type { LiveBus } from './live.js';
import type { CommandChannel } from './socket.js';

export const LOG_LIMIT = 500;

/**
 * Follows one job: its DTO, live progress and log. Loads from REST at once, joins the job's room
 * (job:subscribe, whose ack is also a full resync) on every connect that was not recovered.
 */
export class JobWatch {
  id = $state<string | null>(null);
  job = $state<JobDto | null>(null);
  log = $state<LogLine[]>([]);
  deleted = $state(false);
  notFound = $state(false);
  error = $state<ClientError | null>(null);
  stopping = $state(false);
  /** Time left while PROCESSING, from the measured throughput (lib/eta.ts); null while unknown. */
  eta = $state<Eta | null>(null);
  private readonly estimator = new EtaEstimator();
  private readonly now: () => number;

  private offs: (() => void)[] = [];
  private gen = 0;

  constructor(
    private readonly api: Api,
    private readonly commands: CommandChannel,
    private readonly bus: LiveBus,
    now?: () => number,
  ) {
    this.now = now ?? (() => Date.now());
  }

  get running(): boolean {
    return !!this.job && !this.deleted && !isFinal(this.job.status);
  }

  /** Starts following `id` (stops following the previous job). */
  async watch(id: string): Promise<void> {
    this.release();
    const gen = ++this.gen;
    this.id = id;
    this.job = null;
    this.estimator.reset();
    this.eta = null;
    this.log = [];
    this.deleted = false;
    this.notFound = false;
    this.error = null;
    this.offs.push(
      this.bus.on('job:updated', (job) => {
        if (job.id === this.id) this.take(mergeJob(this.job, job));
      }),
      this.bus.on('job:created', (job) => {
        if (job.id === this.id) this.take(mergeJob(this.job, job));
      }),
      this.bus.on('job:progress', (p) => {
        if (p.id === this.id && this.job) this.take(applyProgress(this.job, p));
      }),
      this.bus.on('job:log', (p) => {
        if (p.id === this.id) this.appendLog(p.lines);
      }),
      this.bus.on('job:deleted', (p) => {
        if (p.id === this.id) this.deleted = true;
      }),
      this.bus.on('connect', ({ recovered }) => {
        if (!recovered) void this.subscribe(gen);
      }),
    );
    const loads: Promise<unknown>[] = [this.loadRest(gen)];
    if (this.bus.connected) loads.push(this.subscribe(gen));
    await Promise.all(loads);
  }

  private async loadRest(gen: number): Promise<void> {
    const id = this.id!;
    const [job, log] = await Promise.all([this.api.getJob(id), this.api.getLog(id)]);
    if (gen !== this.gen) return;
    if (job.ok) this.take(mergeJob(this.job, job.data));
    else if (job.error.code === 'JOB_NOT_FOUND' || job.error.code === 'NOT_FOUND') this.notFound = true;
    else this.error = job.error;
    if (log.ok && this.log.length === 0) this.log = log.data.lines.slice(-LOG_LIMIT);
  }

  private async subscribe(gen: number): Promise<void> {
    const id = this.id;
    if (!id || this.deleted) return;
    const r = await this.commands.subscribe(id);
    if (gen !== this.gen) return;
    if (r.ok) {
      this.take(mergeJob(this.job, r.data.job));
      this.log = r.data.log.slice(-LOG_LIMIT);
      this.notFound = false;
    } else if (r.error.code === 'JOB_NOT_FOUND') {
      if (this.job) this.deleted = true;
      else this.notFound = true;
    }
  }

  /** Every new state of the job comes through here: the time left follows it. */
  private take(job: JobDto): void {
    this.job = job;
    this.eta = job.status === 'PROCESSING' ? this.estimator.observe(this.now(), job.progress) : null;
  }

  private appendLog(lines: LogLine[]): void {
    const next = this.log.concat(lines);
    this.log = next.length > LOG_LIMIT ? next.slice(-LOG_LIMIT) : next;
  }

  async stop(): Promise<boolean> {
    if (!this.id) return false;
    this.stopping = true;
    const r = await this.commands.stop(this.id);
    this.stopping = false;
    if (!r.ok) {
      this.error = r.error;
      return false;
    }
    this.take(mergeJob(this.job, r.data));
    return true;
  }

  /** Stops listening and leaves the job's room. */
  release(): void {
    for (const off of this.offs.splice(0)) off();
    const id = this.id;
    if (id && this.bus.connected) void this.commands.unsubscribe(id);
    this.gen++;
  }

  /** Forgets the job entirely (dashboard Reset). */
  clear(): void {
    this.release();
    this.id = null;
    this.job = null;
    this.log = [];
    this.deleted = false;
    this.notFound = false;
    this.error = null;
  }
}
