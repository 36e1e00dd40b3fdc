/**
 * Queries over a job's plan rows for the Inventory view: one page (filter, sort, paginate) and the summary
 * (totals overall and per site, the service-vs-stock curve). Pure, no Node imports: the client's test fakes
 * answer with the same functions.
 */
import type {
  InventoryRowsDto,
  InventoryRowsQuery,
  InventorySummaryDto,
  PlanRowDto,
} from '../../contract/inventory.js';
import type { PlanTotalsDto } from '../../contract/inventory.js';
import type { InventoryMetrics } from '../../contract/dto.js';

const LEVELS = [
  [0.8, 'ltd_q80'],
  [0.9, 'ltd_q90'],
  [0.95, 'ltd_q95'],
  [0.99, 'ltd_q99'],
] as const;

const round2 = (x: number) => Math.round(x * 100) / 100;

function totals(rows: readonly PlanRowDto[], fill: number | undefined): PlanTotalsDto {
  const t: PlanTotalsDto = {
    series: 0,
    parts_to_order: 0,
    units_to_order: 0,
    stocked_series: 0,
    stock_value: 0,
    costed_series: 0,
    expected_fill_rate: fill ?? null,
  };
  for (const r of rows) {
    t.series++;
    if (r.suggested_order !== null) t.stocked_series++;
    if (r.suggested_order !== null && r.suggested_order > 0) {
      t.parts_to_order++;
      t.units_to_order += r.suggested_order;
    }
    if (r.stock_value !== null) {
      t.stock_value += r.stock_value;
      t.costed_series++;
    }
  }
  t.stock_value = round2(t.stock_value);
  t.units_to_order = round2(t.units_to_order);
  return t;
}

/**
 * The plan's summary: totals overall and per site, Σ unit_cost × quantile per service level, and from the
 * job's inventory metrics (absent on old plans) the expected fill rates and the allocation's frontier.
 */
export function summarize(
  rows: readonly PlanRowDto[],
  serviceLevel: number,
  hasPartsFile: boolean,
  inventory: InventoryMetrics | null = null,
): InventorySummaryDto {
  const a = inventory?.allocation;
  const bySite = new Map<string, PlanRowDto[]>();
  const classes = new Set<string>();
  for (const r of rows) {
    let list = bySite.get(r.site_code);
    if (!list) bySite.set(r.site_code, (list = []));
    list.push(r);
    classes.add(r.demand_class);
  }
  const curve = LEVELS.map(([level, col]) => ({
    service_level: level,
    stock_value: round2(rows.reduce((s, r) => (r.unit_cost === null ? s : s + r.unit_cost * r[col]), 0)),
  }));
  return {
    service_level: serviceLevel,
    overall: totals(rows, inventory?.expected_fill_rate),
    by_site: [...bySite.keys()].sort().map((site_code) => ({
      site_code,
      ...totals(bySite.get(site_code)!, inventory?.by_site[site_code]?.expected_fill_rate),
    })),
    curve,
    demand_classes: [...classes].sort(),
    has_parts_file: hasPartsFile,
    plan_mode: a?.plan_mode ?? 'service_level',
    stock_budget: a?.stock_budget ?? null,
    stock_budget_by_site: a?.stock_budget_by_site ?? null,
    unknown_budget_sites: a?.unknown_budget_sites ?? [],
    target_fill_rate: a?.target_fill_rate ?? null,
    costless_series: a?.costless_series ?? 0,
    below_floors: a?.below_floors ?? false,
    target_unreachable: a?.target_unreachable ?? false,
    plan_point: a?.plan_point ?? null,
    frontier: a?.frontier ?? [],
    uniform: a?.uniform ?? [],
  };
}

/** One page of the plan: filtered by part substring, site, class and "to order", sorted (blanks last). */
export function queryRows(rows: readonly PlanRowDto[], q: InventoryRowsQuery): InventoryRowsDto {
  const needle = q.q.toLowerCase();
  const hit = rows.filter(
    (r) =>
      (!needle || r.partnumber.toLowerCase().includes(needle)) &&
      (!q.site_code || r.site_code === q.site_code) &&
      (!q.demand_class || r.demand_class === q.demand_class) &&
      (!q.to_order || (r.suggested_order ?? 0) > 0),
  );
  return sortedPage(hit, q);
}

/** String order of the tables: localeCompare's, with one collator (several times faster on 100,000 rows). */
export const compareText = new Intl.Collator().compare;

/** A row of a table served in pages: a series with its part and site. */
interface SeriesRow {
  partnumber: string;
  site_code: string;
}

/** A page request: the column to sort by (string or number values; null blank), its direction, the page. */
export interface PageQuery<K extends string> {
  sort: K;
  dir: 'asc' | 'desc';
  page: number;
  page_size: number;
}

/**
 * Sorts the rows kept by a filter (in place) by one column, blanks last, ties by part then site, and cuts one
 * page: the plan rows' order, shared by the tables served in pages (plan, tracking, exceptions).
 */
export function sortedPage<R extends SeriesRow, K extends keyof R & string>(
  hit: R[],
  q: PageQuery<K>,
): { total: number; page: number; page_size: number; rows: R[] } {
  const sign = q.dir === 'asc' ? 1 : -1;
  const col = q.sort;
  hit.sort((a, b) => {
    const x = a[col] as unknown as string | number | null;
    const y = b[col] as unknown as string | number | null;
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) {
      return sign * (typeof x === 'string' ? compareText(x, y as string) : x - (y as number));
    }
    return compareText(a.partnumber, b.partnumber) || compareText(a.site_code, b.site_code);
  });
  const start = (q.page - 1) * q.page_size;
  return { total: hit.length, page: q.page, page_size: q.page_size, rows: hit.slice(start, start + q.page_size) };
}
