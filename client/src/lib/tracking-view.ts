/**
 * What the Actuals view shows of a job's tracking, as plain values the components word and the unit tests
 * check: where the actuals came from, the accuracy next to its baselines, promised vs achieved service, and
 * the exception counts in the contract's order.
 */
import {
  TRACKING_EXCEPTIONS,
  type ExceptionCounts,
  type TrackingException,
  type TrackingService,
  type TrackingSummary,
} from '$contract/tracking.js';
import type { Frequency } from '$contract/dto.js';

/** Where the actuals came from: a file sent for the job, or a later job of the same series. */
export type SourceView =
  { kind: 'file'; filename: string; uploaded_at: string | null } | { kind: 'job'; id: string; name: string | null };

const JOB_ID = /^[0-9a-f]{32}$/;
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * The tracking's `source`: `{kind:'file', filename, uploaded_at}` today; a later job's is read from its id
 * (`job_id` or `id`, or the id itself) so the view links to it whichever shape the server sends.
 */
export function sourceView(source: unknown): SourceView | null {
  if (typeof source === 'string') return JOB_ID.test(source) ? { kind: 'job', id: source, name: null } : null;
  if (typeof source !== 'object' || source === null) return null;
  const s = source as Record<string, unknown>;
  if (s.kind === 'job') {
    const id = str(s.job_id) ?? str(s.id);
    return id ? { kind: 'job', id, name: str(s.name) ?? str(s.filename) } : null;
  }
  const filename = str(s.filename);
  return filename ? { kind: 'file', filename, uploaded_at: str(s.uploaded_at) } : null;
}

export type AccuracyMetric = 'rmsse' | 'mase' | 'bias_pct';
export type AccuracyModel = 'job' | 'naive' | 'sba';
export interface AccuracyRow {
  metric: AccuracyMetric;
  job: number | null;
  naive: number | null;
  sba: number | null;
  /** the closest to perfect of the three (lowest error, bias closest to 0); null when none is known */
  best: AccuracyModel | null;
}

const METRICS: readonly AccuracyMetric[] = ['rmsse', 'mase', 'bias_pct'];

/** RMSSE, MASE and bias of the job's forecast next to the naive and SBA baselines on the same series. */
export function accuracyRows(a: TrackingSummary['accuracy']): AccuracyRow[] {
  return METRICS.map((metric) => {
    const row = { metric, job: a[metric], naive: a.naive[metric], sba: a.sba[metric] };
    const score = (v: number | null) => (v == null ? Infinity : metric === 'bias_pct' ? Math.abs(v) : v);
    let best: AccuracyModel | null = null;
    for (const m of ['job', 'naive', 'sba'] as const) {
      if (row[m] != null && (best === null || score(row[m]) < score(row[best]))) best = m;
    }
    return { ...row, best };
  });
}

export type ServiceKind = 'cycle' | 'fill';
export interface ServicePair {
  kind: ServiceKind;
  /** 0–1 */
  promised: number | null;
  achieved: number | null;
  /** achieved − promised in points of percent (null when either is unknown) */
  gap: number | null;
  /** achieved fell short of the promise by more than half a point */
  short: boolean;
}

/** Promised vs achieved cycle service and fill rate; the fill rate only where the plan had one or it was measured. */
export function servicePairs(s: TrackingService): ServicePair[] {
  const pair = (kind: ServiceKind, promised: number | null, achieved: number | null): ServicePair => {
    const gap = promised == null || achieved == null ? null : (achieved - promised) * 100;
    return { kind, promised, achieved, gap, short: gap != null && gap < -0.5 };
  };
  const out = [pair('cycle', s.promised_cycle_service, s.achieved_cycle_service)];
  if (s.promised_fill_rate != null || s.achieved_fill_rate != null)
    out.push(pair('fill', s.promised_fill_rate, s.achieved_fill_rate));
  return out;
}

/** A 0–1 share as a 0–100 percentage (null stays null). */
export const pct = (share: number | null | undefined): number | null => (share == null ? null : share * 100);

/** Every exception code with its count, in the contract's order (a code with 0 is still listed). */
export function exceptionList(c: ExceptionCounts): { code: TrackingException; count: number }[] {
  return TRACKING_EXCEPTIONS.map((code) => ({ code, count: c[code] }));
}

/** How many series need a look in all (one series may carry several codes, so this is an upper bound). */
export const exceptionTotal = (c: ExceptionCounts): number => exceptionList(c).reduce((n, e) => n + e.count, 0);

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** A period's first day as the job counts periods: "Apr 2001" for months, the day itself for days and weeks. */
export function periodLabel(day: string, frequency: Frequency, locale: string): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  const key = `${locale}|${frequency}`;
  let f = dayFormats.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      frequency === 'M' ? { month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short', year: 'numeric' };
    dayFormats.set(key, (f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' })));
  }
  return f.format(d);
}
