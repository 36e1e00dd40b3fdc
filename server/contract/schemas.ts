/**
 * zod schemas for what crosses the edge (REST bodies, socket payloads). Types derive from them with
 * z.infer, so a value set is spelled once: here.
 */
import { z } from 'zod';
import { DEFAULT_ROUNDING_MODE, INVENTORY_DEFAULTS, METHOD_NAMES } from './defaults.js';

// spelled in defaults.ts, which the engine's worker threads import without loading zod
export { DEFAULT_ROUNDING_MODE, INVENTORY_DEFAULTS, METHOD_NAMES };

/** Every status a job can be in; the last three are final. */
export const JOB_STATUSES = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;

const DATE_FORMATS = ['auto', 'DMY', 'MDY', 'YMD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
/**
 * How forecast_qty is made whole: 'cumulative' rounds each series' running total (its quantities add up to
 * the rounded total of forecast_qty_raw, none is negative); the others round each period on its own.
 */
export const ROUNDING_MODES = ['cumulative', 'half_up', 'half_even', 'ceil', 'floor'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];
export const FREQUENCIES = ['D', 'W', 'M'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const dmyDate = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** Accepts YYYY-MM-DD (or a full ISO timestamp) and DD/MM/YYYY; returns YYYY-MM-DD or null when invalid. */
export function normalizeStartDate(input: string): string | null {
  const s = input.trim();
  let y: number, m: number, d: number;
  const iso = isoDate.exec(s.slice(0, 10));
  const dmy = dmyDate.exec(s);
  if (iso && (s.length === 10 || s[10] === 'T' || s[10] === ' ')) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (dmy) {
    [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  } else return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}

const siteCodes = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',') : v),
  z
    .array(z.string().trim().min(1, 'site codes must not be blank').max(100))
    .max(1000, 'at most 1000 site codes')
    .transform((a) => [...new Set(a)]),
);

/** A share in [0.5, 0.999], or a percentage 50–99.9 (as service_level). */
const share = (field: string) =>
  z.coerce
    .number({ error: `${field} must be a number` })
    .transform((v) => (v >= 50 && v < 100 ? v / 100 : v))
    .pipe(
      z
        .number()
        .min(0.5, `${field} must be between 0.5 and 0.999 (or 50 and 99.9 %)`)
        .max(0.999, `${field} must be between 0.5 and 0.999 (or 50 and 99.9 %)`),
    );

/** How the plan sets each part's stock: one service level, a stock budget, or a fill-rate target. */
export const PLAN_MODES = ['service_level', 'budget', 'fill_rate'] as const;
export type PlanModeName = (typeof PLAN_MODES)[number];

/** The job config's fields without the rules between them (re-plan picks from it). */
export const jobConfigObject = z.strictObject({
  forecast_horizon: z.coerce
    .number({ error: 'forecast_horizon must be a number' })
    .int('forecast_horizon must be a whole number')
    .min(1, 'forecast_horizon must be between 1 and 365')
    .max(365, 'forecast_horizon must be between 1 and 365')
    .default(30),
  forecast_start_date: z
    .string()
    .nullish()
    .transform((v, ctx) => {
      if (v == null || v.trim() === '') return null;
      const n = normalizeStartDate(v);
      if (!n) {
        ctx.addIssue({
          code: 'custom',
          message: `forecast_start_date "${v}" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`,
        });
        return z.NEVER;
      }
      return n;
    }),
  forecast_site_codes: siteCodes.optional().transform((v) => v ?? []),
  date_format: z.enum(DATE_FORMATS, { error: 'date_format must be auto, DMY, MDY or YMD' }).default('auto'),
  zero_threshold: z.coerce
    .number({ error: 'zero_threshold must be a number' })
    .min(0, 'zero_threshold must be between 0 and 10')
    .max(10, 'zero_threshold must be between 0 and 10')
    .default(0.5),
  rounding_mode: z
    .enum([...ROUNDING_MODES, 'round'], {
      error: 'rounding_mode must be cumulative, half_up, half_even, ceil or floor',
    })
    .default(DEFAULT_ROUNDING_MODE)
    // 'round' is an accepted alias of half_even (banker's rounding).
    .transform((v): RoundingMode => (v === 'round' ? 'half_even' : v)),
  frequency: z
    .enum(FREQUENCIES, { error: 'frequency must be D, W or M' })
    .nullish()
    .transform((v) => v ?? null),
  /** 'auto' or one method name of the engine. */
  method: z.string().trim().min(1).max(40).default('auto'),
  /** Inventory plan: target service level (a share, or a percentage 50–99.9), for parts without their own. */
  service_level: z.coerce
    .number({ error: 'service_level must be a number' })
    .transform((v) => (v >= 50 && v < 100 ? v / 100 : v))
    .pipe(
      z
        .number()
        .min(0.5, 'service_level must be between 0.5 and 0.999 (or 50 and 99.9 %)')
        .max(0.999, 'service_level must be between 0.5 and 0.999 (or 50 and 99.9 %)'),
    )
    .optional(),
  /** Lead time in days for parts the parts file does not give one (or when there is no parts file). */
  lead_time_days: z.coerce
    .number({ error: 'lead_time_days must be a number' })
    .min(0, 'lead_time_days must be between 0 and 3650')
    .max(3650, 'lead_time_days must be between 0 and 3650')
    .optional(),
  /** Periods between two orders of a part (R in P = L + R). */
  review_periods: z.coerce
    .number({ error: 'review_periods must be a number' })
    .int('review_periods must be a whole number')
    .min(0, 'review_periods must be between 0 and 365')
    .max(365, 'review_periods must be between 0 and 365')
    .optional(),
  /**
   * service_level (absent: the same): every part at its service level. budget: the stock value may not pass
   * stock_budget, spent where it buys the most expected fill rate. fill_rate: the least stock value whose
   * expected fill rate reaches target_fill_rate. Parts without a unit cost stay at the service level.
   */
  plan_mode: z.enum(PLAN_MODES, { error: 'plan_mode must be service_level, budget or fill_rate' }).optional(),
  /** Money, in the parts file's cost units: Σ unit_cost × order_up_to in budget mode. */
  stock_budget: z.coerce
    .number({ error: 'stock_budget must be a number' })
    .refine((v) => Number.isFinite(v) && v > 0 && v <= 1e15, 'stock_budget must be a positive amount of money')
    .optional(),
  /**
   * Budget mode, optional: money per site ({"S1": 50000, ...}), each site's spent over its own series; sites
   * it does not name share stock_budget (without one they keep the service-level plan). A site the demand
   * file does not have is a notice (PLAN_UNKNOWN_SITES), not an error: the sites are known only once read.
   */
  stock_budget_by_site: z
    .record(
      z
        .string()
        .trim()
        .min(1, 'stock_budget_by_site: a site code may not be empty')
        .max(200, 'stock_budget_by_site: a site code is at most 200 characters'),
      z.coerce
        .number({ error: 'stock_budget_by_site: each budget must be a number' })
        .refine(
          (v) => Number.isFinite(v) && v > 0 && v <= 1e15,
          'stock_budget_by_site: each budget must be a positive amount of money',
        ),
      { error: 'stock_budget_by_site must be an object of site code to money' },
    )
    .refine((o) => Object.keys(o).length >= 1, 'stock_budget_by_site must name at least one site')
    .refine((o) => Object.keys(o).length <= 10_000, 'stock_budget_by_site names at most 10000 sites')
    .optional(),
  /** The expected unit fill rate the fill_rate mode reaches at the least stock value. */
  target_fill_rate: share('target_fill_rate').optional(),
  /** A floor for every part's service level when a budget or fill rate is allocated (parts' own levels too). */
  min_service_level: share('min_service_level').optional(),
  /**
   * Move stock between sites before buying, where a part's stock on hand is known at two or more sites
   * (absent: on); false: every site buys for itself.
   */
  transfers: z.boolean({ error: 'transfers must be true or false' }).optional(),
});

/** The rule between the plan fields, or null: the field a mode needs and lacks. */
export function planModeProblem(c: {
  plan_mode?: PlanModeName;
  stock_budget?: number;
  stock_budget_by_site?: Record<string, number> | null;
  target_fill_rate?: number;
}): { path: string; message: string } | null {
  if (c.plan_mode === 'budget' && c.stock_budget === undefined && !c.stock_budget_by_site)
    return {
      path: 'stock_budget',
      message: 'stock_budget (or stock_budget_by_site) is required with plan_mode budget',
    };
  if (c.plan_mode === 'fill_rate' && c.target_fill_rate === undefined)
    return { path: 'target_fill_rate', message: 'target_fill_rate is required with plan_mode fill_rate' };
  return null;
}

/** The `config` field of POST /api/jobs. Unknown keys are rejected so typos are not silently ignored. */
export const jobConfigSchema = jobConfigObject.superRefine((c, ctx) => {
  const p = planModeProblem(c);
  if (p) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
});

/** The job's forecast configuration, as validated at upload. */
export type JobConfig = z.output<typeof jobConfigSchema>;
/** What a client may send as `config` (defaults filled in by the server). */
export type JobConfigInput = z.input<typeof jobConfigSchema>;

/** The longest name a person may give a job. */
export const JOB_NAME_MAX = 100;
// C0 controls, DEL, C1 controls and the bidi controls (as storage/paths.ts cleans file names): a name must
// not hide or reorder the text around it in History.
// eslint-disable-next-line no-control-regex
const HIDDEN_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/g;

/**
 * The name a person gives a job (optional): cleaned of control and bidi characters and trimmed; empty (or
 * null) means no name. Longer than JOB_NAME_MAX characters after cleaning is refused, not cut.
 */
export const jobNameSchema = z
  .string({ error: 'name must be a text' })
  .nullish()
  .transform((v) => (v == null ? null : v.replace(HIDDEN_IN_NAMES, '').trim() || null))
  .refine((v) => v == null || [...v].length <= JOB_NAME_MAX, {
    message: `name must be at most ${JOB_NAME_MAX} characters`,
  });

/** PATCH /api/jobs/:id: what a person may change about a job afterwards. */
export const jobPatchSchema = z.strictObject({ name: jobNameSchema });

export const jobIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'invalid job id');
export const idPayloadSchema = z.object({ id: jobIdSchema });
export const deletePayloadSchema = z.object({ id: jobIdSchema, force: z.boolean().optional().default(false) });

export const listQuerySchema = z.object({
  status: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((s) => s.trim().toUpperCase())
            .filter(Boolean)
        : [],
    )
    .pipe(z.array(jobStatusSchema)),
  q: z.string().trim().max(200).optional().default(''),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(20),
  sort: z.enum(['created_desc', 'created_asc']).default('created_desc'),
});
/** GET /api/jobs query, parsed; the client builds the same shape to ask for a page. */
export type ListQuery = z.infer<typeof listQuerySchema>;

/** GET /api/jobs/:id/series/keys: a search text (part or site, empty = the biggest series) and a page size. */
export const seriesKeysQuerySchema = z.object({
  q: z.string().trim().max(100).optional().default(''),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** One readable sentence from a zod error (first few issues). */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.join('.');
      if (i.code === 'unrecognized_keys') return `unknown field(s): ${i.keys.join(', ')}`;
      return path && !i.message.includes(path) ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
