/**
 * Exponential smoothing scanned once over a series, reporting the forecast at several training ends
 * (rolling origins) without refitting from scratch: SES with α chosen per end from the one-step SSE up to
 * that end, and Holt's damped additive trend (ETS(A,Ad,N)) chosen the same way from a small grid.
 */

/** α grid for SES (optimised per end by one-step squared error, as forecast::ses does by likelihood). */
const SES_ALPHAS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9];

/**
 * SES levels at each end. `ends` ascending, each 1..n. Returns per end the level (flat forecast) of the α
 * with the lowest one-step SSE over y[0..end). Level starts at y[0]. `alphas` restricts the grid.
 */
export function sesScan(
  y: Float64Array,
  ends: readonly number[],
  alphas: readonly number[] = SES_ALPHAS,
): Float64Array {
  const G = alphas.length;
  const lev = new Float64Array(G).fill(y[0]);
  const sse = new Float64Array(G);
  const out = new Float64Array(ends.length);
  let e = 0;
  for (let t = 1; t <= y.length && e < ends.length; t++) {
    while (e < ends.length && ends[e] === t) {
      let best = 0;
      for (let g = 1; g < G; g++) if (sse[g] < sse[best] - 1e-12) best = g;
      out[e++] = lev[best];
    }
    if (t === y.length) break;
    const v = y[t];
    for (let g = 0; g < G; g++) {
      const err = v - lev[g];
      sse[g] += err * err;
      lev[g] += alphas[g] * err;
    }
  }
  return out;
}

const HOLT_GRID: readonly (readonly [number, number])[] = [
  [0.1, 0.01],
  [0.1, 0.05],
  [0.2, 0.02],
  [0.2, 0.1],
  [0.3, 0.05],
  [0.5, 0.05],
  [0.5, 0.2],
  [0.8, 0.1],
];
const HOLT_PHI = 0.9;

/**
 * Damped-trend Holt (additive): l_t = l + b·φ + α e, b_t = φ b + β e (β on the error, as in ETS form).
 * Returns per end the h forecasts (clamped at 0) of the grid point with the lowest one-step SSE.
 */
export function holtDampedScan(y: Float64Array, ends: readonly number[], h: number): Float64Array[] {
  const G = HOLT_GRID.length;
  const n = y.length;
  const l = new Float64Array(G).fill(y[0]);
  const b0 =
    n > 1
      ? Math.max(-Math.abs(y[0]), Math.min(Math.abs(y[0]), (y[Math.min(n - 1, 3)] - y[0]) / Math.min(n - 1, 3)))
      : 0;
  const b = new Float64Array(G).fill(n > 1 ? b0 : 0);
  const sse = new Float64Array(G);
  const out: Float64Array[] = [];
  let e = 0;
  const phi = HOLT_PHI;
  for (let t = 1; t <= n && e < ends.length; t++) {
    while (e < ends.length && ends[e] === t) {
      let best = 0;
      for (let g = 1; g < G; g++) if (sse[g] < sse[best] - 1e-12) best = g;
      const f = new Float64Array(h);
      let damp = 0,
        pk = 1;
      for (let k = 0; k < h; k++) {
        pk *= phi;
        damp += pk;
        f[k] = Math.max(0, l[best] + damp * b[best]);
      }
      out.push(f);
      e++;
    }
    if (t === n) break;
    const v = y[t];
    for (let g = 0; g < G; g++) {
      const [a, be] = HOLT_GRID[g];
      const pred = l[g] + phi * b[g];
      const err = v - pred;
      sse[g] += err * err;
      l[g] = pred + a * err;
      b[g] = phi * b[g] + be * err;
    }
  }
  return out;
}
