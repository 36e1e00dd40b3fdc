/**
 * Choosing a method per series from the backtest scores. 'series': each series its own best candidate.
 * 'class': the candidate with the lowest mean origin RMSSE over all series of the same demand class in the
 * partition (a few origins of one short series are a noisy judge; a class's thousands are not).
 * 'blend': per series, its own mean score plus the class's mean score (own evidence, shrunk to the class's).
 */
import type { MethodName } from './methods/index.js';
import { DEFAULT_METHOD, type Evaluated } from './select.js';

export type Selection = 'series' | 'class' | 'blend';

type Pool = Map<string, { sum: Map<MethodName, number>; n: Map<MethodName, number> }>;

function pool(evs: Evaluated[], hold: boolean): Pool {
  const p: Pool = new Map();
  for (const ev of evs) {
    const k = hold ? ev.nHold : ev.nFinal;
    if (k === 0) continue;
    let e = p.get(ev.cls);
    if (!e) p.set(ev.cls, (e = { sum: new Map(), n: new Map() }));
    const s = hold ? ev.sHold : ev.sFinal;
    ev.cands.forEach((m, c) => { e.sum.set(m, (e.sum.get(m) ?? 0) + s[c] / k); e.n.set(m, (e.n.get(m) ?? 0) + 1); });
  }
  return p;
}

function pick(ev: Evaluated, hold: boolean, sel: Selection, p: Pool): number {
  const C = ev.cands.length;
  if (C <= 1) return 0;
  const k = hold ? ev.nHold : ev.nFinal;
  const s = hold ? ev.sHold : ev.sFinal;
  const cl = p.get(ev.cls);
  const classMean = (m: MethodName) => (cl && cl.n.get(m) ? cl.sum.get(m)! / cl.n.get(m)! : NaN);
  let best = -1, bestV = Infinity;
  for (let c = 0; c < C; c++) {
    const own = k ? s[c] / k : NaN;
    const pooled = classMean(ev.cands[c]);
    let v: number;
    if (sel === 'series') v = own;
    else if (sel === 'class') v = Number.isNaN(pooled) ? own : pooled;
    else v = (Number.isNaN(own) ? 0 : own) + (Number.isNaN(pooled) ? 0 : pooled);
    if (v < bestV - 1e-12) { best = c; bestV = v; }
  }
  if (best < 0) { const d = ev.cands.indexOf(DEFAULT_METHOD); return d >= 0 ? d : 0; }
  return best;
}

/** Index of the chosen candidate for the final forecast and for the holdout (-1 when no holdout). */
export function chooseAll(evs: Evaluated[], sel: Selection): { final: number; hold: number }[] {
  const pf = pool(evs, false), ph = pool(evs, true);
  return evs.map((ev) => ({ final: pick(ev, false, sel, pf), hold: ev.hold ? pick(ev, true, sel, ph) : -1 }));
}
