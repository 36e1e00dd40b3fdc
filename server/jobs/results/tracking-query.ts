/**
 * Queries over a job's tracking rows for the Actuals view: one page, filtered by part or site substring, site,
 * class and exception, sorted as the plan rows are (plan-query.ts). Pure, no Node imports.
 */
import type { TrackingRow, TrackingRowsDto, TrackingRowsQuery } from '../../contract/tracking.js';
import { sortedPage } from './plan-query.js';

export function queryTrackingRows(
  rows: readonly TrackingRow[],
  labels: readonly string[],
  q: TrackingRowsQuery,
): TrackingRowsDto {
  const needle = q.q.toLowerCase();
  const hit = rows.filter(
    (r) =>
      (!needle || r.partnumber.toLowerCase().includes(needle) || r.site_code.toLowerCase().includes(needle)) &&
      (!q.site_code || r.site_code === q.site_code) &&
      (!q.demand_class || r.demand_class === q.demand_class) &&
      (!q.exception || r.exceptions.includes(q.exception)),
  );
  return { state: 'ready', ...sortedPage(hit, q), periods: [...labels] };
}
