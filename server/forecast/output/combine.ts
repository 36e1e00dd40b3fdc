/** Job-level metrics from the partitions' accumulators. */
import type { InventoryMetrics, InventoryTotals, JobConfig, JobMetrics } from '../../contract/dto.js';
import type { PartitionResult } from '../types.js';
import { mergeAcc, newAcc, summarize } from './metrics.js';
import type { EngineContext } from '../context.js';
import { PLAN_LEVELS } from '../inventory/ltd.js';
import { periodLabel } from '../series/periods.js';
import { fillOf } from './plan-metrics.js';

export function combineMetrics(
  results: PartitionResult[],
  ctx: EngineContext,
  config: JobConfig,
  seconds: number,
): JobMetrics {
  const chosen = newAcc(),
    naive = newAcc(),
    sba = newAcc();
  const classes: Record<string, number> = {},
    methods: Record<string, number> = {};
  let series = 0,
    scored = 0,
    model = 0,
    rounded = 0;
  for (const r of results) {
    const m = r.metrics;
    mergeAcc(chosen, m.chosen);
    mergeAcc(naive, m.naive);
    mergeAcc(sba, m.sba);
    series += m.series;
    scored += m.scored;
    model += m.total_model;
    rounded += m.total_rounded;
    for (const [k, v] of Object.entries(m.classes)) classes[k] = (classes[k] ?? 0) + v;
    for (const [k, v] of Object.entries(m.methods)) methods[k] = (methods[k] ?? 0) + v;
  }
  const inventory = inventoryMetrics(results, ctx);
  return {
    ...(inventory ? { inventory } : {}),
    chosen: summarize(chosen),
    naive: summarize(naive),
    sba: summarize(sba),
    series,
    scored_series: scored,
    forecast_total: { model: round2(model), rounded: round2(rounded) },
    classes,
    methods,
    frequency: ctx.freq,
    history_range: { first: periodLabel(ctx, ctx.fileStart), last: periodLabel(ctx, ctx.trainEnd) },
    horizon: config.forecast_horizon,
    warnings: ctx.warnings,
    notices: ctx.notices ?? [],
    seconds: Math.round(seconds * 100) / 100,
    holdout: 'last horizon of each series; choice made without it',
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const noTotals = (): InventoryTotals => ({
  series: 0,
  stock_value: 0,
  costed_series: 0,
  parts_to_order: 0,
  units_to_order: 0,
});

/** The plan's totals per site and overall, with the fit's backtest coverage; undefined without a plan. */
function inventoryMetrics(results: PartitionResult[], ctx: EngineContext): InventoryMetrics | undefined {
  const inv = ctx.inventory;
  if (!inv) return undefined;
  const all = noTotals();
  const bySite: Record<string, InventoryTotals> = {};
  const sd = new Map<InventoryTotals, { short: number; demand: number }>();
  for (const r of results) {
    if (!r.plan) continue;
    const t = r.plan.totals;
    for (const into of [all, (bySite[r.site] ??= noTotals())]) {
      const e = sd.get(into) ?? { short: 0, demand: 0 };
      e.short += t.short;
      e.demand += t.demand;
      sd.set(into, e);
      into.series += t.series;
      into.stock_value += t.stockValue;
      into.costed_series += t.costed;
      into.parts_to_order += t.toOrder;
      into.units_to_order += t.units;
    }
  }
  for (const t of [all, ...Object.values(bySite)]) {
    t.stock_value = round2(t.stock_value);
    t.expected_fill_rate = fillOf(sd.get(t) ?? { short: 0, demand: 0 });
  }
  return {
    ...all,
    service_level: inv.settings.defaults.target,
    backtest_basis: 'holdout_last_origin',
    backtest_coverage: inv.backtest.coverage,
    backtest_coverage_by_level: Object.fromEntries(inv.backtest.byLevel.map((c, j) => [String(PLAN_LEVELS[j]), c])),
    backtest_spl: inv.backtest.spl,
    backtest_windows: inv.backtest.windows,
    backtest_fit_windows: inv.backtest.fitWindows,
    by_site: bySite,
  };
}
