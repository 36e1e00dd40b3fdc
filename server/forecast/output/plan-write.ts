/** The inventory plan CSV: fixed columns, one line per (partnumber, site_code). */
import type { PlanRow } from '../inventory/plan-row.js';
import { PLAN_COLUMNS } from '../../contract/plan-columns.js';
import { csvField, num } from './write.js';

export { PLAN_COLUMNS, type PlanColumn } from '../../contract/plan-columns.js';

export const PLAN_HEADER = PLAN_COLUMNS.join(',');

const opt = (x: number | null) => (x === null ? '' : num(x));
/** A service level an allocation chose has 6 to 12 decimals (allocate.ts levelAt): kept, so its quantile is S. */
const level = (x: number) => String(Math.round(x * 1e12) / 1e12);

/** One plan line in PLAN_COLUMNS order, ending in '\n' (a template: no array per line; same ToString). */
export function planLine(r: PlanRow): string {
  const mean = Number(num(r.mean));
  const q = r.q;
  return (
    `${csvField(r.partnumber)},${csvField(r.site)},${csvField(r.demandClass)},${r.L},${r.R},${level(r.target)},` +
    `${mean},${q[0]},${q[1]},${q[2]},${q[3]},${q[4]},${r.orderUpTo},${num(r.orderUpTo - mean)},` +
    `${opt(r.unitCost)},${opt(r.stockValue)},${opt(r.onHand)},${opt(r.onOrder)},${opt(r.suggestedOrder)},` +
    `${num(r.expectedFill)},${num(r.expectedShort)},${num(r.chance)},${opt(r.since)},` +
    `${r.reorderPoint},${opt(r.orderValue)},${csvField(r.replaces)},${overridden(r)}\n`
  );
}

/** The override columns: the system's mean and level, the kinds and reasons; blank for a row as the system planned. */
function overridden(r: PlanRow): string {
  const o = r.override;
  if (!o) return ',,,';
  return `${num(o.systemMean)},${o.systemOrderUpTo},${csvField(o.kinds)},${csvField(o.reason)}`;
}
