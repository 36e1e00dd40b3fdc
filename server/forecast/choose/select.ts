/**
 * Per-series evaluation: candidate forecasts at several rolling origins (a fraction of a horizon apart),
 * the obsolescence guard on every forecast, and per origin the statistics the choice needs (choose.ts picks
 * one method per class; stack.ts learns combination weights per class). Every origin's window lies inside
 * the training history; origins usable for the holdout choice also end before the holdout starts, and the
 * holdout's demand class is computed without the holdout (no leak).
 */
import { aliveAtEnds, classify } from '../series/classify.js';
import type { Evaluated } from './evaluated.js';
import { FLAT_METHODS, runLevels, runMethod, type MethodEnv, type MethodName } from '../methods/index.js';
import { endFeatures } from '../methods/global.js';

/**
 * Members of the automatic choice: level estimators of different kinds (window, smoothing, occurrence,
 * aggregation, last value), all flat over the horizon, so a weighted combination of them is a level too.
 */
export const STACK_MEMBERS: readonly MethodName[] = ['ma', 'mean', 'ses', 'tsb', 'sba', 'adida', 'imapa', 'naive'];
/**
 * Obsolescence guards of the members, as fractions of the prior life: each member enters the combination
 * under the prior (five years) and under a one-year life, so the learned weights say how fast parts fall out
 * of use in this data instead of a fixed prior deciding it.
 */
export const GUARD_LIVES: readonly number[] = [1, 0.2];
/** At most this many backtest origins per series. */
export const MAX_ORIGINS = 8;
/** Origins are this fraction of a horizon apart (shorter steps: more, fresher evidence). */
const ORIGIN_STEP = 0.25;
/** Fewest periods (from the first demand) a backtest origin must have before it. */
export const MIN_TRAIN = 4;

export interface SelectOptions {
  h: number;
  env: MethodEnv;
  /** 'auto' or one method. */
  method: 'auto' | MethodName;
  /** Average life of a part, in periods (obsolescence prior). */
  lifePeriods: number;
  /** Methods whose unguarded holdout forecasts are wanted (baselines for the metrics). */
  baselines: readonly MethodName[];
}

/** Origin ends e (descending), each with e ≥ fd + MIN_TRAIN and e + h ≤ n. */
export function originEnds(n: number, fd: number, h: number): number[] {
  const step = Math.max(1, Math.ceil(h * ORIGIN_STEP));
  const out: number[] = [];
  for (let e = n - h; e >= fd + MIN_TRAIN && out.length < MAX_ORIGINS; e -= step) out.push(e);
  return out;
}

export function evaluateSeries(y: Float64Array, fd: number, o: SelectOptions): Evaluated {
  const n = y.length,
    h = o.h;
  const cls = classify(y, fd, n).cls;
  const holdEnd = n - h;
  const hasHold = holdEnd >= fd + MIN_TRAIN;
  const clsHold = hasHold ? classify(y, fd, holdEnd).cls : 'no_demand';
  const anyDemand = cls !== 'no_demand';
  const auto = o.method === 'auto';
  const methods: readonly MethodName[] = !anyDemand ? [] : o.method === 'auto' ? STACK_MEMBERS : [o.method];
  const lives = (auto ? GUARD_LIVES : [1]).map((f) => f * o.lifePeriods);
  const cands = lives.flatMap(() => methods),
    candLives = lives.flatMap((l) => methods.map(() => l));
  const bt = anyDemand ? originEnds(n, fd, h) : [];
  const J = bt.length,
    C = cands.length;
  // runMethod wants ascending ends: the origins, then the holdout origin (= bt[0] when it exists), then n
  // (origins exist only when the holdout origin n − h does, and bt[0] is that origin)
  const ends = [...bt].reverse();
  if (hasHold && J === 0) ends.push(holdEnd);
  ends.push(n);
  const idx = new Map(ends.map((e, i) => [e, i]));
  const alive = aliveAtEnds(y, fd, ends, lives);
  const ev: Evaluated = {
    cls,
    clsHold,
    cands,
    lives: candLives,
    final: [],
    hold: hasHold && C ? [] : null,
    J,
    fMean: new Float64Array(J * C),
    se: new Float64Array(J * C),
    aMean: new Float64Array(J),
    aVar: new Float64Array(J),
    s2: new Float64Array(J),
    forHold: new Uint8Array(J),
    base: null,
    holdEnd,
    sd: 0,
    size2: 0,
    gf: auto && anyDemand ? endFeatures(y, fd, [...bt, hasHold ? holdEnd : n, n], h, o.env.maWindow) : null,
  };
  // cumulative squared first differences from the first demand: the scale before each origin in O(1)
  const d2 = new Float64Array(n + 1);
  for (let t = fd + 1; t < n; t++) d2[t + 1] = d2[t] + (y[t] - y[t - 1]) ** 2;
  for (let j = 0; j < J; j++) {
    const e = bt[j];
    let s = 0,
      q = 0;
    for (let k = 0; k < h; k++) {
      s += y[e + k];
      q += y[e + k] * y[e + k];
    }
    ev.aMean[j] = s / h;
    ev.aVar[j] = Math.max(0, q / h - (s / h) ** 2);
    ev.s2[j] = e - fd >= 2 ? d2[e] / (e - fd - 1) : 0;
    ev.forHold[j] = e + h <= holdEnd ? 1 : 0;
  }
  const cache = new Map<MethodName, Float64Array[]>();
  const levels = new Map<MethodName, Float64Array>();
  for (let c = 0; c < C; c++) {
    const m = cands[c],
      al = alive[Math.floor(c / methods.length)];
    if (FLAT_METHODS.has(m)) {
      // a flat forecast f over a window: squared error = h (variance + (mean − f)²), no arrays needed
      let lv = levels.get(m);
      if (!lv) levels.set(m, (lv = runLevels(m, y, ends, o.env)));
      const at = (e: number) => {
        const i = idx.get(e)!;
        return lv[i] * al[i];
      };
      ev.final.push(Float64Array.of(at(n)));
      if (ev.hold) ev.hold.push(Float64Array.of(at(holdEnd)));
      for (let j = 0; j < J; j++) {
        const f = at(bt[j]);
        ev.fMean[j * C + c] = f;
        ev.se[j * C + c] = h * (ev.aVar[j] + (ev.aMean[j] - f) ** 2);
      }
      continue;
    }
    const raw = runMethod(m, y, ends, h, o.env, cache);
    const at = (e: number) => {
      const i = idx.get(e)!;
      const f = raw[i];
      return al[i] === 1 ? f : f.map((v) => v * al[i]);
    };
    ev.final.push(at(n));
    if (ev.hold) ev.hold.push(at(holdEnd));
    for (let j = 0; j < J; j++) {
      const e = bt[j],
        f = at(e);
      let fs = 0,
        se = 0;
      for (let k = 0; k < h; k++) {
        fs += f[k];
        const d = y[e + k] - f[k];
        se += d * d;
      }
      ev.fMean[j * C + c] = fs / h;
      ev.se[j * C + c] = se;
    }
  }
  if (hasHold && anyDemand) ev.base = o.baselines.map((b) => runMethod(b, y, [holdEnd], h, o.env)[0]);
  let s = 0,
    q = 0;
  for (let t = fd; t < n; t++) {
    s += y[t];
    q += y[t] * y[t];
  }
  ev.sd = n > fd ? Math.sqrt(Math.max(0, q / (n - fd) - (s / (n - fd)) ** 2)) : 0;
  ev.size2 = s > 0 ? q / s : 0;
  return ev;
}
