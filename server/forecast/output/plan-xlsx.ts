/**
 * The inventory plan as an Excel workbook, written with exceljs's streaming writer (rows are committed as
 * they are added, so a big plan is never a whole workbook in memory). Numbers stay numbers; every text cell
 * (part, site, class, file names) goes through safeText, so a part number such as `=HYPERLINK(…)` shows as
 * text. The sheet "Inventory plan" has readable headers (each with the CSV's column name as a note, the
 * stable name scripts use), a filter and a frozen header; the sheet "Job" says which job and settings made
 * it, and its totals. The CSV keeps its machine names.
 */
import { createWriteStream } from 'node:fs';
import type { Worksheet } from 'exceljs';
import type { Frequency, InventoryTotals } from '../../contract/dto.js';
import type { PlanRowDto } from '../../contract/inventory.js';
import { isPlanTextColumn, PLAN_COLUMNS, type PlanColumn } from '../../contract/plan-columns.js';
import { checkSize } from '../../storage/whole-file.js';
import { safeText } from './cells.js';

/** What the "Job" sheet tells about the job whose plan this is. */
export interface PlanWorkbookJob {
  id: string;
  filename: string;
  parts_filename: string | null;
  /** ISO time */
  created_at: string;
  horizon: number;
  /** the job's frequency (as set, else detected); null when not known */
  frequency: Frequency | null;
  service_level: number;
  lead_time_days: number;
  review_periods: number;
  /** the plan's totals; null for a job without them */
  totals: InventoryTotals | null;
}

/** The plan sheet's headers as a planner reads them. */
const PLAN_HEADERS: Readonly<Record<PlanColumn, string>> = {
  partnumber: 'Part number',
  site_code: 'Site',
  demand_class: 'Demand class',
  lead_time_periods: 'Lead time (periods)',
  review_periods: 'Review periods',
  service_level: 'Service level',
  ltd_mean: 'Demand over lead time + review: mean',
  ltd_q50: '… 50 % quantile',
  ltd_q80: '… 80 % quantile',
  ltd_q90: '… 90 % quantile',
  ltd_q95: '… 95 % quantile',
  ltd_q99: '… 99 % quantile',
  order_up_to: 'Order-up-to level',
  safety_stock: 'Safety stock',
  unit_cost: 'Unit cost',
  stock_value: 'Stock value',
  on_hand: 'On hand',
  on_order: 'On order',
  suggested_order: 'Suggested order',
  expected_fill_rate: 'Expected fill rate',
  expected_units_short: 'Expected units short',
  demand_chance: 'Chance of any demand over lead time + review',
  periods_since_demand: 'Periods since the last demand',
  reorder_point: 'Reorder point (min)',
  order_value: 'Order value',
  replaces: 'Replaces (old part numbers)',
  system_ltd_mean: 'System: demand over lead time + review, mean',
  system_order_up_to: 'System: order-up-to level',
  override_kind: 'Override',
  override_reason: 'Override reason',
};

const MONEY = '#,##0.00';
const FORMATS: Partial<Record<PlanColumn, string>> = {
  service_level: '0.0%',
  expected_fill_rate: '0.0%',
  demand_chance: '0.0%',
  unit_cost: MONEY,
  stock_value: MONEY,
  order_value: MONEY,
};
const FREQUENCY_WORDS: Record<Frequency, string> = { D: 'daily', W: 'weekly', M: 'monthly' };

/**
 * Writes `rows` to a new .xlsx at `file` (which must not exist); returns how many. Runs in a worker thread
 * (jobs/results/plan-workbooks.ts): tens of thousands of rows take seconds of CPU that must not block the event loop.
 */
export async function writePlanXlsx(
  file: string,
  rows: Iterable<PlanRowDto> | AsyncIterable<PlanRowDto>,
  job?: PlanWorkbookJob | null,
): Promise<number> {
  // exceljs costs ~30 MB once loaded: only when someone downloads a workbook
  const { default: ExcelJS } = await import('exceljs');
  // our own stream, 'wx' as every temp file, so that what it wrote can be checked against the file below
  const stream = createWriteStream(file, { flags: 'wx' });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('Inventory plan', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = PLAN_COLUMNS.map((c) => ({
    header: PLAN_HEADERS[c],
    key: c,
    width: isPlanTextColumn(c) ? 18 : c.startsWith('ltd_') ? 14 : 13,
    style: FORMATS[c] ? { numFmt: FORMATS[c] } : {},
  }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: PLAN_COLUMNS.length } };
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'top' };
  PLAN_COLUMNS.forEach((c, i) => (head.getCell(i + 1).note = `column: ${c}`));
  head.commit();
  let n = 0;
  for await (const r of rows) {
    n++;
    const values = PLAN_COLUMNS.map((c) => {
      const v = r[c];
      return typeof v === 'string' ? safeText(v) : v;
    });
    ws.addRow(values).commit();
  }
  ws.commit();
  if (job) writeJobSheet(wb.addWorksheet('Job'), job);
  await wb.commit();
  await checkSize(file, stream.bytesWritten, 'the inventory plan workbook');
  return n;
}

/** Label → value lines: which job, its settings, the plan's totals. */
function writeJobSheet(ws: Worksheet, job: PlanWorkbookJob): void {
  ws.columns = [{ width: 30 }, { width: 40 }];
  const line = (label: string, value: string | number | Date | null, numFmt?: string) => {
    const row = ws.addRow([label, typeof value === 'string' ? safeText(value) : value]);
    row.getCell(1).font = { bold: true };
    if (numFmt) row.getCell(2).numFmt = numFmt;
    row.commit();
  };
  const created = new Date(job.created_at);
  line('Demand file', job.filename);
  line('Parts file', job.parts_filename ?? 'none (default lead time, no stock or costs)');
  line('Job id', job.id);
  line('Created (UTC)', Number.isNaN(created.getTime()) ? job.created_at : created, 'yyyy-mm-dd hh:mm');
  line('Forecast horizon (periods)', job.horizon);
  line('Frequency', job.frequency ? FREQUENCY_WORDS[job.frequency] : 'not known');
  line('Service level', job.service_level, '0.0%');
  line('Lead time (days)', job.lead_time_days);
  line('Review periods', job.review_periods);
  const t = job.totals;
  if (t) {
    line('Series (part × site)', t.series);
    line('Series with a unit cost', t.costed_series);
    line('Stock value', t.costed_series > 0 ? t.stock_value : 'not known (no unit costs)', MONEY);
    line('Parts to order', t.parts_to_order);
    line('Units to order', t.units_to_order);
  }
  ws.commit();
}
