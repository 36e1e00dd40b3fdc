/** Benchmarks: naive, seasonal naive, moving average, mean. Each works on y[0..end). */

export function naiveAt(y: Float64Array, end: number): number {
  return end > 0 ? y[end - 1] : 0;
}

/** h forecasts repeating the last season (naive when the history is shorter than a season). */
export function seasonalNaiveAt(y: Float64Array, end: number, h: number, m: number): Float64Array {
  const f = new Float64Array(h);
  if (end < m) return f.fill(naiveAt(y, end));
  for (let k = 0; k < h; k++) f[k] = y[end - m + (k % m)];
  return f;
}

/** Mean of the last w periods (of all when fewer). */
export function movingAverageAt(y: Float64Array, end: number, w: number): number {
  const from = Math.max(0, end - w);
  let s = 0;
  for (let t = from; t < end; t++) s += y[t];
  return end > from ? s / (end - from) : 0;
}

export function meanAt(y: Float64Array, end: number): number {
  return movingAverageAt(y, end, end);
}
