/** The method registry: every method gives, for each training end, h forecasts of the mean demand (≥ 0). */
import { adidaAt, aggregatedSesK1, imapaAt, prefixOf, type Prefix } from './aggregate.js';
import { crostonScan, CROSTON_ALPHA, tsbScan } from './intermittent.js';
import { meanAt, movingAverageAt, naiveAt, seasonalNaiveAt } from './simple.js';
import { METHOD_NAMES } from '../../contract/defaults.js';
import { holtDampedScan, sesScan } from './smoothing.js';

// The names are part of the contract (the client offers them); the implementations live here.
export { METHOD_NAMES };
export type MethodName = (typeof METHOD_NAMES)[number];

/** Members of the combination: level estimators of different kinds (smoothing, occurrence, aggregation, window). */
export const COMB_MEMBERS: readonly MethodName[] = ['ses', 'tsb', 'imapa', 'ma'];

export interface MethodEnv {
  /** Season length for seasonal naive. */
  season: number;
  /** Moving-average window. */
  maWindow: number;
}

export function isMethodName(s: string): s is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(s);
}

/** Prefix sums per series array (weak: dropped with the series). */
const prefixCache = new WeakMap<Float64Array, Prefix>();

const flat = (v: number, h: number) => new Float64Array(h).fill(v > 0 ? v : 0);
const flats = (vals: ArrayLike<number>, h: number) => Array.from(vals, (v) => flat(v, h));

/** Methods whose forecast is one level repeated over the horizon. */
export const FLAT_METHODS: ReadonlySet<MethodName> = new Set([
  'naive',
  'ma',
  'mean',
  'ses',
  'croston',
  'sba',
  'tsb',
  'adida',
  'imapa',
]);

/** Levels (flat forecasts) of a flat method at every end (ascending, each ≥ 1), without per-end arrays. */
export function runLevels(name: MethodName, y: Float64Array, ends: readonly number[], env: MethodEnv): Float64Array {
  const E = ends.length;
  let out: Float64Array;
  switch (name) {
    case 'ses':
      out = sesScan(y, ends);
      break;
    case 'croston':
      out = crostonScan(y, ends, CROSTON_ALPHA, false);
      break;
    case 'sba':
      out = crostonScan(y, ends, CROSTON_ALPHA, true);
      break;
    case 'tsb':
      out = tsbScan(y, ends);
      break;
    default: {
      const p = prefixCache.get(y) ?? prefixOf(y);
      prefixCache.set(y, p);
      out = new Float64Array(E);
      const k1 = name === 'adida' || name === 'imapa' ? aggregatedSesK1(y, ends) : null;
      for (let i = 0; i < E; i++) {
        const e = ends[i];
        if (name === 'naive') out[i] = naiveAt(y, e);
        else if (name === 'ma') {
          const w = Math.min(e, env.maWindow);
          out[i] = w > 0 ? (p.cs[e] - p.cs[e - w]) / w : 0;
        } else if (name === 'mean') out[i] = e > 0 ? p.cs[e] / e : 0;
        else if (name === 'adida') out[i] = adidaAt(p, e, k1![i]);
        else if (name === 'imapa') out[i] = imapaAt(p, e, k1![i]);
        else throw new Error(`${name} is not a flat method`);
      }
    }
  }
  for (let i = 0; i < E; i++) if (!(out[i] > 0)) out[i] = 0;
  return out;
}

/** Forecasts of one method at every end (ascending, each ≥ 1). */
export function runMethod(
  name: MethodName,
  y: Float64Array,
  ends: readonly number[],
  h: number,
  env: MethodEnv,
  cache?: Map<MethodName, Float64Array[]>,
): Float64Array[] {
  const hit = cache?.get(name);
  if (hit) return hit;
  let out: Float64Array[];
  let pre: Prefix | undefined;
  const prefix = () => (pre ??= prefixCache.get(y) ?? prefixOf(y));
  switch (name) {
    case 'naive':
      out = ends.map((e) => flat(naiveAt(y, e), h));
      break;
    case 'snaive':
      out = ends.map((e) => seasonalNaiveAt(y, e, h, env.season));
      break;
    case 'ma':
      out = ends.map((e) => flat(movingAverageAt(y, e, env.maWindow), h));
      break;
    case 'mean':
      out = ends.map((e) => flat(meanAt(y, e), h));
      break;
    case 'ses':
      out = flats(sesScan(y, ends), h);
      break;
    case 'ets':
      out = holtDampedScan(y, ends, h);
      break;
    case 'croston':
      out = flats(crostonScan(y, ends, CROSTON_ALPHA, false), h);
      break;
    case 'sba':
      out = flats(crostonScan(y, ends, CROSTON_ALPHA, true), h);
      break;
    case 'tsb':
      out = flats(tsbScan(y, ends), h);
      break;
    case 'adida':
      out = ends.map((e) => flat(adidaAt(prefix(), e), h));
      break;
    case 'imapa':
      out = ends.map((e) => flat(imapaAt(prefix(), e), h));
      break;
    case 'comb': {
      const parts = COMB_MEMBERS.map((m) => runMethod(m, y, ends, h, env, cache));
      out = ends.map((_, i) => {
        const f = new Float64Array(h);
        for (const p of parts) for (let k = 0; k < h; k++) f[k] += p[i][k] / parts.length;
        return f;
      });
      break;
    }
  }
  if (pre) prefixCache.set(y, pre);
  cache?.set(name, out);
  return out;
}
