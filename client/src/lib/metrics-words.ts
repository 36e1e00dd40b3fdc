import type { ErrorSummary, JobMetrics } from '$contract/dto.js';
import type { MessageKey } from './i18n/messages.js';

export interface Sentence {
  key: MessageKey;
  params?: Record<string, string | number>;
  tone: 'good' | 'bad' | 'neutral';
}

/** The scale-free error we compare on: RMSSE when available, else MASE. */
function score(e: ErrorSummary): number | null {
  return e.rmsse ?? e.mase ?? null;
}

/** Relative error change in percent (negative = chosen is better), or null when it cannot be computed. */
export function liftPct(chosen: ErrorSummary, baseline: ErrorSummary): number | null {
  const c = score(chosen);
  const b = score(baseline);
  if (c == null || b == null || !(b > 0)) return null;
  return ((c - b) / b) * 100;
}

const SAME_BAND = 3;
const BIAS_BAND = 5;
/** Rounding that changes the total by more than this share hides (or invents) volume. */
const ROUNDING_BAND = 0.2;

/**
 * How much of the model's total volume the rounded forecast_qty keeps, in percent of the model's total
 * (negative = rounding removes volume), or null when there is no total to compare.
 */
export function roundingLossPct(m: JobMetrics): number | null {
  const t = m.forecast_total;
  if (!t || !(t.model > 0)) return null;
  return ((t.rounded - t.model) / t.model) * 100;
}

/**
 * Turns RMSSE/MASE/bias into sentences a planner reads: how much better than the simple baselines,
 * and whether forecasts lean high (overstock) or low (stock-outs).
 */
export function describeMetrics(m: JobMetrics): Sentence[] {
  const out: Sentence[] = [];
  if (!m.scored_series || score(m.chosen) == null) {
    return [{ key: 'metrics.unscored', tone: 'neutral' }];
  }
  const vsNaive = liftPct(m.chosen, m.naive);
  if (vsNaive != null) {
    const pct = Math.round(Math.abs(vsNaive));
    if (Math.abs(vsNaive) < SAME_BAND) out.push({ key: 'metrics.same', tone: 'neutral' });
    else if (vsNaive < 0) out.push({ key: 'metrics.better', params: { pct }, tone: 'good' });
    else out.push({ key: 'metrics.worse', params: { pct }, tone: 'bad' });
  }
  const vsSba = liftPct(m.chosen, m.sba);
  if (vsSba != null && Math.abs(vsSba) >= SAME_BAND) {
    const pct = Math.round(Math.abs(vsSba));
    out.push(
      vsSba < 0
        ? { key: 'metrics.better.sba', params: { pct }, tone: 'good' }
        : { key: 'metrics.worse.sba', params: { pct }, tone: 'bad' },
    );
  }
  const bias = m.chosen.bias_pct;
  const lost = roundingLossPct(m);
  // The holdout bias is about the model's means; when rounding moves the total, "unbiased" would mislead.
  if (lost != null && Math.abs(lost) > ROUNDING_BAND * 100) {
    const pct = Math.round(Math.abs(lost));
    out.push({ key: lost < 0 ? 'metrics.rounding.loses' : 'metrics.rounding.adds', params: { pct }, tone: 'bad' });
  } else if (bias != null && Number.isFinite(bias)) {
    const pct = Math.round(Math.abs(bias));
    if (Math.abs(bias) < BIAS_BAND) out.push({ key: 'metrics.unbiased', tone: 'good' });
    else out.push({ key: bias > 0 ? 'metrics.over' : 'metrics.under', params: { pct }, tone: 'bad' });
  }
  return out;
}
