import type {
  HealthDto,
  JobDto,
  JobSitesDto,
  JobListDto,
  JobLogDto,
  PreviewDto,
  SeriesDto,
  SeriesKeyDto,
  SeriesKeysDto,
} from '$contract/dto.js';
import type { AuditEntryDto, AuthUserDto, MeDto, Role, TokenDto, UserDto } from '$contract/auth.js';
import type { ApiErrorBody } from '$contract/errors.js';
import type { JobConfigInput, ListQuery } from '$contract/schemas.js';
import { checkedDownload } from './download.js';
import { fail, ok, type Result } from './result.js';

/** One page of GET /api/jobs: the very shape the server parses the query into. */
export type ListParams = ListQuery;

/** What names one series when asking for it. */
export type SeriesKey = Pick<SeriesKeyDto, 'partnumber' | 'site_code'>;
export type { SeriesDto, SeriesKeyDto };

/** A file to upload: a browser File (or any Blob with a name). */
export type UploadFile = Blob & { readonly name: string };

/** Every REST call the pages make. Stores take this interface so tests can pass a fake. */
export interface Api {
  health(): Promise<Result<HealthDto>>;
  /** parts: the optional parts file (the preview then says how many series it covers). */
  preview(file: UploadFile, dateFormat?: string, parts?: UploadFile | null): Promise<Result<PreviewDto>>;
  /** name: what the person called the job (null or absent: none). */
  createJob(
    file: UploadFile,
    config: JobConfigInput,
    parts?: UploadFile | null,
    name?: string | null,
  ): Promise<Result<JobDto>>;
  /** name: the new job's (absent: the source job's; null: none). */
  rerun(id: string, config: JobConfigInput, name?: string | null): Promise<Result<JobDto>>;
  sample(): Promise<Result<JobDto>>;
  listJobs(params: ListParams): Promise<Result<JobListDto>>;
  getJob(id: string): Promise<Result<JobDto>>;
  getLog(id: string): Promise<Result<JobLogDto>>;
  stopJob(id: string): Promise<Result<JobDto>>;
  deleteJob(id: string, force: boolean): Promise<Result<{ id: string }>>;
  seriesKeys(id: string, q: string, limit: number): Promise<Result<SeriesKeysDto>>;
  series(id: string, key: SeriesKey): Promise<Result<SeriesDto>>;
  downloadUrl(id: string): string;
  /** Saves the job's forecast CSV, or answers why not (never saves an error body as a file). */
  download(id: string): Promise<Result<void>>;
  /** The site codes in the job's uploaded file (the rerun form offers them). */
  jobSites(id: string): Promise<Result<JobSitesDto>>;
  /** Names a job (null: no name); the owner or an admin. */
  renameJob(id: string, name: string | null): Promise<Result<JobDto>>;
}

const enc = encodeURIComponent;

/** Builds the query string of GET /api/jobs (empty values are left out). */
export function listQuery(p: ListParams): string {
  const qs = new URLSearchParams();
  if (p.status.length) qs.set('status', p.status.join(','));
  if (p.q.trim()) qs.set('q', p.q.trim());
  qs.set('page', String(p.page));
  qs.set('page_size', String(p.page_size));
  qs.set('sort', p.sort);
  return qs.toString();
}

function isErrorBody(v: unknown): v is { error: ApiErrorBody } {
  return typeof v === 'object' && v !== null && 'error' in v && typeof (v as { error: unknown }).error === 'object';
}

export interface ApiOptions {
  /** Called when a request is refused because the session is gone (401 UNAUTHORIZED). */
  onUnauthorized?: () => void;
  /** Hands a checked download URL to the browser (a link click; see download-link.ts). */
  save?: (url: string) => void;
}

/** One JSON request: errors come back as values; a 401 for a lost session calls onUnauthorized. */
export async function request<T>(url: string, init?: RequestInit, opts?: ApiOptions): Promise<Result<T>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch {
    return fail('NETWORK', '');
  }
  if (res.status === 204) return ok(undefined as T);
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (res.ok) return ok(body as T);
  if (res.status === 401 && isErrorBody(body) && body.error.code === 'UNAUTHORIZED') opts?.onUnauthorized?.();
  if (isErrorBody(body)) return { ok: false, error: body.error };
  if (res.status === 413) return fail('FILE_TOO_LARGE', '');
  return fail(res.status === 404 ? 'NOT_FOUND' : 'INTERNAL', `HTTP ${res.status}`);
}

const json = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
});

/** The real API over fetch, same origin (the session cookie goes along by itself). */
export function createApi(base = '', opts: ApiOptions = {}): Api {
  const call = <T>(url: string, init?: RequestInit) => request<T>(url, init, opts);
  return {
    health: () => call(`${base}/api/health`),
    preview(file, dateFormat, parts) {
      const fd = new FormData();
      fd.set('file', file, file.name);
      if (parts) fd.set('parts', parts, parts.name);
      if (dateFormat && dateFormat !== 'auto') fd.set('date_format', dateFormat);
      return call(`${base}/api/preview`, { method: 'POST', body: fd });
    },
    createJob(file, config, parts, name) {
      const fd = new FormData();
      fd.set('file', file, file.name);
      if (parts) fd.set('parts', parts, parts.name);
      fd.set('config', JSON.stringify(config));
      if (name) fd.set('name', name);
      return call(`${base}/api/jobs`, { method: 'POST', body: fd });
    },
    rerun: (id, config, name) => call(`${base}/api/jobs/${enc(id)}/rerun`, json('POST', { config, name })),
    sample: () => call(`${base}/api/sample`, json('POST', {})),
    listJobs: (p) => call(`${base}/api/jobs?${listQuery(p)}`),
    getJob: (id) => call(`${base}/api/jobs/${enc(id)}`),
    getLog: (id) => call(`${base}/api/jobs/${enc(id)}/log`),
    stopJob: (id) => call(`${base}/api/jobs/${enc(id)}/stop`, json('POST', {})),
    deleteJob: async (id, force) => {
      const r = await call<void>(`${base}/api/jobs/${enc(id)}${force ? '?force=true' : ''}`, { method: 'DELETE' });
      return r.ok ? ok({ id }) : r;
    },
    seriesKeys: (id, q, limit) =>
      call(`${base}/api/jobs/${enc(id)}/series/keys?${new URLSearchParams({ q, limit: String(limit) })}`),
    series: (id, key) =>
      call(
        `${base}/api/jobs/${enc(id)}/series?${new URLSearchParams({ partnumber: key.partnumber, site_code: key.site_code })}`,
      ),
    downloadUrl: (id) => `${base}/api/jobs/${enc(id)}/download`,
    download: (id) =>
      checkedDownload(`${base}/api/jobs/${enc(id)}/download`, {
        fetch: (u, init) => fetch(u, init),
        save: opts.save ?? (() => undefined),
        onUnauthorized: opts.onUnauthorized,
      }),
    jobSites: (id) => call(`${base}/api/jobs/${enc(id)}/sites`),
    renameJob: (id, name) => call(`${base}/api/jobs/${enc(id)}`, json('PATCH', { name })),
  };
}

// ---- sign-in, users, tokens, audit ---------------------------------------------------------------

export interface NewUser {
  username: string;
  password: string;
  role: Role;
}

export interface AuditQuery {
  user: string;
  action: string;
  job: string;
  page: number;
  page_size: number;
}

export interface AuditPageDto {
  total: number;
  entries: AuditEntryDto[];
  page: number;
  page_size: number;
}

export type NewTokenDto = TokenDto & { token: string };

/** /api/auth, /api/users, /api/tokens, /api/audit. */
export interface AccountApi {
  me(): Promise<Result<MeDto>>;
  login(username: string, password: string): Promise<Result<{ user: AuthUserDto }>>;
  logout(): Promise<Result<void>>;
  setup(token: string, username: string, password: string): Promise<Result<{ user: AuthUserDto }>>;
  listUsers(): Promise<Result<{ users: UserDto[] }>>;
  addUser(user: NewUser): Promise<Result<UserDto>>;
  updateUser(id: string, patch: { role?: Role; password?: string }): Promise<Result<UserDto>>;
  removeUser(id: string): Promise<Result<void>>;
  listTokens(): Promise<Result<{ tokens: TokenDto[] }>>;
  createToken(name: string): Promise<Result<NewTokenDto>>;
  revokeToken(id: string): Promise<Result<void>>;
  audit(q: AuditQuery): Promise<Result<AuditPageDto>>;
}

/** Builds the query string of GET /api/audit (empty filters are left out). */
export function auditQuery(q: AuditQuery): string {
  const qs = new URLSearchParams();
  if (q.user.trim()) qs.set('user', q.user.trim());
  if (q.action.trim()) qs.set('action', q.action.trim());
  if (q.job.trim()) qs.set('job', q.job.trim());
  qs.set('page', String(q.page));
  qs.set('page_size', String(q.page_size));
  return qs.toString();
}

export function createAccountApi(base = '', opts: ApiOptions = {}): AccountApi {
  const call = <T>(url: string, init?: RequestInit) => request<T>(url, init, opts);
  // Sign-in answers 401 BAD_CREDENTIALS, which is not a lost session: no hook for /api/auth/*.
  const plain = <T>(url: string, init?: RequestInit) => request<T>(url, init);
  return {
    me: () => plain(`${base}/api/auth/me`),
    login: (username, password) => plain(`${base}/api/auth/login`, json('POST', { username, password })),
    logout: () => plain(`${base}/api/auth/logout`, json('POST', {})),
    setup: (token, username, password) => plain(`${base}/api/auth/setup`, json('POST', { token, username, password })),
    listUsers: () => call(`${base}/api/users`),
    addUser: (u) => call(`${base}/api/users`, json('POST', u)),
    updateUser: (id, patch) => call(`${base}/api/users/${enc(id)}`, json('PATCH', patch)),
    removeUser: (id) => call(`${base}/api/users/${enc(id)}`, { method: 'DELETE' }),
    listTokens: () => call(`${base}/api/tokens`),
    createToken: (name) => call(`${base}/api/tokens`, json('POST', { name })),
    revokeToken: (id) => call(`${base}/api/tokens/${enc(id)}`, { method: 'DELETE' }),
    audit: (q) => call(`${base}/api/audit?${auditQuery(q)}`),
  };
}
