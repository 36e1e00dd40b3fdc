/**
 * A plan CSV read back as PlanRowDto rows: texts as uploaded (the writer's formula guard undone), numbers,
 * null for a blank optional cell. The Inventory view's cache (jobs/results/job-inventory.ts) and the plan workbook
 * (plan-xlsx.ts) read plans through here.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import type { PlanRowDto } from '../../contract/inventory.js';
import type { PlanColumn } from '../../contract/plan-columns.js';
import { readText } from './cells.js';

type Rec = Partial<Record<PlanColumn, string>>;

/** One row from a record keyed by the plan's header; every column named, so the compiler checks them all. */
function planRowOf(rec: Rec): PlanRowDto {
  const text = (c: PlanColumn) => readText(rec[c] ?? '');
  const n = (c: PlanColumn) => Number(rec[c] ?? '');
  const opt = (c: PlanColumn) => (rec[c] ? Number(rec[c]) : null);
  return {
    partnumber: text('partnumber'),
    site_code: text('site_code'),
    demand_class: text('demand_class'),
    lead_time_periods: n('lead_time_periods'),
    review_periods: n('review_periods'),
    service_level: n('service_level'),
    ltd_mean: n('ltd_mean'),
    ltd_q50: n('ltd_q50'),
    ltd_q80: n('ltd_q80'),
    ltd_q90: n('ltd_q90'),
    ltd_q95: n('ltd_q95'),
    ltd_q99: n('ltd_q99'),
    order_up_to: n('order_up_to'),
    safety_stock: n('safety_stock'),
    unit_cost: opt('unit_cost'),
    stock_value: opt('stock_value'),
    on_hand: opt('on_hand'),
    on_order: opt('on_order'),
    suggested_order: opt('suggested_order'),
    expected_fill_rate: opt('expected_fill_rate'),
    expected_units_short: opt('expected_units_short'),
    demand_chance: opt('demand_chance'),
    periods_since_demand: opt('periods_since_demand'),
    reorder_point: opt('reorder_point'),
    order_value: opt('order_value'),
    replaces: text('replaces'),
    system_ltd_mean: opt('system_ltd_mean'),
    system_order_up_to: opt('system_order_up_to'),
    override_kind: text('override_kind'),
    override_reason: text('override_reason'),
  };
}

/** The rows of a plan CSV one at a time (the workbook writer streams them, never holding the plan). */
export async function* planRecords(file: string): AsyncGenerator<PlanRowDto> {
  const parser = parse({ columns: true, skip_empty_lines: true });
  // pipeline: a read error ends the parser with it (the loop below throws), and leaving the loop early
  // destroys the file stream; the callback only swallows the premature close of an abandoned read
  pipeline(createReadStream(file), parser, () => undefined);
  for await (const rec of parser as AsyncIterable<Rec>) yield planRowOf(rec);
}

/** A whole plan CSV as rows. */
export async function readPlan(file: string): Promise<PlanRowDto[]> {
  const rows: PlanRowDto[] = [];
  for await (const row of planRecords(file)) rows.push(row);
  return rows;
}
