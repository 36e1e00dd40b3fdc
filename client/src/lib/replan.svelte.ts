/// <reference types="svelte" />
import type { JobConfig } from '$contract/dto.js';
import type { ReplanDto, ReplanInput } from '$contract/inventory.js';
import { PLAN_MODES, type PlanModeName } from '$contract/schemas.js';
import { request, type ApiOptions } from './api.js';
import type { MessageKey } from './i18n/messages.js';
import type { ClientError, Result } from './result.js';

/** POST /api/jobs/:id/inventory/plan; a fake in tests. */
export interface ReplanApi {
  replan(id: string, body: ReplanInput): Promise<Result<ReplanDto>>;
}

export function createReplanApi(base = '', opts: ApiOptions = {}): ReplanApi {
  return {
    replan: (id, body) =>
      request<ReplanDto>(
        `${base}/api/jobs/${encodeURIComponent(id)}/inventory/plan`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        opts,
      ),
  };
}

/** The levels a planner picks from (the job's own, if another, is offered too). */
export const REPLAN_LEVELS = [0.8, 0.9, 0.95, 0.98, 0.99] as const;

type PlanConfig = Pick<
  JobConfig,
  'service_level' | 'lead_time_days' | 'review_periods' | 'plan_mode' | 'stock_budget' | 'target_fill_rate'
>;

/** How the stock is set (the job config's plan_mode). */
export type PlanMode = PlanModeName;
export { PLAN_MODES };

/**
 * The Inventory view's re-plan form: the job's current plan settings, editable; submit re-makes the plan on
 * the server and then `done` reloads the view. Follows the job's settings (a re-plan elsewhere changes them)
 * until the planner edits a field.
 */
export class ReplanForm {
  level = $state(0.95);
  mode = $state<PlanMode>('service_level');
  /** budget mode: the stock budget (money, the parts file's cost units) */
  budget = $state('');
  /** fill_rate mode: the target in percent (50 … 99.9) */
  fillRate = $state('95');
  leadDays = $state('30');
  review = $state('1');
  busy = $state(false);
  error = $state<ClientError | null>(null);
  last = $state<ReplanDto | null>(null);
  private edited = false;

  constructor(
    private readonly api: ReplanApi,
    private readonly jobId: string,
    private readonly done: () => Promise<void>,
  ) {}

  /** The job's settings (defaults where the config has none), unless the planner is editing. */
  follow(config: PlanConfig): void {
    if (this.edited || this.busy) return;
    this.level = config.service_level ?? 0.95;
    this.mode = config.plan_mode ?? 'service_level';
    if (config.stock_budget !== undefined) this.budget = String(config.stock_budget);
    if (config.target_fill_rate !== undefined) this.fillRate = String(Math.round(config.target_fill_rate * 1000) / 10);
    this.leadDays = String(config.lead_time_days ?? 30);
    this.review = String(config.review_periods ?? 1);
  }

  edit(field: 'level' | 'leadDays' | 'review' | 'mode' | 'budget' | 'fillRate', value: string): void {
    this.edited = true;
    if (field === 'level') this.level = Number(value);
    else if (field === 'mode')
      this.mode = (PLAN_MODES as readonly string[]).includes(value) ? (value as PlanMode) : 'service_level';
    else this[field] = value;
  }

  get levels(): number[] {
    return [...new Set<number>([...REPLAN_LEVELS, this.level])].sort((a, b) => a - b);
  }

  /** What is wrong with the form, in the user's words; null when it can be sent. */
  get problem(): MessageKey | null {
    const lead = this.leadDays.trim() === '' ? NaN : Number(this.leadDays);
    if (!(lead >= 0 && lead <= 3650)) return 'replan.bad.lead';
    const review = this.review.trim() === '' ? NaN : Number(this.review);
    if (!(Number.isInteger(review) && review >= 0 && review <= 365)) return 'replan.bad.review';
    // the server's checks (contract/schemas.ts: stock_budget, target_fill_rate), in the page's language
    if (this.mode === 'budget') {
      const b = this.budget.trim() === '' ? NaN : Number(this.budget);
      if (!(Number.isFinite(b) && b > 0 && b <= 1e15)) return 'replan.bad.budget';
    }
    if (this.mode === 'fill_rate') {
      const f = this.fillRate.trim() === '' ? NaN : Number(this.fillRate);
      if (!(f >= 50 && f <= 99.9)) return 'replan.bad.fill';
    }
    return null;
  }

  async submit(): Promise<boolean> {
    if (this.busy || this.problem) return false;
    this.busy = true;
    this.error = null;
    const body: ReplanInput = {
      service_level: this.level,
      lead_time_days: Number(this.leadDays),
      review_periods: Number(this.review),
      plan_mode: this.mode,
      ...(this.mode === 'budget' ? { stock_budget: Number(this.budget) } : {}),
      ...(this.mode === 'fill_rate' ? { target_fill_rate: Math.round(Number(this.fillRate) * 10) / 1000 } : {}),
    };
    const r = await this.api.replan(this.jobId, body);
    if (r.ok) {
      this.last = r.data;
      this.edited = false;
      await this.done();
    } else this.error = r.error;
    this.busy = false;
    return r.ok;
  }
}
