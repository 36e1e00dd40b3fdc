/**
 * One series after its backtests: what the choice (choose.ts, stack.ts) and the global model
 * (methods/global.ts) read. Its own file so that select.ts, which fills it, and global.ts do not import each other.
 */
import type { DemandClass } from '../series/classify.js';

export interface Evaluated {
  /** Class from the whole history (final forecast) and from the history before the holdout. */
  cls: DemandClass;
  clsHold: DemandClass;
  /** Candidate names: methods, and in the automatic choice the global model (global.ts) appended by choose.ts. */
  cands: readonly string[];
  /** Per candidate: the life (periods) of its obsolescence guard. */
  lives: readonly number[];
  /** Per candidate: forecast from the full history (h values ≥ 0, guarded; a flat forecast: its one level). */
  final: Float64Array[];
  /** Per candidate, when a holdout exists: forecast from the history before it. */
  hold: Float64Array[] | null;
  /** Backtest origins, descending (J of them); per origin j and candidate c (index j·C + c): */
  J: number;
  /** mean forecast over the window, squared error summed over the window. */
  fMean: Float64Array;
  se: Float64Array;
  /** Per origin: actual mean and variance over the window, scale (mean squared first difference) before it. */
  aMean: Float64Array;
  aVar: Float64Array;
  s2: Float64Array;
  /** Per origin: 1 when its window ends before the holdout (usable for the holdout's choice). */
  forHold: Uint8Array;
  /** Unguarded baseline forecasts of the holdout. */
  base: Float64Array[] | null;
  holdEnd: number;
  /** Standard deviation of the history (interval fallback). */
  sd: number;
  /** Σy² / Σy over the history: E[X²]/E[X] of its demand sizes, the count floor of the interval (interval.ts). */
  size2: number;
  /**
   * Global-model feature rows (global.ts endFeatures) at the origins (J rows, as bt), the holdout origin and
   * the training end; null unless the choice is automatic.
   */
  gf: Float64Array | null;
}
