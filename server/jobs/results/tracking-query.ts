/**
 * Queries over a job's tracking rows for the Actuals view: one page, filtered by part or site substring, site,
 * class and exception, in the plan rows' order (plan-query.ts: the column, blanks last, ties by part then
 * site). The rows of a tracking never change (new actuals give new rows), so what a request needs is made once
 * per rows and kept with them: the part/site order, each column's order (a stable sort of it by the column
 * alone, so ties keep part then site), the lower-case text searched. A request on a 1M-row job's 140,000
 * series then only filters and slices. Pure, no Node imports.
 */
import {
  TRACKING_EXCEPTIONS,
  type TrackingRow,
  type TrackingRowsDto,
  type TrackingRowsQuery,
} from '../../contract/tracking.js';
import { compareText, sortedPage } from './plan-query.js';

interface Order {
  rows: TrackingRow[];
  /** each row's part and site, lower case (what `q` searches) */
  text: string[];
  /** each row's exceptions, one bit per code of TRACKING_EXCEPTIONS */
  codes: Uint8Array;
}

interface Prepared {
  /** by part, then site */
  base: TrackingRow[];
  orders: Map<string, Order>;
}

const prepared = new WeakMap<readonly TrackingRow[], Prepared>();

function prepare(rows: readonly TrackingRow[]): Prepared {
  let p = prepared.get(rows);
  if (!p) {
    const base = sortedPage([...rows], { sort: 'partnumber', dir: 'asc', page: 1, page_size: rows.length }).rows;
    prepared.set(rows, (p = { base, orders: new Map() }));
  }
  return p;
}

/** The rows in the query's order (made once per rows and order). */
function ordered(p: Prepared, q: TrackingRowsQuery): Order {
  const key = `${q.sort} ${q.dir}`;
  let order = p.orders.get(key);
  if (!order) {
    const sign = q.dir === 'asc' ? 1 : -1;
    const col = q.sort;
    const n = p.base.length;
    const values = p.base.map((r) => r[col] as string | number | null);
    const blank = Uint8Array.from(values, (v) => (v === null ? 1 : 0));
    const idx = Array.from({ length: n }, (_, k) => k);
    // blanks last; equal values keep the part/site order (their index in base)
    if (typeof values.find((v) => v !== null) === 'string') {
      const t = values as (string | null)[];
      idx.sort((a, b) => blank[a] - blank[b] || (blank[a] ? 0 : sign * compareText(t[a]!, t[b]!)) || a - b);
    } else {
      const v = Float64Array.from(values, (x) => (x === null ? 0 : (x as number)));
      idx.sort((a, b) => blank[a] - blank[b] || sign * (v[a] - v[b]) || a - b);
    }
    const list = idx.map((k) => p.base[k]);
    const text = list.map((r) => `${r.partnumber}\u0000${r.site_code}`.toLowerCase());
    const codes = Uint8Array.from(list, (r) =>
      r.exceptions.reduce((m, c) => m | (1 << TRACKING_EXCEPTIONS.indexOf(c)), 0),
    );
    p.orders.set(key, (order = { rows: list, text, codes }));
  }
  return order;
}

export function queryTrackingRows(
  rows: readonly TrackingRow[],
  labels: readonly string[],
  q: TrackingRowsQuery,
): TrackingRowsDto {
  const p = prepare(rows);
  const { rows: all, text, codes } = ordered(p, q);
  const needle = q.q.toLowerCase();
  const bit = q.exception ? 1 << TRACKING_EXCEPTIONS.indexOf(q.exception) : 0;
  const hit =
    needle || q.site_code || q.demand_class || q.exception
      ? all.filter(
          (r, i) =>
            (!needle || text[i].includes(needle)) &&
            (!q.site_code || r.site_code === q.site_code) &&
            (!q.demand_class || r.demand_class === q.demand_class) &&
            (!bit || (codes[i] & bit) !== 0),
        )
      : all;
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

/** Makes the default order ahead of the first page (the job's rows just computed or read). */
export function warmTrackingRows(rows: readonly TrackingRow[]): void {
  ordered(prepare(rows), { sort: 'actual_total', dir: 'desc' } as TrackingRowsQuery);
}
