import type { TrackingDto, TrackingRowsDto } from '$contract/tracking.js';
import { request, type ApiOptions, type UploadFile } from './api.js';
import type { Result } from './result.js';

/** The Actuals view's REST calls (…/actuals, …/tracking). Stores take this so tests pass a fake. */
export interface TrackingApi {
  /** GET /api/jobs/:id/tracking: `none` until actuals exist. */
  get(id: string): Promise<Result<TrackingDto>>;
  /** POST /api/jobs/:id/actuals (multipart `file`): the tracking against it, or why the file was refused. */
  send(id: string, file: UploadFile): Promise<Result<TrackingDto>>;
  /** DELETE /api/jobs/:id/actuals. */
  remove(id: string): Promise<Result<void>>;
  /** GET /api/jobs/:id/tracking/rows: `q` a part or site substring, `site_code` an exact site. */
  rows(id: string, query: { q: string; site_code: string; page_size: number }): Promise<Result<TrackingRowsDto>>;
}

const enc = encodeURIComponent;

export function createTrackingApi(base = '', opts: ApiOptions = {}): TrackingApi {
  return {
    get: (id) => request(`${base}/api/jobs/${enc(id)}/tracking`, undefined, opts),
    send(id, file) {
      const fd = new FormData();
      fd.set('file', file, file.name);
      return request(`${base}/api/jobs/${enc(id)}/actuals`, { method: 'POST', body: fd }, opts);
    },
    remove: (id) => request(`${base}/api/jobs/${enc(id)}/actuals`, { method: 'DELETE' }, opts),
    rows(id, query) {
      const qs = new URLSearchParams({ q: query.q, site_code: query.site_code, page_size: String(query.page_size) });
      return request(`${base}/api/jobs/${enc(id)}/tracking/rows?${qs}`, undefined, opts);
    },
  };
}
