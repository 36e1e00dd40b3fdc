import type { ApiErrorBody } from '$contract/errors.js';
import { fail, ok, type Result } from './result.js';

export interface DownloadDeps {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  save: (url: string) => void;
  onUnauthorized?: () => void;
}

const isErrorBody = (v: unknown): v is { error: ApiErrorBody } =>
  typeof v === 'object' && v !== null && 'error' in v && typeof (v as { error: unknown }).error === 'object';

/**
 * Asks the server first and lets the browser save the file only when it answers 2xx. A link
 * click alone saves any answer, so a deleted job's JSON error ended up on disk as `download.json`.
 * The check's body is dropped after the headers (one extra request start, no second copy in memory:
 * outputs of big jobs are tens of MB, so they stream to disk through the browser's own download).
 */
export async function checkedDownload(url: string, deps: DownloadDeps): Promise<Result<void>> {
  const ctl = new AbortController();
  let res: Response;
  try {
    res = await deps.fetch(url, { signal: ctl.signal, headers: { accept: 'text/csv, application/json' } });
  } catch {
    return fail('NETWORK', '');
  }
  if (res.ok) {
    ctl.abort();
    deps.save(url);
    return ok(undefined);
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (res.status === 401) deps.onUnauthorized?.();
  if (isErrorBody(body)) return { ok: false, error: body.error };
  return fail(res.status === 404 ? 'JOB_NOT_FOUND' : 'INTERNAL', `HTTP ${res.status}`);
}
