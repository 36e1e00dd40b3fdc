import type {
  InventoryFrontierDto,
  InventoryRowsDto,
  InventoryRowsQuery,
  InventorySummaryDto,
} from '$contract/inventory.js';
import { request, type ApiOptions } from './api.js';
import { checkedDownload } from './download.js';
import type { Result } from './result.js';

export type PlanFormat = 'csv' | 'xlsx';

/** The Inventory view's REST calls (GET /api/jobs/:id/inventory…). Stores take this so tests pass a fake. */
export interface InventoryApi {
  rows(id: string, query: InventoryRowsQuery): Promise<Result<InventoryRowsDto>>;
  summary(id: string): Promise<Result<InventorySummaryDto>>;
  /** The frontier fields once made (the summary says frontier_state 'pending' until then). */
  frontier(id: string): Promise<Result<InventoryFrontierDto>>;
  downloadUrl(id: string, format: PlanFormat): string;
  /** Saves the plan as CSV or XLSX, or answers why not (never saves an error body as a file). */
  download(id: string, format: PlanFormat): Promise<Result<void>>;
}

const enc = encodeURIComponent;

/** The query string of /inventory/rows: empty filters and a false to_order are left out (the server's defaults). */
export function rowsQuery(q: InventoryRowsQuery): string {
  const qs = new URLSearchParams();
  if (q.q.trim()) qs.set('q', q.q.trim());
  if (q.site_code) qs.set('site_code', q.site_code);
  if (q.demand_class) qs.set('demand_class', q.demand_class);
  if (q.to_order) qs.set('to_order', 'true');
  qs.set('sort', q.sort);
  qs.set('dir', q.dir);
  qs.set('page', String(q.page));
  qs.set('page_size', String(q.page_size));
  return qs.toString();
}

const getJson = <T>(url: string, opts: ApiOptions): Promise<Result<T>> => request<T>(url, undefined, opts);

export function createInventoryApi(base = '', opts: ApiOptions = {}): InventoryApi {
  const url = (id: string, format: PlanFormat) =>
    `${base}/api/jobs/${enc(id)}/inventory${format === 'xlsx' ? '?format=xlsx' : ''}`;
  return {
    rows: (id, q) => getJson(`${base}/api/jobs/${enc(id)}/inventory/rows?${rowsQuery(q)}`, opts),
    summary: (id) => getJson(`${base}/api/jobs/${enc(id)}/inventory/summary`, opts),
    frontier: (id) => getJson(`${base}/api/jobs/${enc(id)}/inventory/frontier`, opts),
    downloadUrl: url,
    download: (id, format) =>
      checkedDownload(url(id, format), {
        fetch: (u, init) => fetch(u, init),
        save: opts.save ?? (() => undefined),
        onUnauthorized: opts.onUnauthorized,
      }),
  };
}
