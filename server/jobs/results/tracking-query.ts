/**
 * Queries over a job's tracking rows for the Actuals view: one page, filtered by part or site substring, site,
 * class and exception, sorted as the plan rows are (plan-query.ts). The rows of a tracking never change (new
 * actuals give new rows), so each order asked for is sorted once and kept with them: a request on a 1M-row
 * job's 140,000 series then only filters. Pure, no Node imports.
 */
import type { TrackingRow, TrackingRowsDto, TrackingRowsQuery } from '../../contract/tracking.js';
import { sortedPage } from './plan-query.js';

const orders = new WeakMap<readonly TrackingRow[], Map<string, TrackingRow[]>>();

/** The rows in the query's order (sorted once per rows and order). */
function ordered(rows: readonly TrackingRow[], q: TrackingRowsQuery): TrackingRow[] {
  let byKey = orders.get(rows);
  if (!byKey) orders.set(rows, (byKey = new Map()));
  const key = `${q.sort} ${q.dir}`;
  let list = byKey.get(key);
  if (!list) {
    list = sortedPage([...rows], { sort: q.sort, dir: q.dir, page: 1, page_size: rows.length }).rows;
    byKey.set(key, list);
  }
  return list;
}

export function queryTrackingRows(
  rows: readonly TrackingRow[],
  labels: readonly string[],
  q: TrackingRowsQuery,
): TrackingRowsDto {
  const needle = q.q.toLowerCase();
  const hit = ordered(rows, q).filter(
    (r) =>
      (!needle || r.partnumber.toLowerCase().includes(needle) || r.site_code.toLowerCase().includes(needle)) &&
      (!q.site_code || r.site_code === q.site_code) &&
      (!q.demand_class || r.demand_class === q.demand_class) &&
      (!q.exception || r.exceptions.includes(q.exception)),
  );
  const start = (q.page - 1) * q.page_size;
  return {
    state: 'ready',
    total: hit.length,
    page: q.page,
    page_size: q.page_size,
    periods: [...labels],
    rows: hit.slice(start, start + q.page_size),
  };
}
