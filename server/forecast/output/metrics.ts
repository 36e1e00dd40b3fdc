/**
 * Holdout accuracy, defined as in the reference scorer (shared/tools/score.mjs): per series scale = mean
 * (squared | absolute) first difference of the training calendar from the series' first demand to the
 * training end; RMSSE and MASE averaged over scored series; MAE, RMSE over series × periods; bias % =
 * 100 (Σf − Σa) / Σa. Series with no training demand or zero scale are not scored.
 */
import type { ErrorSummary } from '../../contract/dto.js';

export interface ErrAcc {
  n: number;
  rmsse: number;
  mase: number;
  ae: number;
  se: number;
  cells: number;
  f: number;
  a: number;
}

/** One partition's (or chunk's) accumulators, merged into the job's metrics by combineMetrics. */
export interface PartitionMetrics {
  chosen: ErrAcc;
  naive: ErrAcc;
  sba: ErrAcc;
  series: number;
  scored: number;
  classes: Record<string, number>;
  methods: Record<string, number>;
  /** Σ forecast_qty_raw_model and Σ forecast_qty over the written output (what rounding keeps of the volume) */
  total_model: number;
  total_rounded: number;
}

export const newAcc = (): ErrAcc => ({ n: 0, rmsse: 0, mase: 0, ae: 0, se: 0, cells: 0, f: 0, a: 0 });

export function mergeAcc(into: ErrAcc, x: ErrAcc): void {
  into.n += x.n;
  into.rmsse += x.rmsse;
  into.mase += x.mase;
  into.ae += x.ae;
  into.se += x.se;
  into.cells += x.cells;
  into.f += x.f;
  into.a += x.a;
}

/** Scales of y[fd..end): mean |Δ| and mean Δ² (null when fewer than 2 periods or zero). */
export function scales(y: Float64Array, fd: number, end: number): { s1: number; s2: number } | null {
  if (end - fd < 2) return null;
  let s1 = 0,
    s2 = 0;
  for (let t = fd + 1; t < end; t++) {
    const d = y[t] - y[t - 1];
    s1 += Math.abs(d);
    s2 += d * d;
  }
  if (s2 === 0) return null;
  return { s1: s1 / (end - fd - 1), s2: s2 / (end - fd - 1) };
}

/** Adds one series' holdout y[end..end+h) against forecasts f. */
export function addSeries(
  acc: ErrAcc,
  y: Float64Array,
  end: number,
  f: ArrayLike<number>,
  sc: { s1: number; s2: number },
): void {
  const h = f.length;
  let ae = 0,
    se = 0;
  for (let k = 0; k < h; k++) {
    const e = y[end + k] - f[k];
    ae += Math.abs(e);
    se += e * e;
    acc.f += f[k];
    acc.a += y[end + k];
  }
  acc.n++;
  acc.cells += h;
  acc.ae += ae;
  acc.se += se;
  acc.rmsse += Math.sqrt(se / h / sc.s2);
  acc.mase += ae / h / sc.s1;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function summarize(acc: ErrAcc): ErrorSummary {
  if (acc.n === 0) return { rmsse: null, mase: null, mae: null, rmse: null, bias_pct: null };
  return {
    rmsse: r4(acc.rmsse / acc.n),
    mase: r4(acc.mase / acc.n),
    mae: r4(acc.ae / acc.cells),
    rmse: r4(Math.sqrt(acc.se / acc.cells)),
    bias_pct: acc.a > 0 ? Math.round((10000 * (acc.f - acc.a)) / acc.a) / 100 : null,
  };
}
