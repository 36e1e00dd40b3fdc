/**
 * A plan's figures in the job metrics (contract InventoryMetrics): totals per site and overall, and what
 * the allocation (inventory/allocate.ts) says about itself. The run and the re-plan both go through here.
 */
import type { InventoryMetrics, InventoryTotals, PlanAllocationMetrics } from '../../contract/dto.js';
import type { Notice } from '../../contract/vocab.js';
import type { PlanSpec } from '../inventory/allocate.js';
import type { PlanTotals } from '../inventory/plan-row.js';
import type { ReplanResult } from './replan.js';

const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** 1 − Σ short / Σ demand, 4 decimals (1 without demand). */
export const fillOf = (t: { short: number; demand: number }) => (t.demand > 0 ? round4(1 - t.short / t.demand) : 1);

export function totalsOf(t: PlanTotals): InventoryTotals {
  return {
    series: t.series,
    stock_value: round2(t.stockValue),
    costed_series: t.costed,
    parts_to_order: t.toOrder,
    units_to_order: t.units,
    expected_fill_rate: fillOf(t),
  };
}

/** The plan fields of the metrics from an allocation's result and the spec it was asked for. */
export function allocationMetrics(r: ReplanResult, spec: PlanSpec): PlanAllocationMetrics {
  const a = r.allocation;
  const pt = (p: { stock_value: number; expected_fill_rate: number }) => ({
    stock_value: round2(p.stock_value),
    expected_fill_rate: round4(p.expected_fill_rate),
  });
  const costed = r.overall.costed > 0;
  return {
    plan_mode: spec.mode,
    stock_budget: spec.mode === 'budget' ? (spec.stockBudget ?? null) : null,
    stock_budget_by_site: spec.mode === 'budget' ? (spec.stockBudgetBySite ?? null) : null,
    unknown_budget_sites: a.unknownSites ?? [],
    target_fill_rate: spec.mode === 'fill_rate' ? (spec.targetFillRate ?? null) : null,
    min_service_level: spec.mode === 'service_level' ? null : (spec.minServiceLevel ?? null),
    costless_series: a.costless,
    below_floors: a.belowFloors,
    target_unreachable: a.unreachable,
    plan_point: costed ? pt({ stock_value: a.stockValue, expected_fill_rate: a.costedFill }) : null,
    frontier: a.frontier.map(pt),
    uniform: a.uniform.map((u) => ({ service_level: u.service_level, ...pt(u) })),
  };
}

/** The job's inventory metrics with a (re-)plan's totals and allocation; the backtest figures are kept. */
export function withPlan(
  old: InventoryMetrics,
  r: ReplanResult,
  spec: PlanSpec,
): Omit<InventoryMetrics, 'service_level' | 'backtest_coverage'> {
  const by_site = Object.fromEntries(Object.entries(r.bySite).map(([site, t]) => [site, totalsOf(t)]));
  return { ...old, ...totalsOf(r.overall), by_site, allocation: allocationMetrics(r, spec) };
}

/** The spec a job config asks for (absent plan_mode: the service level of each part). */
export function planSpecOf(c: {
  plan_mode?: PlanSpec['mode'];
  stock_budget?: number;
  stock_budget_by_site?: Record<string, number> | null;
  target_fill_rate?: number;
  min_service_level?: number;
}): PlanSpec {
  const mode = c.plan_mode ?? 'service_level';
  return {
    mode,
    ...(mode === 'budget' && c.stock_budget !== undefined ? { stockBudget: c.stock_budget } : {}),
    ...(mode === 'budget' && c.stock_budget_by_site ? { stockBudgetBySite: c.stock_budget_by_site } : {}),
    ...(mode === 'fill_rate' && c.target_fill_rate !== undefined ? { targetFillRate: c.target_fill_rate } : {}),
    ...(mode !== 'service_level' && c.min_service_level !== undefined ? { minServiceLevel: c.min_service_level } : {}),
  };
}

/**
 * A job's warnings and notices with the plan's own: PLAN_UNKNOWN_SITES when stock_budget_by_site names sites
 * the plan has no series of (their budgets are not spent; the sites are known only once the file is read,
 * so this is a notice, not a 400). An earlier plan's notice of this kind is replaced (a re-plan).
 */
export function withPlanNotices(
  m: { warnings: string[]; notices?: Notice[] },
  unknownSites: readonly string[],
): { warnings: string[]; notices: Notice[] } {
  const old = (m.notices ?? []).filter((n) => n.code === 'PLAN_UNKNOWN_SITES');
  const gone = new Set(old.map((n) => n.message));
  const warnings = m.warnings.filter((w) => !gone.has(w));
  const notices = (m.notices ?? []).filter((n) => n.code !== 'PLAN_UNKNOWN_SITES');
  if (unknownSites.length) {
    const examples = unknownSites.slice(0, 5);
    const message =
      `stock_budget_by_site names ${unknownSites.length} site(s) this plan has no series of; their budgets ` +
      `were not spent (e.g. ${examples.join(', ')}).`;
    warnings.push(message);
    notices.push({ code: 'PLAN_UNKNOWN_SITES', params: { count: unknownSites.length }, examples, message });
  }
  return { warnings, notices };
}
