/**
 * Group seasonality: one profile (weekday, week of year or month of year) from the job's total demand,
 * applied to every automatic forecast. A part sold twice a year shows no season of its own, but the sum over
 * hundreds of parts does: seasonal indices from the group, levels from the series.
 * Each period is divided by the centred mean of the season around it (so a trend is not taken for a season);
 * each phase's index is shrunk toward 1 by the evidence (spread between phases against noise within them).
 */
import type { Frequency } from '../../contract/dto.js';
import { seasonLength } from './periods.js';
import type { SiteSeries } from './group.js';

export interface SeasonProfile {
  /** Index by phase (period mod m), mean 1: from the whole training history (final forecast). */
  final: number[];
  /** The same from the history before the holdout (null when too short). */
  hold: number[] | null;
}

export const phaseOf = (p: number, m: number) => ((p % m) + m) % m;

/**
 * Indices (mean 1) from the aggregate A of periods first..first+A.length−1, or null when no phase is seen
 * twice or some phase is never seen.
 */
export function seasonalIndices(A: Float64Array, first: number, m: number): number[] | null {
  const L = A.length;
  if (L < m + 1) return null;
  const cs = new Float64Array(L + 1);
  for (let t = 0; t < L; t++) cs[t + 1] = cs[t] + A[t];
  const sum = new Float64Array(m),
    sq = new Float64Array(m),
    n = new Int32Array(m);
  const half = Math.floor(m / 2);
  for (let t = 0; t < L; t++) {
    // the season window around t: centred, moved inside the history at its edges
    const lo = Math.min(Math.max(0, t - half), L - m);
    const base = (cs[lo + m] - cs[lo]) / m;
    if (!(base > 0)) continue;
    const r = A[t] / base,
      j = phaseOf(first + t, m);
    sum[j] += r;
    sq[j] += r * r;
    n[j]++;
  }
  let within = 0,
    dof = 0;
  for (let j = 0; j < m; j++) {
    if (n[j] === 0) return null;
    if (n[j] > 1) {
      within += sq[j] - (sum[j] * sum[j]) / n[j];
      dof += n[j] - 1;
    }
  }
  if (dof === 0) return null;
  const s2w = within / dof;
  const mean = Array.from(sum, (s, j) => s / n[j]);
  const grand = mean.reduce((a, b) => a + b, 0) / m;
  let between = 0,
    noise = 0;
  for (let j = 0; j < m; j++) {
    between += (mean[j] - grand) ** 2 / (m - 1);
    noise += s2w / n[j] / m;
  }
  const tau2 = Math.max(0, between - noise);
  if (!(tau2 > 0)) return null;
  const idx = mean.map((r, j) => Math.max(0, 1 + (tau2 / (tau2 + s2w / n[j])) * (r / grand - 1)));
  const norm = idx.reduce((a, b) => a + b, 0) / m;
  return norm > 0 ? idx.map((v) => v / norm) : null;
}

/** Aggregate demand of the sites per period in [from, to]. */
function aggregate(sites: SiteSeries[], from: number, to: number): Float64Array {
  const A = new Float64Array(Math.max(0, to - from + 1));
  for (const s of sites)
    for (let j = 0; j < s.per.length; j++) {
      const p = s.per[j];
      if (p >= from && p <= to) A[p - from] += s.qty[j];
    }
  return A;
}

/** The job's profile from the selected sites' series, or undefined without evidence of a season. */
export function groupSeason(
  sites: SiteSeries[],
  freq: Frequency,
  fileStart: number,
  trainEnd: number,
  h: number,
): SeasonProfile | undefined {
  const m = seasonLength(freq);
  const final = seasonalIndices(aggregate(sites, fileStart, trainEnd), fileStart, m);
  if (!final) return undefined;
  return { final, hold: seasonalIndices(aggregate(sites, fileStart, trainEnd - h), fileStart, m) };
}

/** Multiplies f (f[k] is period first + k) by the profile's indices, in place. */
export function applySeason(f: Float64Array, first: number, idx: readonly number[]): void {
  const m = idx.length;
  for (let k = 0; k < f.length; k++) f[k] *= idx[phaseOf(first + k, m)];
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** One line for the job log: the profile in planner words. */
export function describeSeason(s: SeasonProfile, freq: Frequency): string {
  const f = (v: number) => v.toFixed(2);
  if (freq === 'D') {
    // day 0 (1970-01-01) was a Thursday; list Monday first
    const byDay = WEEKDAYS.map((_, wd) => s.final[phaseOf(wd - 4, 7)]);
    const order = [1, 2, 3, 4, 5, 6, 0];
    return `Weekday profile from the job's total demand, applied to every part: ${order.map((d) => `${WEEKDAYS[d]} ${f(byDay[d])}`).join(', ')}.`;
  }
  if (freq === 'M')
    return `Month-of-year profile from the job's total demand, applied to every part: ${MONTHS.map((m, j) => `${m} ${f(s.final[j])}`).join(', ')}.`;
  return `Week-of-year profile from the job's total demand, applied to every part: indices from ${f(Math.min(...s.final))} to ${f(Math.max(...s.final))}.`;
}
