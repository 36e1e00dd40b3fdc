import type {
  OverrideDto,
  OverrideImportDto,
  OverrideKind,
  OverrideListDto,
  OverrideSetDto,
} from '$contract/overrides.js';
import { request, type ApiOptions, type UploadFile } from './api.js';
import type { Result } from './result.js';

/** The filters of GET /api/overrides, as the Overrides page holds them (blank: no filter). */
export interface OverrideFilters {
  part: string;
  site: string;
  kind: OverrideKind | '';
  include_expired: boolean;
}

/** What a planner sends to set an override (site '' = every site of the part; expires_on '' = until removed). */
export interface OverrideInput {
  partnumber: string;
  site_code: string;
  kind: OverrideKind;
  value: number | string;
  reason: string;
  expires_on: string;
}

/** The overrides' REST calls (/api/overrides…). Stores take this so tests pass a fake. */
export interface OverridesApi {
  list(f: OverrideFilters): Promise<Result<OverrideListDto>>;
  set(o: OverrideInput): Promise<Result<OverrideSetDto>>;
  remove(id: number): Promise<Result<OverrideDto>>;
  /** POST /api/overrides/import (multipart `file`, CSV or XLSX): all rows or none. */
  importFile(file: UploadFile): Promise<Result<OverrideImportDto>>;
}

/** The query string of GET /api/overrides: blank filters left out (the part and site are matched exactly). */
export function overridesQuery(f: OverrideFilters): string {
  const qs = new URLSearchParams();
  if (f.part.trim()) qs.set('part', f.part.trim());
  if (f.site.trim()) qs.set('site', f.site.trim());
  if (f.kind) qs.set('kind', f.kind);
  if (f.include_expired) qs.set('include_expired', 'true');
  qs.set('page_size', '1000');
  return qs.toString();
}

export function createOverridesApi(base = '', opts: ApiOptions = {}): OverridesApi {
  return {
    list: (f) => request(`${base}/api/overrides?${overridesQuery(f)}`, undefined, opts),
    set: (o) =>
      request(
        `${base}/api/overrides`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            partnumber: o.partnumber,
            site_code: o.site_code.trim() || null,
            kind: o.kind,
            value: o.value,
            reason: o.reason,
            ...(o.expires_on.trim() ? { expires_on: o.expires_on.trim() } : {}),
          }),
        },
        opts,
      ),
    remove: (id) => request(`${base}/api/overrides/${encodeURIComponent(String(id))}`, { method: 'DELETE' }, opts),
    importFile(file) {
      const fd = new FormData();
      fd.set('file', file, file.name);
      return request(`${base}/api/overrides/import`, { method: 'POST', body: fd }, opts);
    },
  };
}
