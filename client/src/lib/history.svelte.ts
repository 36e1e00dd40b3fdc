/// <reference types="svelte" />
import { isFinal, type JobDto, type JobStatus } from '$contract/dto.js';
import type { ClientError } from './result.js';
import type { Api, ListParams } from './api.js';
import { canBulkDelete } from './actions.js';
import { mergeJob } from './job-merge.js';
import type { LiveBus } from './live.js';
import type { CommandChannel } from './socket.js';

export const PAGE_SIZE = 20;
export type Sort = ListParams['sort'];

type Buffered = { kind: 'created' | 'updated'; job: JobDto } | { kind: 'deleted'; id: string };

export interface HistoryOptions {
  /** Delay before refilling a page from REST after a row left it (coalesces bursts). */
  refillDelayMs?: number;
  /** May this person delete this job? (Role and owner; see permissions.ts.) Default: anyone. */
  mayDelete?: (job: JobDto) => boolean;
}

/**
 * The History table: one page of jobs from REST, kept live by job:created/updated/deleted pushes,
 * refetched after a reconnect that was not recovered. No polling.
 */
export class HistoryStore {
  jobs = $state<JobDto[]>([]);
  total = $state(0);
  page = $state(1);
  statuses = $state<JobStatus[]>([]);
  q = $state('');
  sort = $state<Sort>('created_desc');
  loading = $state(false);
  error = $state<ClientError | null>(null);
  selected = $state<string[]>([]);
  busy = $state<string[]>([]);

  private seq = 0;
  private buffer: Buffered[] | null = null;
  private readonly deletedIds = new Set<string>();
  private refillTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly api: Api,
    private readonly commands: CommandChannel,
    private readonly bus: LiveBus,
    private readonly opts: HistoryOptions = {},
  ) {}

  get pages(): number {
    return Math.max(1, Math.ceil(this.total / PAGE_SIZE));
  }

  /** Starts listening and loads the first page. Returns a stop function. */
  start(): () => void {
    this.offs.push(
      this.bus.on('job:created', (job) => this.onCreated(job)),
      this.bus.on('job:updated', (job) => this.onUpdated(job)),
      this.bus.on('job:deleted', ({ id }) => this.onDeleted(id)),
      // Also on the first connect: pushes sent between our REST answer and the socket joining were missed.
      this.bus.on('connect', ({ recovered }) => {
        if (!recovered) void this.refresh();
      }),
    );
    void this.refresh();
    return () => this.stop();
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.refillTimer = null;
  }

  get params(): ListParams {
    return { status: [...this.statuses], q: this.q, page: this.page, page_size: PAGE_SIZE, sort: this.sort };
  }

  /** Loads the current page; pushes that arrive meanwhile are replayed on top of the answer. */
  async refresh(): Promise<void> {
    const mine = ++this.seq;
    this.loading = true;
    this.buffer ??= [];
    const r = await this.api.listJobs(this.params);
    if (mine !== this.seq) return; // a newer request owns the table
    const replay = this.buffer ?? [];
    this.buffer = null;
    this.loading = false;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.error = null;
    this.jobs = r.data.jobs.filter((j) => !this.deletedIds.has(j.id));
    this.total = r.data.total;
    if (this.page > this.pages && this.page > 1) {
      this.page = this.pages;
      return this.refresh();
    }
    for (const ev of replay) this.apply(ev);
    this.pruneSelection();
  }

  setFilter(statuses: JobStatus[]): Promise<void> {
    this.statuses = statuses;
    this.page = 1;
    return this.refresh();
  }

  setQuery(q: string): Promise<void> {
    this.q = q;
    this.page = 1;
    return this.refresh();
  }

  setSort(sort: Sort): Promise<void> {
    this.sort = sort;
    this.page = 1;
    return this.refresh();
  }

  goTo(page: number): Promise<void> {
    this.page = Math.min(Math.max(1, page), this.pages);
    return this.refresh();
  }

  /** True when the job passes the status filter and the file-name search. */
  matches(job: JobDto): boolean {
    if (this.statuses.length && !this.statuses.includes(job.status)) return false;
    const q = this.q.trim().toLowerCase();
    return !q || job.filename.toLowerCase().includes(q);
  }

  private onCreated(job: JobDto): void {
    this.apply({ kind: 'created', job });
  }
  private onUpdated(job: JobDto): void {
    this.apply({ kind: 'updated', job });
  }
  private onDeleted(id: string): void {
    this.deletedIds.add(id);
    this.apply({ kind: 'deleted', id });
  }

  private apply(ev: Buffered): void {
    if (this.buffer) this.buffer.push(ev);
    if (ev.kind === 'deleted') return this.removeRow(ev.id, true);
    const { job } = ev;
    if (this.deletedIds.has(job.id)) return;
    const i = this.jobs.findIndex((j) => j.id === job.id);
    if (i >= 0) {
      const merged = mergeJob(this.jobs[i], job);
      if (this.matches(merged)) this.jobs[i] = merged;
      else this.removeRow(job.id, true);
      return;
    }
    if (!this.matches(job)) return;
    if (ev.kind === 'created') {
      this.total += 1;
      if (this.page === 1 && this.sort === 'created_desc') {
        this.jobs = [job, ...this.jobs].slice(0, PAGE_SIZE);
      } else if (this.sort === 'created_asc' && this.page === this.pages && this.jobs.length < PAGE_SIZE) {
        this.jobs = [...this.jobs, job];
      }
    } else if (this.belongsHere(job)) {
      // A job that just entered the filter (e.g. became COMPLETED): the server knows its place.
      this.scheduleRefill();
    }
  }

  private belongsHere(job: JobDto): boolean {
    if (this.jobs.length === 0) return this.page === 1;
    const t = Date.parse(job.created_at);
    const first = Date.parse(this.jobs[0]!.created_at);
    const last = Date.parse(this.jobs[this.jobs.length - 1]!.created_at);
    const [lo, hi] = this.sort === 'created_desc' ? [last, first] : [first, last];
    const full = this.jobs.length >= PAGE_SIZE;
    const afterStart = this.page === 1 || (this.sort === 'created_desc' ? t <= hi : t >= lo);
    const beforeEnd = !full || (this.sort === 'created_desc' ? t >= lo : t <= hi);
    return afterStart && beforeEnd;
  }

  private removeRow(id: string, countDown: boolean): void {
    const before = this.jobs.length;
    this.jobs = this.jobs.filter((j) => j.id !== id);
    this.selected = this.selected.filter((s) => s !== id);
    if (this.jobs.length === before) return;
    if (countDown) this.total = Math.max(0, this.total - 1);
    if (this.total > this.jobs.length + (this.page - 1) * PAGE_SIZE || (this.jobs.length === 0 && this.page > 1)) {
      this.scheduleRefill();
    }
  }

  private scheduleRefill(): void {
    if (this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = null;
      void this.refresh();
    }, this.opts.refillDelayMs ?? 250);
  }

  // ---- selection and actions -------------------------------------------------------------

  isSelected(id: string): boolean {
    return this.selected.includes(id);
  }

  toggle(id: string): void {
    const job = this.jobs.find((j) => j.id === id);
    if (!job || !this.selectable(job)) return;
    this.selected = this.isSelected(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
  }

  /** Finished, and this person may delete it. */
  selectable(job: JobDto): boolean {
    return canBulkDelete(job.status) && (this.opts.mayDelete?.(job) ?? true);
  }

  get selectableIds(): string[] {
    return this.jobs.filter((j) => this.selectable(j)).map((j) => j.id);
  }

  get allSelected(): boolean {
    const ids = this.selectableIds;
    return ids.length > 0 && ids.every((id) => this.selected.includes(id));
  }

  toggleAll(): void {
    this.selected = this.allSelected ? [] : this.selectableIds;
  }

  private pruneSelection(): void {
    const ok = new Set(this.selectableIds);
    this.selected = this.selected.filter((id) => ok.has(id));
  }

  isBusy(id: string): boolean {
    return this.busy.includes(id);
  }

  private async withBusy<T>(id: string, fn: () => Promise<T>): Promise<T> {
    this.busy = [...this.busy, id];
    try {
      return await fn();
    } finally {
      this.busy = this.busy.filter((b) => b !== id);
    }
  }

  async stopJob(id: string): Promise<boolean> {
    const r = await this.withBusy(id, () => this.commands.stop(id));
    if (!r.ok) {
      this.error = r.error;
      return false;
    }
    this.apply({ kind: 'updated', job: r.data });
    return true;
  }

  async deleteJob(id: string, force: boolean): Promise<boolean> {
    const r = await this.withBusy(id, () => this.commands.remove(id, force));
    if (!r.ok && r.error.code !== 'JOB_NOT_FOUND') {
      this.error = r.error;
      return false;
    }
    this.onDeleted(id);
    return true;
  }

  /** Deletes every selected finished job; returns how many were deleted. */
  async deleteSelected(): Promise<number> {
    const ids = this.selected.filter((id) => {
      const job = this.jobs.find((j) => j.id === id);
      return job ? isFinal(job.status) : false;
    });
    const results = await Promise.all(ids.map((id) => this.deleteJob(id, false)));
    return results.filter(Boolean).length;
  }

  dismissError(): void {
    this.error = null;
  }
}
