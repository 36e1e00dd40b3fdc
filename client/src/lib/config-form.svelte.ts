/// <reference types="svelte" />
import type { DateFormat, Frequency, JobConfig, RoundingMode } from '$contract/dto.js';
import {
  DEFAULT_ROUNDING_MODE,
  describeZodError,
  jobConfigSchema,
  METHOD_NAMES,
  type JobConfigInput,
} from '$contract/schemas.js';

export type ConfigField = keyof JobConfig;

/** A typed number field: blank is NaN, so the schema names the field rather than using a default. */
const num = (v: number | string) => (v === '' ? Number.NaN : Number(v));
/** What the method field offers: the engine's automatic choice, then every named method. */
export const METHOD_SUGGESTIONS = ['auto', ...METHOD_NAMES];

/**
 * The forecast settings as the form edits them (strings where the user types), validated with the
 * server's own zod schema so the page shows the same message the server would.
 */
export class ConfigForm {
  horizon = $state<number | string>(30);
  startDate = $state('');
  sites = $state<string[]>([]);
  dateFormat = $state<DateFormat>('auto');
  zeroThreshold = $state<number | string>(0.5);
  rounding = $state<RoundingMode>(DEFAULT_ROUNDING_MODE);
  frequency = $state<Frequency | ''>('');
  method = $state('auto');
  /** Inventory plan: the target in percent (the schema reads 50–99.9 as a percentage), days, periods. */
  serviceLevel = $state<number | string>(95);
  leadTimeDays = $state<number | string>(30);
  reviewPeriods = $state<number | string>(1);

  /** What POST /api/jobs receives as `config`. */
  toInput(): JobConfigInput {
    return {
      forecast_horizon: this.horizon === '' ? Number.NaN : Number(this.horizon),
      forecast_start_date: this.startDate.trim() || null,
      forecast_site_codes: [...this.sites],
      date_format: this.dateFormat,
      zero_threshold: this.zeroThreshold === '' ? Number.NaN : Number(this.zeroThreshold),
      rounding_mode: this.rounding,
      frequency: this.frequency || null,
      method: this.method.trim() || 'auto',
      service_level: num(this.serviceLevel),
      lead_time_days: num(this.leadTimeDays),
      review_periods: num(this.reviewPeriods),
    };
  }

  /** Field → message for every invalid field (empty when valid). */
  get errors(): Partial<Record<ConfigField, string>> {
    const r = jobConfigSchema.safeParse(this.toInput());
    if (r.success) return {};
    const out: Partial<Record<ConfigField, string>> = {};
    for (const issue of r.error.issues) {
      const field = issue.path[0] as ConfigField | undefined;
      if (field && !out[field]) out[field] = issue.message;
    }
    if (Object.keys(out).length === 0) out.method = describeZodError(r.error);
    return out;
  }

  get valid(): boolean {
    return jobConfigSchema.safeParse(this.toInput()).success;
  }

  /** Pre-fills from an existing job ("Jalankan lagi"). */
  load(c: JobConfig): void {
    this.horizon = c.forecast_horizon;
    this.startDate = c.forecast_start_date ?? '';
    this.sites = [...c.forecast_site_codes];
    this.dateFormat = c.date_format;
    this.zeroThreshold = c.zero_threshold;
    this.rounding = c.rounding_mode;
    this.frequency = c.frequency ?? '';
    this.method = c.method;
    this.serviceLevel = Math.round((c.service_level ?? 0.95) * 1000) / 10;
    this.leadTimeDays = c.lead_time_days ?? 30;
    this.reviewPeriods = c.review_periods ?? 1;
  }

  reset(): void {
    this.horizon = 30;
    this.startDate = '';
    this.sites = [];
    this.dateFormat = 'auto';
    this.zeroThreshold = 0.5;
    this.rounding = DEFAULT_ROUNDING_MODE;
    this.frequency = '';
    this.method = 'auto';
    this.serviceLevel = 95;
    this.leadTimeDays = 30;
    this.reviewPeriods = 1;
  }

  toggleSite(code: string): void {
    this.sites = this.sites.includes(code) ? this.sites.filter((s) => s !== code) : [...this.sites, code];
  }
}
