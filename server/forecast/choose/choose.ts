/**
 * From backtest statistics to one forecast per series, for the final forecast and for the holdout.
 * 'stack' (default): weights per demand class (stack.ts), with the global model (methods/global.ts) as one
 * more member; 'class': the best single candidate per class; 'series': each series' own best (noisy).
 * The holdout's choice uses only origins that end before the holdout, grouped by the class before it.
 */
import { GLOBAL_MEMBER, withGlobal } from '../methods/global.js';
import type { Evaluated } from './evaluated.js';
import { learnWeights, type PackedSamples } from './stack.js';

export type Selection = 'stack' | 'class' | 'series';

/** Job-level weights per group key (class and candidates), for the final forecast and for the holdout. */
export interface WeightPrior {
  final: Record<string, number[]>;
  hold: Record<string, number[]>;
}

export interface Choice {
  /** h forecasts (≥ 0). */
  mean: Float64Array;
  /** Method label for the output. */
  method: string;
  /** Mean squared error per period over the backtest origins (NaN when none). */
  mse: number;
}

/** Per-candidate mean squared error per period at origin j (exact for the candidate's own forecasts). */
const seAt = (ev: Evaluated, j: number, c: number, h: number) => ev.se[j * ev.cands.length + c] / h;

/** Origin RMSSE of candidate c at origin j (NaN without scale). */
function rmsseAt(ev: Evaluated, j: number, c: number, h: number): number {
  return ev.s2[j] > 0 ? Math.sqrt(seAt(ev, j, c, h) / ev.s2[j]) : NaN;
}

function usable(ev: Evaluated, hold: boolean): number[] {
  const out: number[] = [];
  for (let j = 0; j < ev.J; j++) if ((!hold || ev.forHold[j]) && ev.s2[j] > 0) out.push(j);
  return out;
}

/** Mean origin RMSSE per candidate for one series (NaN when it has no usable origin). */
function ownScores(ev: Evaluated, hold: boolean, h: number): Float64Array {
  const js = usable(ev, hold),
    C = ev.cands.length;
  const s = new Float64Array(C).fill(js.length ? 0 : NaN);
  for (const j of js) for (let c = 0; c < C; c++) s[c] += rmsseAt(ev, j, c, h) / js.length;
  return s;
}

const groupKey = (ev: Evaluated, hold: boolean) => `${hold ? ev.clsHold : ev.cls}|${ev.cands.join(',')}`;

/**
 * Learns per-group weight vectors (one entry per candidate) for the 'stack' or 'class' selection; stacked
 * weights are shrunk toward `prior`'s weights for the group when given, else toward equal weights.
 */
export function groupWeights(
  evs: Evaluated[],
  hold: boolean,
  sel: Selection,
  h: number,
  prior?: Record<string, number[]>,
): Map<string, Float64Array> {
  const groups = new Map<string, { evs: Evaluated[] }>();
  for (const ev of evs) {
    if (!ev.cands.length || (hold && !ev.hold)) continue;
    const k = groupKey(ev, hold);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { evs: [] }));
    g.evs.push(ev);
  }
  const out = new Map<string, Float64Array>();
  for (const [k, g] of groups) {
    const C = g.evs[0].cands.length;
    if (sel === 'stack') {
      const usableOf = g.evs.map((ev) => usable(ev, hold));
      const N = usableOf.reduce((t, js) => t + js.length, 0);
      const S: PackedSamples = {
        n: N,
        x: new Float64Array(N * C),
        a: new Float64Array(N),
        v: new Float64Array(N),
        s2: new Float64Array(N),
        w: new Float64Array(N),
      };
      let series = 0,
        r = 0;
      g.evs.forEach((ev, e) => {
        const js = usableOf[e];
        if (js.length) series++;
        for (const j of js) {
          S.x.set(ev.fMean.subarray(j * C, (j + 1) * C), r * C);
          S.a[r] = ev.aMean[j];
          S.v[r] = ev.aVar[j];
          S.s2[r] = ev.s2[j];
          S.w[r] = 1 / js.length;
          r++;
        }
      });
      const p = prior?.[k];
      out.set(k, learnWeights(S, C, series, p && p.length === C ? Float64Array.from(p) : undefined));
    } else {
      const sum = new Float64Array(C);
      let m = 0;
      for (const ev of g.evs) {
        const s = ownScores(ev, hold, h);
        if (!Number.isNaN(s[0])) {
          m++;
          for (let c = 0; c < C; c++) sum[c] += s[c];
        }
      }
      const w = new Float64Array(C);
      w[m ? argmin(sum) : 0] = 1;
      out.set(k, w);
    }
  }
  return out;
}

function argmin(v: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < v.length; i++) if (v[i] < v[b] - 1e-12) b = i;
  return b;
}

/** Weighted sum of the candidates' forecasts (a one-value forecast is a level repeated over the horizon). */
function combine(fs: Float64Array[], w: Float64Array, h: number): Float64Array {
  const f = new Float64Array(h);
  let level = 0;
  for (let c = 0; c < fs.length; c++) {
    if (!(w[c] > 0)) continue;
    if (fs[c].length === 1) level += w[c] * fs[c][0];
    else for (let k = 0; k < h; k++) f[k] += w[c] * fs[c][k];
  }
  if (level) for (let k = 0; k < h; k++) f[k] += level;
  return f;
}

/** Backtest MSE per period of the weighted forecast (flat members: exact from window mean and variance). */
function comboMse(ev: Evaluated, w: Float64Array, h: number): number {
  const C = ev.cands.length;
  const nz = [...w].filter((x) => x > 0).length;
  let s = 0,
    n = 0;
  for (let j = 0; j < ev.J; j++) {
    if (nz === 1) {
      s += seAt(ev, j, argmin(w.map((x) => -x)), h);
      n++;
      continue;
    }
    let f = 0;
    for (let c = 0; c < C; c++) f += w[c] * ev.fMean[j * C + c];
    s += ev.aVar[j] + (f - ev.aMean[j]) ** 2;
    n++;
  }
  return n ? s / n : NaN;
}

function label(cands: readonly string[], w: Float64Array): string {
  const top = argmin(w.map((x) => -x));
  return w[top] > 0.999 && cands[top] !== GLOBAL_MEMBER ? cands[top] : 'stack';
}

/**
 * The series as the combination sees them: in the 'stack' selection with the global model (global.ts) as one
 * more member, fitted for the final forecast and (separately, without the holdout) for the holdout.
 */
export function stackInputs(evs: Evaluated[], sel: Selection, h: number): { fin: Evaluated[]; hold: Evaluated[] } {
  if (sel !== 'stack') return { fin: evs, hold: evs };
  return { fin: withGlobal(evs, false, h), hold: withGlobal(evs, true, h) };
}

/** One series' choice: the final forecast, the holdout's, and the final combination at each backtest origin. */
export interface Chosen {
  final: Choice;
  /** null when the series has no holdout */
  hold: Float64Array | null;
  /**
   * Per backtest origin (as Evaluated: J of them, descending ends), the final combination's mean per period
   * over the window: the engine's own backtest forecast, whose errors the inventory plan must cover.
   */
  bt: Float64Array;
}

function originMeans(ev: Evaluated, w: Float64Array): Float64Array {
  const C = ev.cands.length;
  const out = new Float64Array(ev.J);
  for (let j = 0; j < ev.J; j++) {
    let f = 0;
    for (let c = 0; c < C; c++) if (w[c] > 0) f += w[c] * ev.fMean[j * C + c];
    out[j] = f;
  }
  return out;
}

/** The final and holdout forecasts of every series (hold null when the series has no holdout). */
export function chooseAll(evs: Evaluated[], sel: Selection, h: number, prior?: WeightPrior): Chosen[] {
  const inp = stackInputs(evs, sel, h);
  const wf = sel === 'series' ? null : groupWeights(inp.fin, false, sel, h, prior?.final);
  const wh = sel === 'series' ? null : groupWeights(inp.hold, true, sel, h, prior?.hold);
  return evs.map((_, i) => {
    const weightsFor = (ev: Evaluated, hold: boolean): Float64Array => {
      const C = ev.cands.length;
      const g = (hold ? wh : wf)?.get(groupKey(ev, hold));
      if (g) return g;
      const own = ownScores(ev, hold, h);
      const w = new Float64Array(C);
      if (Number.isNaN(own[0])) w.fill(1 / C);
      else w[argmin(own)] = 1;
      return w;
    };
    const ev = inp.fin[i],
      eh = inp.hold[i];
    if (ev.cands.length === 0)
      return { final: { mean: new Float64Array(h), method: 'none', mse: NaN }, hold: null, bt: new Float64Array(0) };
    const w = weightsFor(ev, false);
    const final: Choice = { mean: combine(ev.final, w, h), method: label(ev.cands, w), mse: comboMse(ev, w, h) };
    return { final, hold: eh.hold ? combine(eh.hold, weightsFor(eh, true), h) : null, bt: originMeans(ev, w) };
  });
}
