/**
 * The inventory plan of a finished job for its Inventory view: the plan CSV (written when the job completed)
 * read once per job into rows and kept for a few jobs, then filtered, sorted and paged per request, with the
 * totals per site and the service-vs-stock curve. A deleted job's plan is forgotten (JobInventory.forget).
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { InventoryRowsDto, InventoryRowsQuery, InventorySummaryDto, PlanRowDto } from '../contract/inventory.js';
import type { PlanTotalsDto } from '../contract/inventory.js';
import { PLAN_COLUMNS, readText } from '../forecast/index.js';

const CACHED_JOBS = 8;
const TEXT = new Set<string>(['partnumber', 'site_code', 'demand_class']);
const OPTIONAL = new Set<string>(['unit_cost', 'stock_value', 'on_hand', 'on_order', 'suggested_order']);
const LEVELS = [
  [0.8, 'ltd_q80'],
  [0.9, 'ltd_q90'],
  [0.95, 'ltd_q95'],
  [0.99, 'ltd_q99'],
] as const;

/** Reads a plan CSV as PLAN_COLUMNS rows: texts as uploaded (the write's formula guard undone), numbers. */
export async function readPlan(file: string): Promise<PlanRowDto[]> {
  const rows: PlanRowDto[] = [];
  const parser = createReadStream(file).pipe(parse({ columns: true, skip_empty_lines: true }));
  for await (const rec of parser as AsyncIterable<Record<string, string>>) {
    const row: Record<string, string | number | null> = {};
    for (const c of PLAN_COLUMNS) {
      const v = rec[c] ?? '';
      if (TEXT.has(c)) row[c] = readText(v);
      else if (v === '' && OPTIONAL.has(c)) row[c] = null;
      else row[c] = Number(v);
    }
    rows.push(row as unknown as PlanRowDto);
  }
  return rows;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function totals(rows: readonly PlanRowDto[]): PlanTotalsDto {
  const t: PlanTotalsDto = { series: 0, parts_to_order: 0, units_to_order: 0, stock_value: 0, costed_series: 0 };
  for (const r of rows) {
    t.series++;
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

/** The plan's summary: totals overall and per site, and Σ unit_cost × quantile per service level. */
export function summarize(
  rows: readonly PlanRowDto[],
  serviceLevel: number,
  hasPartsFile: boolean,
): InventorySummaryDto {
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
    overall: totals(rows),
    by_site: [...bySite.keys()].sort().map((site_code) => ({ site_code, ...totals(bySite.get(site_code)!) })),
    curve,
    demand_classes: [...classes].sort(),
    has_parts_file: hasPartsFile,
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
  const sign = q.dir === 'asc' ? 1 : -1;
  const col = q.sort;
  hit.sort((a, b) => {
    const x = a[col];
    const y = b[col];
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) {
      return sign * (typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number));
    }
    return a.partnumber.localeCompare(b.partnumber) || a.site_code.localeCompare(b.site_code);
  });
  const start = (q.page - 1) * q.page_size;
  return { total: hit.length, page: q.page, page_size: q.page_size, rows: hit.slice(start, start + q.page_size) };
}

/** The plans of the last few jobs asked for, read once each. */
export class JobInventory {
  private readonly cache = new Map<string, Promise<PlanRowDto[]>>();

  rows(jobId: string, planFile: string): Promise<PlanRowDto[]> {
    let p = this.cache.get(jobId);
    if (p) {
      // most recently used last
      this.cache.delete(jobId);
      this.cache.set(jobId, p);
      return p;
    }
    p = readPlan(planFile);
    this.cache.set(jobId, p);
    // a failed read is not kept: the next request tries again
    p.catch(() => this.cache.get(jobId) === p && this.cache.delete(jobId));
    while (this.cache.size > CACHED_JOBS) this.cache.delete(this.cache.keys().next().value!);
    return p;
  }

  forget(jobId: string): void {
    this.cache.delete(jobId);
  }

  get size(): number {
    return this.cache.size;
  }
}
