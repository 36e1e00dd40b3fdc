/**
 * What a job is doing, as codes and values the client words in the user's language. The `stage` column and
 * field keep the English text (API users, logs, rows written before codes existed); `parseStage` reads that
 * text back, so an old row and a new one show the same words.
 */
import { z } from 'zod';
import { ERROR_CODES } from './errors.js';

export const STAGE_CODES = [
  'queued',
  'starting',
  'reading',
  'forecasting',
  'forecasting_sites',
  'writing',
  'completed',
  'failed',
  'cancelled',
  'requeued_shutdown',
  'requeued_restart',
] as const;
export type StageCode = (typeof STAGE_CODES)[number];

/** What the engine reports while it works through one site's series. */
export const ENGINE_STEPS = ['reading', 'backtesting', 'writing', 'done'] as const;
export type EngineStep = (typeof ENGINE_STEPS)[number];

/**
 * Why a job failed when no ErrorCode of the input says it (the server's own reasons). CRASHED_TWICE: the
 * process ended twice while the job ran (jobs/reconcile.ts); INTERRUPTED is the same reason as rows
 * written before it had its own code show it.
 */
export const JOB_FAILURE_CODES = ['INTERRUPTED', 'CRASHED_TWICE', 'UPLOAD_MISSING', 'PARTS_MISSING'] as const;
export type JobFailureCode = (typeof JOB_FAILURE_CODES)[number];

export const stageSchema = z.object({
  code: z.enum(STAGE_CODES),
  /** forecasting: the site code (data, never words) */
  site: z.string().max(200).optional(),
  /** forecasting: the engine's step inside the site */
  step: z.enum(ENGINE_STEPS).optional(),
  /** forecasting_sites: sites done of total */
  done: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative().optional(),
  /** failed: the error's code, when one is known */
  error: z.enum(ERROR_CODES).or(z.enum(JOB_FAILURE_CODES)).optional(),
});
export type Stage = z.infer<typeof stageSchema>;

const FIXED: Partial<Record<StageCode, string>> = {
  queued: 'queued',
  starting: 'starting',
  reading: 'reading file',
  writing: 'writing output',
  completed: 'completed',
  cancelled: 'cancelled',
  requeued_shutdown: 'requeued (server shutdown)',
  requeued_restart: 'requeued after a server restart',
};

/** The English text of a stage, as stored in the `stage` column and sent in the `stage` field. */
export function stageText(s: Stage): string {
  switch (s.code) {
    case 'forecasting':
      return `forecasting ${s.site ?? ''}${s.step ? `: ${s.step}` : ''}`;
    case 'forecasting_sites':
      return `forecasting (${s.done ?? 0}/${s.total ?? 0} sites)`;
    case 'failed':
      return s.error ? `failed: ${s.error}` : 'failed';
    default:
      return FIXED[s.code] ?? s.code;
  }
}

const SITES = /^forecasting \((\d+)\/(\d+) sites\)$/;
const SITE = new RegExp(`^forecasting (.*?)(?:: (${ENGINE_STEPS.join('|')}))?$`);
const FAILED = /^failed: ([A-Z_]+)$/;

/** A stage text (this version's or an older one's) as codes and values; null when it is no known stage. */
export function parseStage(text: string): Stage | null {
  for (const [code, t] of Object.entries(FIXED)) if (t === text) return { code: code as StageCode };
  if (text === 'failed') return { code: 'failed' };
  let m = SITES.exec(text);
  if (m) return { code: 'forecasting_sites', done: Number(m[1]), total: Number(m[2]) };
  m = FAILED.exec(text);
  if (m) {
    const r = stageSchema.safeParse({ code: 'failed', error: m[1] });
    return r.success ? r.data : { code: 'failed' };
  }
  m = SITE.exec(text);
  if (m && m[1]) return { code: 'forecasting', site: m[1], ...(m[2] ? { step: m[2] as EngineStep } : {}) };
  return null;
}

/** The stored reason of a Stop: the product guide's "Cancelled by user", or who stopped it when sign-in is on. */
export const CANCELLED_BY_USER = 'Cancelled by user';
export const cancelledBy = (username: string): string => `Cancelled by ${username}`;

/** Who stopped a job, read from its stored reason: 'user' (anonymous), a username, or null (another reason). */
export function parseCancelledBy(message: string | null): { by: 'user' } | { by: 'name'; name: string } | null {
  if (!message) return null;
  if (message === CANCELLED_BY_USER) return { by: 'user' };
  const m = /^Cancelled by (.+)$/s.exec(message);
  return m ? { by: 'name', name: m[1] } : null;
}
