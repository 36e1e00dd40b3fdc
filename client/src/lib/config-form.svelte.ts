/// <reference types="svelte" />
import type { DateFormat, Frequency, JobConfig, RoundingMode } from '$contract/dto.js';
import {
  DEFAULT_ROUNDING_MODE,
  describeZodError,
  FREQUENCIES,
  jobConfigSchema,
  jobNameSchema,
  METHOD_NAMES,
  type JobConfigInput,
} from '$contract/schemas.js';

export type ConfigField = keyof JobConfig;

/** The horizon the form proposes for each frequency: a month of days, a quarter of weeks, a year of months. */
export const HORIZON_BY_FREQUENCY: Readonly<Record<Frequency, number>> = { D: 30, W: 13, M: 12 };

/**
 * The settings a person last ran with, which the form starts from next time (sites, start date and the
 * frequency belong to a file and are not kept; the horizon is kept per frequency).
 */
export interface RememberedSettings {
  horizons: Partial<Record<Frequency, number>>;
  zero_threshold: number;
  rounding_mode: RoundingMode;
  date_format: DateFormat;
  method: string;
  /** in percent, as the form shows it */
  service_level: number;
  lead_time_days: number;
  review_periods: number;
}

/** A typed number field: blank is NaN, so the schema names the field rather than using a default. */
const num = (v: number | string) => (v === '' ? Number.NaN : Number(v));
/** What the method field offers: the engine's automatic choice, then every named method. */
export const METHOD_SUGGESTIONS = ['auto', ...METHOD_NAMES];

/**
 * The forecast settings as the form edits them (strings where the user types), validated with the
 * server's own zod schema so the page shows the same message the server would.
 */
/**
 * Remembered settings as stored (localStorage: anything may be there, from an older release or by hand):
 * the valid ones, checked by the job config's own schema, or null.
 */
export function readRemembered(text: string | null): RememberedSettings | null {
  if (!text) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  const fields = {
    zero_threshold: r.zero_threshold,
    rounding_mode: r.rounding_mode,
    date_format: r.date_format,
    method: r.method,
    service_level: r.service_level,
    lead_time_days: r.lead_time_days,
    review_periods: r.review_periods,
  };
  if (Object.values(fields).some((x) => typeof x !== 'number' && typeof x !== 'string')) return null;
  const parsed = jobConfigSchema.safeParse(fields);
  if (!parsed.success || fields.rounding_mode !== parsed.data.rounding_mode) return null; // no 'round' alias
  const horizons: Partial<Record<Frequency, number>> = {};
  const h = r.horizons && typeof r.horizons === 'object' ? (r.horizons as Record<string, unknown>) : {};
  for (const f of FREQUENCIES) {
    const n = h[f];
    if (typeof n === 'number' && jobConfigSchema.shape.forecast_horizon.safeParse(n).success) horizons[f] = n;
  }
  return {
    horizons,
    zero_threshold: parsed.data.zero_threshold,
    rounding_mode: parsed.data.rounding_mode,
    date_format: parsed.data.date_format,
    method: parsed.data.method,
    service_level: Math.round((parsed.data.service_level ?? 0.95) * 1000) / 10,
    lead_time_days: parsed.data.lead_time_days ?? 30,
    review_periods: parsed.data.review_periods ?? 1,
  };
}

export class ConfigForm {
  #horizon = $state<number | string>(HORIZON_BY_FREQUENCY.D);
  /** The person typed the horizon (or it came from a job): a proposal for the frequency does not replace it. */
  horizonChosen = $state(false);
  /** The frequency the preview detected (null before a preview). */
  detected = $state<Frequency | null>(null);
  #frequency = $state<Frequency | ''>('');
  #remembered = $state<RememberedSettings | null>(null);
  startDate = $state('');
  /** The job's name (optional; not a setting: never remembered, cleared on reset). */
  name = $state('');
  sites = $state<string[]>([]);
  dateFormat = $state<DateFormat>('auto');
  zeroThreshold = $state<number | string>(0.5);
  rounding = $state<RoundingMode>(DEFAULT_ROUNDING_MODE);
  method = $state('auto');
  /** Inventory plan: the target in percent (the schema reads 50–99.9 as a percentage), days, periods. */
  serviceLevel = $state<number | string>(95);
  leadTimeDays = $state<number | string>(30);
  reviewPeriods = $state<number | string>(1);

  get horizon(): number | string {
    return this.#horizon;
  }
  /** Typing (the input's binding) lands here. */
  set horizon(v: number | string) {
    this.#horizon = v;
    this.horizonChosen = true;
  }

  /** The frequency asked for ('' = the detected one); a change re-proposes the horizon unless one was typed. */
  get frequency(): Frequency | '' {
    return this.#frequency;
  }
  set frequency(v: Frequency | '') {
    this.#frequency = v;
    this.#propose();
  }

  /** The frequency the job will run at, as far as the form knows: the one asked for, else the detected one. */
  get effectiveFrequency(): Frequency | null {
    return this.#frequency || this.detected;
  }

  /** The horizon proposed for a frequency: the person's last one at that frequency, else the default. */
  horizonFor(f: Frequency): number {
    return this.#remembered?.horizons[f] ?? HORIZON_BY_FREQUENCY[f];
  }

  /** The proposal the horizon field shows (null when the person typed one, or before a preview). */
  get proposal(): { frequency: Frequency; horizon: number } | null {
    const f = this.effectiveFrequency;
    if (!f || this.horizonChosen) return null;
    return { frequency: f, horizon: this.horizonFor(f) };
  }

  /** After a preview: the file's frequency, and the horizon that fits it unless the person typed one. */
  setDetected(f: Frequency | null): void {
    this.detected = f;
    this.#propose();
  }

  #propose(): void {
    const f = this.effectiveFrequency;
    if (f && !this.horizonChosen) this.#horizon = this.horizonFor(f);
  }

  /** What to remember of this run (null while the form is invalid). */
  toRemember(): RememberedSettings | null {
    if (!this.valid) return null;
    const f = this.effectiveFrequency;
    const horizons = { ...this.#remembered?.horizons };
    if (f && this.horizonChosen) horizons[f] = Number(this.#horizon);
    return {
      horizons,
      zero_threshold: Number(this.zeroThreshold),
      rounding_mode: this.rounding,
      date_format: this.dateFormat,
      method: this.method.trim() || 'auto',
      service_level: Number(this.serviceLevel),
      lead_time_days: Number(this.leadTimeDays),
      review_periods: Number(this.reviewPeriods),
    };
  }

  /**
   * A person's remembered settings (null: the product's defaults): the horizon proposals use them at once,
   * the other fields on the next reset, or now with `apply`.
   */
  remember(r: RememberedSettings | null, apply = true): void {
    this.#remembered = r;
    if (apply) this.reset();
  }

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

  /** Why the name cannot be used (too long), or null. */
  get nameError(): string | null {
    const r = jobNameSchema.safeParse(this.name);
    return r.success ? null : (r.error.issues[0]?.message ?? describeZodError(r.error));
  }

  /** The name as the API takes it: null for none. */
  nameInput(): string | null {
    const r = jobNameSchema.safeParse(this.name);
    return r.success ? r.data : null;
  }

  get valid(): boolean {
    return jobConfigSchema.safeParse(this.toInput()).success && !this.nameError;
  }

  /** Pre-fills from an existing job ("Jalankan lagi"). */
  load(c: JobConfig): void {
    this.horizon = c.forecast_horizon;
    this.detected = null;
    this.startDate = c.forecast_start_date ?? '';
    this.sites = [...c.forecast_site_codes];
    this.dateFormat = c.date_format;
    this.zeroThreshold = c.zero_threshold;
    this.rounding = c.rounding_mode;
    this.#frequency = c.frequency ?? '';
    this.method = c.method;
    this.serviceLevel = Math.round((c.service_level ?? 0.95) * 1000) / 10;
    this.leadTimeDays = c.lead_time_days ?? 30;
    this.reviewPeriods = c.review_periods ?? 1;
  }

  /** Back to the person's remembered settings, else the product's defaults; no file, nothing typed. */
  reset(): void {
    const r = this.#remembered;
    this.#horizon = HORIZON_BY_FREQUENCY.D;
    this.horizonChosen = false;
    this.detected = null;
    this.startDate = '';
    this.name = '';
    this.sites = [];
    this.dateFormat = r?.date_format ?? 'auto';
    this.zeroThreshold = r?.zero_threshold ?? 0.5;
    this.rounding = r?.rounding_mode ?? DEFAULT_ROUNDING_MODE;
    this.#frequency = '';
    this.method = r?.method ?? 'auto';
    this.serviceLevel = r?.service_level ?? 95;
    this.leadTimeDays = r?.lead_time_days ?? 30;
    this.reviewPeriods = r?.review_periods ?? 1;
  }

  toggleSite(code: string): void {
    this.sites = this.sites.includes(code) ? this.sites.filter((s) => s !== code) : [...this.sites, code];
  }
}
