import type { JobDto, JobStatus, LogLine } from '../../../server/contract/dto.js';
import type { Api, ListParams } from '../../../client/src/lib/api.js';
import type { CommandChannel } from '../../../client/src/lib/socket.js';
import type { Result } from '../../../client/src/lib/result.js';

let n = 0;
/** A JobDto with sensible defaults; created_at increases with every call. */
export function makeJob(over: Partial<JobDto> = {}): JobDto {
  n += 1;
  return {
    id: `job${n}`,
    filename: `demand-${n}.csv`,
    name: null,
    status: 'QUEUED' as JobStatus,
    progress: 0,
    stopped_progress: null,
    stage: '',
    stage_info: null,
    error_message: null,
    config: {
      forecast_horizon: 30,
      forecast_start_date: null,
      forecast_site_codes: [],
      date_format: 'auto',
      zero_threshold: 0.5,
      rounding_mode: 'half_up',
      frequency: null,
      method: 'auto',
    },
    created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    started_at: null,
    completed_at: null,
    partitions: { total: 0, completed: 0, skipped: 0, failed: 0 },
    rows: null,
    queue_position: null,
    metrics: null,
    replanned_at: null,
    last_progress_at: null,
    last_log_at: null,
    last_heartbeat_at: null,
    expected_seconds: null,
    flags: { stalled: false, slow: false, silent: false },
    has_output: false,
    has_plan: false,
    has_actuals: false,
    parts_filename: null,
    file_size: 100,
    created_by: null,
    ...over,
  };
}

const notImplemented = async (): Promise<never> => {
  throw new Error('not used in this test');
};

/** An in-memory server: listJobs filters/sorts/pages `jobs` like the real endpoint. */
export class FakeApi implements Api {
  jobs: JobDto[] = [];
  logs = new Map<string, LogLine[]>();
  listCalls: ListParams[] = [];
  /** When set, listJobs waits for this promise before answering (to test crossing pushes). */
  gate: Promise<void> | null = null;

  async listJobs(p: ListParams) {
    this.listCalls.push(p);
    const snapshot = this.snapshot(p);
    if (this.gate) await this.gate;
    return { ok: true as const, data: snapshot };
  }
  private snapshot(p: ListParams) {
    let list = this.jobs.filter((j) => (p.status.length ? p.status.includes(j.status) : true));
    if (p.q) list = list.filter((j) => j.filename.toLowerCase().includes(p.q.toLowerCase()));
    list = [...list].sort((a, b) => a.created_at.localeCompare(b.created_at) * (p.sort === 'created_asc' ? 1 : -1));
    const start = (p.page - 1) * p.page_size;
    return {
      total: list.length,
      page: p.page,
      page_size: p.page_size,
      jobs: list.slice(start, start + p.page_size).map((j) => ({ ...j })),
    };
  }
  async getJob(id: string): Promise<Result<JobDto>> {
    const j = this.jobs.find((x) => x.id === id);
    return j ? { ok: true, data: { ...j } } : { ok: false, error: { code: 'JOB_NOT_FOUND', message: 'no job' } };
  }
  async getLog(id: string) {
    return { ok: true as const, data: { id, lines: this.logs.get(id) ?? [] } };
  }
  async stopJob(id: string): Promise<Result<JobDto>> {
    const j = this.jobs.find((x) => x.id === id);
    if (!j) return { ok: false, error: { code: 'JOB_NOT_FOUND', message: '' } };
    j.status = 'CANCELLED';
    return { ok: true, data: { ...j } };
  }
  async deleteJob(id: string): Promise<Result<{ id: string }>> {
    this.jobs = this.jobs.filter((j) => j.id !== id);
    return { ok: true, data: { id } };
  }
  health: Api['health'] = notImplemented;
  preview: Api['preview'] = notImplemented;
  createJob: Api['createJob'] = notImplemented;
  rerun: Api['rerun'] = notImplemented;
  sample: Api['sample'] = notImplemented;
  seriesKeys: Api['seriesKeys'] = notImplemented;
  series: Api['series'] = notImplemented;
  downloadUrl = (id: string) => `/api/jobs/${id}/download`;
  download: Api['download'] = notImplemented;
  jobSites: Api['jobSites'] = notImplemented;
  renameJob: Api['renameJob'] = notImplemented;
}

/** Socket commands answered by the fake server. */
export class FakeCommands implements CommandChannel {
  subscribed: string[] = [];
  unsubscribed: string[] = [];
  removed: { id: string; force: boolean }[] = [];
  constructor(private readonly api: FakeApi) {}
  stop(id: string) {
    return this.api.stopJob(id);
  }
  async remove(id: string, force: boolean): Promise<Result<{ id: string }>> {
    const j = this.api.jobs.find((x) => x.id === id);
    if (!j) return { ok: false, error: { code: 'JOB_NOT_FOUND', message: '' } };
    if (!force && (j.status === 'QUEUED' || j.status === 'PROCESSING')) {
      return { ok: false, error: { code: 'JOB_NOT_FINISHED', message: 'running' } };
    }
    this.removed.push({ id, force });
    return this.api.deleteJob(id);
  }
  async subscribe(id: string): Promise<Result<{ job: JobDto; log: LogLine[] }>> {
    this.subscribed.push(id);
    const j = await this.api.getJob(id);
    if (!j.ok) return j;
    return { ok: true, data: { job: j.data, log: this.api.logs.get(id) ?? [] } };
  }
  async unsubscribe(id: string) {
    this.unsubscribed.push(id);
    return { ok: true as const, data: { id } };
  }
}

export const tick = () => new Promise((r) => setTimeout(r, 0));

// ---- sign-in ----------------------------------------------------------------------------------------

import type { AuthUserDto, MeDto } from '../../../server/contract/auth.js';
import type { AccountApi } from '../../../client/src/lib/api.js';

/** The /api/auth endpoints of a server with these users (password = `${username}-pass`). */
export class FakeAuthApi implements Pick<AccountApi, 'me' | 'login' | 'logout' | 'setup'> {
  mode: 'on' | 'off' = 'on';
  users: AuthUserDto[] = [
    { id: 'u1', username: 'ada', role: 'admin' },
    { id: 'u2', username: 'pat', role: 'planner' },
    { id: 'u3', username: 'vera', role: 'viewer' },
  ];
  /** The signed-in user as the server sees it (null: no valid session cookie). */
  session: AuthUserDto | null = null;
  setupToken: string | null = null;
  down = false;
  calls: string[] = [];

  async me(): Promise<Result<MeDto>> {
    this.calls.push('me');
    if (this.down) return { ok: false, error: { code: 'NETWORK', message: '' } };
    if (this.mode === 'off')
      return {
        ok: true,
        data: { auth: 'off', user: { id: 'local', username: 'local', role: 'admin' }, setup_required: false },
      };
    return { ok: true, data: { auth: 'on', user: this.session, setup_required: this.setupToken !== null } };
  }
  async login(username: string, password: string): Promise<Result<{ user: AuthUserDto }>> {
    this.calls.push(`login:${username}`);
    const u = this.users.find((x) => x.username === username);
    if (!u || password !== `${username}-pass`)
      return { ok: false, error: { code: 'BAD_CREDENTIALS', message: 'Wrong username or password.' } };
    this.session = u;
    return { ok: true, data: { user: u } };
  }
  async logout(): Promise<Result<void>> {
    this.calls.push('logout');
    this.session = null;
    return { ok: true, data: undefined };
  }
  async setup(token: string, username: string, password: string): Promise<Result<{ user: AuthUserDto }>> {
    this.calls.push(`setup:${username}`);
    if (!this.setupToken || token !== this.setupToken)
      return { ok: false, error: { code: 'SETUP_CLOSED', message: '' } };
    this.setupToken = null;
    const u: AuthUserDto = { id: 'u0', username, role: 'admin' };
    this.users.push(u);
    return this.login(username, password.replace(/.*/, `${username}-pass`));
  }
}
