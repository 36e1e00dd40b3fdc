/**
 * Lead-time demand of one series: the distribution of total demand over the P periods after the forecast
 * origin, centred on the engine's point forecast, shaped by the pooled parameters of the series' group.
 */
import { distMean, mixtureWithMean, quantilesSorted, type LtdDist } from './dist.js';
import { statsOf } from './features.js';
import { calibrationFor } from './calibrate.js';
import { featuresOf, recurFor } from './hurdle.js';
import { alphaAt, meanAt, paramsFor, zeroOf, type Calibration, type GroupParams, type PooledParams } from './params.js';
import { forecastOverP } from './periods.js';

export const PLAN_LEVELS = [0.5, 0.8, 0.9, 0.95, 0.99] as const;

export interface LtdInput {
  /** per-period demand from the series' first demand to the origin (zeros included) */
  history: ArrayLike<number>;
  /** the engine's per-period forecast mean after the origin; null: the history's reference mean */
  forecast: ArrayLike<number> | null;
  /** protection interval L + R in periods */
  P: number;
  /** target service level in (0, 1) */
  target: number;
  /**
   * true: the forecast is a planner's (an override): its sum over P is the mean as it stands, without the
   * model's mean correction, and it is planned even for a series without any demand yet
   */
  exactMean?: boolean;
}

export interface LtdPlan {
  group: string;
  mean: number;
  /** integer quantiles at PLAN_LEVELS */
  q: number[];
  /** the integer quantile at the target level */
  orderUpTo: number;
  safetyStock: number;
  dist: LtdDist;
  /** the hurdle's chance of any demand within P (1 without a hurdle) */
  recur: number;
}

/** The level to read the model at so that backtested coverage is `tau`; identity without a map. */
export function readLevel(cal: Calibration | null, tau: number): number {
  if (!cal) return tau;
  const { levels, read } = cal;
  // outside the calibrated range: shift by the nearest end's correction, on the odds scale near 1
  if (tau <= levels[0]) return Math.max(1e-4, tau + read[0] - levels[0]);
  const last = levels.length - 1;
  if (tau >= levels[last]) return 1 - (1 - tau) * ((1 - read[last]) / (1 - levels[last]));
  let j = 1;
  while (levels[j] < tau) j++;
  const f = (tau - levels[j - 1]) / (levels[j] - levels[j - 1]);
  return read[j - 1] + f * (read[j] - read[j - 1]);
}

/** What planLtd needs per (group, target), the same for every series of the group: computed once per pooled fit. */
interface GroupPlan {
  g: GroupParams;
  /** the levels to read at, PLAN_LEVELS then the target, ascending; at[j] is where level j landed */
  read: Float64Array;
  at: Int32Array;
}
const groupPlans = new WeakMap<PooledParams, Map<string, GroupPlan>>();

function groupPlan(pooled: PooledParams, group: string, target: number): GroupPlan {
  let byKey = groupPlans.get(pooled);
  if (!byKey) groupPlans.set(pooled, (byKey = new Map()));
  const key = `${group}@${target}`;
  let gp = byKey.get(key);
  if (gp) return gp;
  const cal = calibrationFor(pooled, group);
  const read = [...PLAN_LEVELS, target].map((t) => readLevel(cal, t));
  // the map is monotone by construction; max() keeps the quantiles so even where interpolation rounds
  for (let j = 1; j < PLAN_LEVELS.length; j++) read[j] = Math.max(read[j], read[j - 1]);
  const order = read.map((_, i) => i).sort((x, y) => read[x] - read[y]);
  const at = new Int32Array(read.length);
  order.forEach((i, j) => (at[i] = j));
  gp = { g: paramsFor(pooled, group), read: Float64Array.from(order, (i) => read[i]), at };
  byKey.set(key, gp);
  return gp;
}

/** quantilesSorted's output, reused across series */
const QS = new Float64Array(PLAN_LEVELS.length + 1);

export function planLtd(input: LtdInput, pooled: PooledParams): LtdPlan {
  const { history, forecast, P, target } = input;
  if (!(target > 0 && target < 1)) throw new RangeError(`service level must be in (0, 1), got ${target}`);
  if (!Number.isInteger(P) || P < 0) throw new RangeError(`P must be a non-negative integer, got ${P}`);
  const st = statsOf(history);
  const group = st.group();
  const given = input.exactMean === true && !!forecast && forecast.length > 0;
  if (P === 0 || (st.nonzero === 0 && !given)) {
    // nothing to protect (L = R = 0) or no demand ever seen: the engine has nothing to centre on
    const dist = mixtureWithMean(0, 0, 1);
    return { group, mean: 0, q: PLAN_LEVELS.map(() => 0), orderUpTo: 0, safetyStock: 0, dist, recur: 0 };
  }
  const { g, read, at } = groupPlan(pooled, group, target);
  const fc = forecast && forecast.length > 0 ? forecastOverP(forecast, P) : st.level * P;
  const mu = given ? fc : meanAt(g, fc, P, st.sum / st.n);
  const recur = pooled.hurdle && st.nonzero > 0 ? recurFor(pooled.hurdle, featuresOf(st), P, fc) : 1;
  const dist = mixtureWithMean(mu, alphaAt(pooled.form, g, P, mu, st.sizeIndex(), st.n), zeroOf(g, recur));
  quantilesSorted(dist, read, QS);
  const q = [QS[at[0]], QS[at[1]], QS[at[2]], QS[at[3]], QS[at[4]]];
  const exact = PLAN_LEVELS.indexOf(target as (typeof PLAN_LEVELS)[number]);
  const orderUpTo = exact >= 0 ? q[exact] : QS[at[PLAN_LEVELS.length]];
  const mean = distMean(dist);
  return { group, mean, q, orderUpTo, safetyStock: orderUpTo - mean, dist, recur };
}
