/**
 * The mean correction of the lead-time-demand model (fit.ts): mean = b * mu + r * P * rate per group, a
 * Mincer-Zarnowitz recalibration of the forecast in each window's scale.
 */
import type { Windows } from './windows.js';

export interface MeanCorrection {
  b?: number;
  r?: number;
}

/**
 * b and r by least squares in the scale of each window (P x the prefix's mean demand per period), the loss
 * the engine's own combination is fitted to: the corrected mean stays a mean (unbiased where the errors
 * are), and no window's likelihood can pull it up to widen a tail. Non-negative; in scaled units the model
 * is d / s = b * mu / s + r, a line.
 */
export function meanCorrection(
  w: Windows,
  idx: readonly number[],
  kind: 'full' | 'revival',
  weight?: (i: number) => number,
): Required<MeanCorrection> {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const i of idx) {
    const scale = w.p[i] * w.rate[i];
    if (!(scale > 0)) continue;
    const x = w.mu[i] / scale;
    const y = w.d[i] / scale;
    const v = weight ? weight(i) : 1;
    n += v;
    sx += v * x;
    sy += v * y;
    sxx += v * x * x;
    sxy += v * x * y;
  }
  if (!(n > 0)) return { b: 1, r: 0 };
  if (kind === 'revival') return { b: 1, r: Math.max(0, (sy - sx) / n) };
  const det = n * sxx - sx * sx;
  let b = det > 0 ? (n * sxy - sx * sy) / det : 1;
  let r = (sy - b * sx) / n;
  if (b < 0) {
    b = 0;
    r = sy / n;
  }
  if (r < 0) {
    r = 0;
    b = sxx > 0 ? sxy / sxx : 1;
  }
  return { b, r };
}
