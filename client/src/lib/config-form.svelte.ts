/// <reference types="svelte" />
import type { DateFormat, Frequency, JobConfig, RoundingMode } from '$contract/dto.js';
import { describeZodError, jobConfigSchema, METHOD_NAMES, type JobConfigInput } from '$contract/schemas.js';

export type ConfigField = keyof JobConfig;
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
  rounding = $state<RoundingMode>('half_up');
  frequency = $state<Frequency | ''>('');
  method = $state('auto');

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
  }

  reset(): void {
    this.horizon = 30;
    this.startDate = '';
    this.sites = [];
    this.dateFormat = 'auto';
    this.zeroThreshold = 0.5;
    this.rounding = 'half_up';
    this.frequency = '';
    this.method = 'auto';
  }

  toggleSite(code: string): void {
    this.sites = this.sites.includes(code) ? this.sites.filter((s) => s !== code) : [...this.sites, code];
  }
}
