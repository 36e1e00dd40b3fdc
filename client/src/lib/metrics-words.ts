import type { ErrorSummary, JobMetrics, RoundingMode } from '$contract/dto.js';
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
/** A holdout bias at least this large (in %) is stated with its sign and size. */
const BIAS_BAND = 5;
/**
 * Rounding that changes the total by more than this share hides (or invents) volume: it is said, and the
 * forecast is not called unbiased (the holdout bias is about the model's means, not the rounded column).
 */
const ROUNDING_BAND = 0.1;

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
 * whether forecasts lean high (overstock) or low (stock-outs), and what rounding did to the volume; worded
 * by the file's frequency (days, weeks, months). `rounding` is the job's mode (absent: a per-period one).
 */
export function describeMetrics(m: JobMetrics, rounding?: RoundingMode): Sentence[] {
  const out: Sentence[] = [];
  const lost = roundingLossPct(m);
  const moved = lost != null && Math.abs(lost) > ROUNDING_BAND * 100;
  if (!m.scored_series || score(m.chosen) == null) {
    out.push({ key: 'metrics.unscored', tone: 'neutral' });
    if (moved) out.push(roundingSentence(m, lost, rounding));
    return out;
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
  if (bias != null && Number.isFinite(bias)) {
    const pct = Math.round(Math.abs(bias));
    const f = freqOf(m);
    if (Math.abs(bias) >= BIAS_BAND)
      out.push({ key: bias > 0 ? `metrics.over.${f}` : `metrics.under.${f}`, params: { pct }, tone: 'bad' });
    else if (!moved) out.push({ key: 'metrics.unbiased', tone: 'good' });
  }
  if (moved) out.push(roundingSentence(m, lost, rounding));
  return out;
}

function freqOf(m: JobMetrics): 'D' | 'W' | 'M' {
  return m.frequency === 'W' || m.frequency === 'M' ? m.frequency : 'D';
}

/** What rounding did to the volume (|lost| is past the band): why, and what to do about it. */
function roundingSentence(m: JobMetrics, lost: number, rounding?: RoundingMode): Sentence {
  const pct = Math.round(Math.abs(lost));
  if (lost > 0) return { key: 'metrics.rounding.adds', params: { pct }, tone: 'bad' };
  // the running total keeps each series' volume; what it cannot keep is a series expecting under half a part
  if (rounding === 'cumulative') return { key: 'metrics.rounding.short', params: { pct }, tone: 'bad' };
  return { key: `metrics.rounding.loses.${freqOf(m)}`, params: { pct }, tone: 'bad' };
}
