/**
 * A planner's overrides applied to one series' plan (the kinds: contract/override-rules.ts). The system's plan
 * is made first and kept beside the final one (system_ltd_mean, system_order_up_to): a forecast override
 * replaces the forecast mean per period (the plan's mean is then value × P, without the model's mean
 * correction: it is the planner's number), a service-level override sets the part's target (and its floor
 * where a budget or a fill rate is spent), an order-up-to override fixes the level (its service level is then
 * the level's honest coverage). A part's override for one site wins over its override for every site, kind by
 * kind.
 */
import type { OverrideKind } from '../../contract/override-rules.js';
import type { SiteSeries } from '../series/group.js';
import { levelAt, shortOf, tailInto } from './allocate.js';
import type { PooledParams } from './fit.js';
import { planRow, planSeries, setExpected, setOrderUpTo, type PlannedSeries, type PlanRow } from './plan-row.js';
import type { SeriesSettings } from './settings.js';

/** One override as a job or a re-plan applies it (structured-clonable). */
export interface PlanOverride {
  kind: OverrideKind;
  value: number;
  reason: string;
  /** who set it (null: AUTH=off) */
  by: string | null;
}

/** The overrides in force, by `${part}\u0001${site}` ('' = every site of the part), then kind. */
export interface PlanOverrides {
  by: Record<string, Partial<Record<OverrideKind, PlanOverride>>>;
}

/** One series' overrides, each kind from its site's row, else the part's row for every site. */
export type SeriesOverrides = Partial<Record<OverrideKind, PlanOverride>>;

const SEP = '\u0001';
/** The order kinds are named in (override_kind joins them with '+'). */
const ORDER: OverrideKind[] = ['forecast_per_period', 'order_up_to', 'service_level'];

export function planOverridesOf(
  list: readonly {
    partnumber: string;
    site_code: string;
    kind: OverrideKind;
    value: number;
    reason: string;
    created_by: string | null;
  }[],
): PlanOverrides {
  const by: PlanOverrides['by'] = {};
  for (const o of list)
    (by[`${o.partnumber}${SEP}${o.site_code}`] ??= {})[o.kind] = {
      kind: o.kind,
      value: o.value,
      reason: o.reason,
      by: o.created_by,
    };
  return { by };
}

/** The overrides of one series; null when it has none. */
export function overridesFor(o: PlanOverrides | undefined, part: string, site: string): SeriesOverrides | null {
  if (!o) return null;
  const a = o.by[`${part}${SEP}${site}`];
  const b = o.by[`${part}${SEP}`];
  if (!a && !b) return null;
  return { ...b, ...a };
}

/**
 * How many of the overrides name a series of the job, and how many of the parts they name the job does not
 * have (with a few of them): what the job's OVERRIDES_APPLIED notice says.
 */
export function matchOverrides(
  o: PlanOverrides,
  series: readonly SiteSeries[],
): { applied: number; missingParts: number; examples: string[] } {
  const sites = new Map<string, Set<string>>();
  for (const s of series)
    for (const p of s.parts) {
      let set = sites.get(p);
      if (!set) sites.set(p, (set = new Set()));
      set.add(s.site);
    }
  let applied = 0;
  const missing = new Set<string>();
  for (const [key, kinds] of Object.entries(o.by)) {
    const [part, site] = key.split(SEP);
    const at = sites.get(part);
    if (!at) missing.add(part);
    else if (!site || at.has(site)) applied += Object.keys(kinds).length;
  }
  return { applied, missingParts: missing.size, examples: [...missing].slice(0, 5) };
}

/**
 * The forecast mean a series is planned and written with: the override's value every period, or the
 * engine's own (the same array).
 */
export function forecastWith(ov: SeriesOverrides | null, mean: ArrayLike<number>): ArrayLike<number> {
  const f = ov?.forecast_per_period;
  return f ? new Float64Array(Math.max(1, mean.length)).fill(f.value) : mean;
}

const TAIL = { a: new Float64Array(256) };

/**
 * One series' plan with its overrides (planSeries otherwise): the final row, with the system's mean and level
 * kept in `row.override`, and the settings it was planned with (the service level's override as its own
 * target). `fixed`: the level an order_up_to override fixes (an allocation must leave it).
 */
export function planSeriesWith(
  key: { partnumber: string; site: string; demandClass: string },
  history: ArrayLike<number>,
  forecast: ArrayLike<number> | null,
  st: SeriesSettings,
  pooled: PooledParams,
  ov: SeriesOverrides | null,
): { p: PlannedSeries; st: SeriesSettings; fixed: number | null } {
  if (!ov) return { p: planSeries(key, history, forecast, st, pooled), st, fixed: null };
  const system = planSeries(key, history, forecast, st, pooled).row;
  const sl = ov.service_level;
  const own = sl ? { ...st, target: sl.value, ownTarget: sl.value } : st;
  const fc = forecast ? forecastWith(ov, forecast) : ov.forecast_per_period ? forecastWith(ov, []) : null;
  const p = planSeries(key, history, fc, own, pooled, { exactMean: !!ov.forecast_per_period });
  const up = ov.order_up_to;
  if (up) {
    const n = tailInto(p.dist, p.cal, up.value + 1, TAIL);
    setOrderUpTo(p.row, up.value, levelAt(TAIL.a, n, up.value));
  }
  const kinds = ORDER.filter((k) => ov[k]);
  p.row.override = {
    systemMean: system.mean,
    systemOrderUpTo: system.orderUpTo,
    kinds: kinds.join('+'),
    reason: kinds.map((k) => ov[k]!.reason).join(' | '),
  };
  return { p, st: own, fixed: up ? up.value : null };
}

/** planRow with overrides: the row of the service-level plan, its expected units short and fill rate included. */
export function planRowWith(
  key: { partnumber: string; site: string; demandClass: string },
  history: ArrayLike<number>,
  forecast: ArrayLike<number> | null,
  st: SeriesSettings,
  pooled: PooledParams,
  ov: SeriesOverrides | null,
): PlanRow {
  if (!ov) return planRow(key, history, forecast, st, pooled);
  const { p } = planSeriesWith(key, history, forecast, st, pooled, ov);
  const n = tailInto(p.dist, p.cal, p.row.orderUpTo + 1, TAIL);
  const { short, mean } = shortOf(TAIL.a, n, p.row.orderUpTo);
  setExpected(p.row, short, mean);
  return p.row;
}
