/// <reference types="svelte" />
import { isFinal, type JobDto } from '$contract/dto.js';
import type { InventoryRowsQuery, InventorySummaryDto, PlanRowDto } from '$contract/inventory.js';
import type { InventoryApi, PlanFormat } from './inventory-api.js';
import type { ClientError } from './result.js';

/** Rows per page of the plan table: a screenful on a desktop, still quick to scroll on a phone. */
export const PLAN_PAGE_SIZE = 50;

export type PlanSort = InventoryRowsQuery['sort'];
/**
 * waiting: the job is still queued or running (the plan comes with the forecast); unavailable: it ended
 * without completing; none: a completed job from before plans existed; error: the summary could not load.
 */
export type PlanPhase = 'waiting' | 'unavailable' | 'deleted' | 'none' | 'loading' | 'ready' | 'error';
/** The job as this view reads it; `has_plan` arrives with the server side of the plan (absent: ask). */
export type PlanJob = Pick<JobDto, 'status'> & { has_plan?: boolean };
export type PlanKey = Pick<PlanRowDto, 'partnumber' | 'site_code'>;

// Names read best A→Z; quantities are looked at biggest first.
const TEXT_SORTS: readonly PlanSort[] = ['partnumber', 'site_code', 'demand_class'];
// Answers of the summary that mean "this job has no plan", not "something broke".
const NO_PLAN_CODES = new Set<string>(['OUTPUT_MISSING', 'NOT_FOUND']);

export const sameKey = (a: PlanKey | null | undefined, b: PlanKey | null | undefined): boolean =>
  !!a && !!b && a.partnumber === b.partnumber && a.site_code === b.site_code;

/** The job page's Inventory view: the job's totals once, and one server-side page of the plan at a time. */
export class InventoryStore {
  phase = $state<PlanPhase>('waiting');
  summary = $state<InventorySummaryDto | null>(null);
  error = $state<ClientError | null>(null);
  rows = $state<PlanRowDto[]>([]);
  total = $state(0);
  rowsError = $state<ClientError | null>(null);
  loadingRows = $state(false);
  q = $state('');
  site = $state('');
  demandClass = $state('');
  toOrder = $state(false);
  sort = $state<PlanSort>('stock_value');
  dir = $state<'asc' | 'desc'>('desc');
  page = $state(1);
  selected = $state<PlanRowDto | null>(null);
  /** The part chosen elsewhere (the chart's picker) has no row in the plan. */
  missing = $state(false);
  downloading = $state<PlanFormat | null>(null);
  downloadError = $state<ClientError | null>(null);
  private started = false;
  private rowsSeq = 0;
  private chooseSeq = 0;

  constructor(
    private readonly api: InventoryApi,
    private readonly jobId: string,
    readonly pageSize = PLAN_PAGE_SIZE,
  ) {}

  get query(): InventoryRowsQuery {
    return {
      q: this.q.trim(),
      site_code: this.site,
      demand_class: this.demandClass,
      to_order: this.toOrder,
      sort: this.sort,
      dir: this.dir,
      page: this.page,
      page_size: this.pageSize,
    };
  }

  get pages(): number {
    return Math.max(1, Math.ceil(this.total / this.pageSize));
  }

  /** Follows the job: loads the plan once it is COMPLETED with a plan (again later only if that load failed). */
  sync(job: PlanJob, deleted = false): void {
    if (deleted) this.phase = 'deleted';
    else if (job.status !== 'COMPLETED') this.phase = isFinal(job.status) ? 'unavailable' : 'waiting';
    else if (job.has_plan === false) this.phase = 'none';
    else if (!this.started) void this.load();
  }

  async load(): Promise<void> {
    this.started = true;
    this.phase = 'loading';
    this.error = null;
    const [s] = await Promise.all([this.api.summary(this.jobId), this.fetchRows()]);
    if (this.phase !== 'loading') return; // deleted meanwhile
    if (s.ok) {
      this.summary = s.data;
      this.phase = 'ready';
      void this.completeFrontier(s.data);
      return;
    }
    this.started = false; // the next push (or Try again) asks again
    if (s.error.code === 'JOB_NOT_COMPLETED') this.phase = 'waiting';
    else if (NO_PLAN_CODES.has(s.error.code)) this.phase = 'none';
    else {
      this.error = s.error;
      this.phase = 'error';
    }
  }

  /**
   * A summary whose frontier is still being made (frontier_state 'pending') shows without it; the frontier
   * follows from GET .../inventory/frontier, unless another summary came meanwhile. A failure leaves the
   * summary without the chart (the rest of the page stands).
   */
  private async completeFrontier(s: InventorySummaryDto): Promise<void> {
    if (s.frontier_state !== 'pending') return;
    const f = await this.api.frontier(this.jobId);
    if (!f.ok || this.summary !== s) return;
    this.summary = { ...s, ...f.data, frontier_state: 'ready' };
  }

  /** The plan was re-made (on this page or another): its summary and the page in view again, filters kept. */
  async refresh(): Promise<void> {
    if (this.phase !== 'ready') return;
    const [s] = await Promise.all([this.api.summary(this.jobId), this.fetchRows()]);
    if (this.phase !== 'ready') return; // deleted meanwhile
    if (s.ok) {
      this.summary = s.data;
      void this.completeFrontier(s.data);
    } else {
      this.error = s.error;
      this.phase = 'error';
      return;
    }
    // the chosen part's numbers changed too
    const chosen = this.selected;
    this.selected = null;
    if (chosen) await this.choose(chosen);
  }

  setSearch(q: string): Promise<void> {
    this.q = q;
    return this.refilter();
  }
  setSite(site: string): Promise<void> {
    this.site = site;
    return this.refilter();
  }
  setClass(demandClass: string): Promise<void> {
    this.demandClass = demandClass;
    return this.refilter();
  }
  setToOrder(on: boolean): Promise<void> {
    this.toOrder = on;
    return this.refilter();
  }

  /** The same column again flips the direction; a new one starts A→Z for names, biggest first for numbers. */
  sortBy(col: PlanSort): Promise<void> {
    if (this.sort === col) this.dir = this.dir === 'asc' ? 'desc' : 'asc';
    else {
      this.sort = col;
      this.dir = TEXT_SORTS.includes(col) ? 'asc' : 'desc';
    }
    return this.refilter();
  }

  goto(page: number): Promise<void> {
    this.page = Math.min(Math.max(1, Math.trunc(page)), this.pages);
    return this.fetchRows();
  }

  select(row: PlanRowDto): void {
    this.chooseSeq++; // a lookup still on its way must not replace this choice
    this.selected = row;
    this.missing = false;
  }

  /**
   * Shows the plan of a part chosen elsewhere (the chart's picker): from the page in view, else by asking
   * the server for that part at that site without touching the table's own filters.
   */
  async choose(key: PlanKey): Promise<void> {
    if (this.phase !== 'ready' || sameKey(this.selected, key)) return;
    const mine = ++this.chooseSeq;
    const here = this.rows.find((r) => sameKey(r, key));
    if (here) {
      this.selected = here;
      this.missing = false;
      return;
    }
    const r = await this.api.rows(this.jobId, {
      ...this.query,
      q: key.partnumber,
      site_code: key.site_code,
      demand_class: '',
      to_order: false,
      page: 1,
    });
    if (mine !== this.chooseSeq) return;
    const found = r.ok ? r.data.rows.find((x) => sameKey(x, key)) : undefined;
    this.selected = found ?? null;
    // A failed lookup is not "no row": the table's own error line covers a server that is down.
    this.missing = r.ok && !found;
  }

  async download(format: PlanFormat): Promise<void> {
    this.downloading = format;
    this.downloadError = null;
    const r = await this.api.download(this.jobId, format);
    this.downloading = null;
    if (!r.ok) this.downloadError = r.error;
  }

  private refilter(): Promise<void> {
    this.page = 1;
    return this.fetchRows();
  }

  /** Only the latest request's answer is shown: a slow earlier search never overwrites a newer one. */
  private async fetchRows(): Promise<void> {
    const mine = ++this.rowsSeq;
    this.loadingRows = true;
    const r = await this.api.rows(this.jobId, this.query);
    if (mine !== this.rowsSeq) return;
    this.loadingRows = false;
    if (r.ok) {
      this.rows = r.data.rows;
      this.total = r.data.total;
      this.page = r.data.page;
      this.rowsError = null;
    } else this.rowsError = r.error;
  }
}
