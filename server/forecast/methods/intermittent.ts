/**
 * Intermittent-demand methods, scanned once per series and reported at several training ends:
 * Croston (classic, α 0.1), SBA (Croston × (1 − α/2)) and TSB (α 0.1 on sizes, β 0.1 on occurrence).
 */
export const CROSTON_ALPHA = 0.1;
const TSB_ALPHA = 0.1;
const TSB_BETA = 0.1;

/**
 * Croston's size and interval estimates at each end. The first interval counts from the series start
 * (position of the first demand + 1); both estimates start at their first values, as forecast::croston.
 * Ends with no demand yet give 0.
 */
export function crostonScan(
  y: Float64Array,
  ends: readonly number[],
  alpha = CROSTON_ALPHA,
  debias = false,
): Float64Array {
  const out = new Float64Array(ends.length);
  let z = 0,
    p = 0,
    seen = false,
    last = -1,
    e = 0;
  const factor = debias ? 1 - alpha / 2 : 1;
  for (let t = 0; t <= y.length && e < ends.length; t++) {
    while (e < ends.length && ends[e] === t) out[e++] = seen ? (factor * z) / p : 0;
    if (t === y.length) break;
    const v = y[t];
    if (v > 0) {
      const gap = t - last;
      if (!seen) {
        z = v;
        p = gap;
        seen = true;
      } else {
        z += alpha * (v - z);
        p += alpha * (gap - p);
      }
      last = t;
    }
  }
  return out;
}

/**
 * TSB at each end. Size starts at the first demand, occurrence probability at the share of periods with
 * demand up to and including the first demand's period... i.e. at 1/(first demand position + 1); then
 * p ← p + β(1[y>0] − p) every period and z ← z + α(y − z) on demand periods.
 */
export function tsbScan(y: Float64Array, ends: readonly number[], alpha = TSB_ALPHA, beta = TSB_BETA): Float64Array {
  const out = new Float64Array(ends.length);
  let z = 0,
    p = 0,
    seen = false,
    e = 0;
  for (let t = 0; t <= y.length && e < ends.length; t++) {
    while (e < ends.length && ends[e] === t) out[e++] = seen ? z * p : 0;
    if (t === y.length) break;
    const v = y[t];
    if (!seen) {
      if (v > 0) {
        seen = true;
        z = v;
        p = 1 / (t + 1);
      }
      continue;
    }
    if (v > 0) {
      z += alpha * (v - z);
      p += beta * (1 - p);
    } else p -= beta * p;
  }
  return out;
}
