/**
 * Issue 21 item 11 on the real server: a job can be given a name when it is created (the form field
 * `name`), renamed afterwards (PATCH /api/jobs/:id), found by it, and a re-plan leaves a mark (replanned_at)
 * so History can tell the re-planned job from its twins. Bad names are refused with 400 and leave no file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryDto } from '../../server/contract/auth.js';
import type { JobDto, JobListDto } from '../../server/contract/dto.js';
import { api, bootServer, filesIn, type TestServer } from '../helpers/server.js';
import { setupAdmin, signIn } from '../helpers/auth.js';
import { demandCsv, untilFinal } from './inventory-support.js';

type Err = { error: { code: string; message: string } };

/** POST /api/jobs with the demand file as carparts.csv and, when given, a `name` form field. */
async function create(url: string, name?: string, init: RequestInit = {}, f = fetch) {
  const form = new FormData();
  form.append('file', new Blob([demandCsv()]), 'carparts.csv');
  form.append('config', JSON.stringify({ forecast_horizon: 14 }));
  if (name !== undefined) form.append('name', name);
  const res = await f(`${url}/api/jobs`, { method: 'POST', body: form, ...init });
  return { status: res.status, body: (await res.json()) as JobDto & Err };
}

describe('job names (AUTH=off)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await bootServer();
  });
  afterAll(() => s.stop());

  it('a name given at upload is cleaned of control and bidi characters, kept, listed and searchable', async () => {
    const up = await create(s.url, '  Q3 \u202Eplan\u202C at 99\u00a0%\u0007\n ');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.name).toBe('Q3 plan at 99\u00a0%');
    expect(up.body.filename).toBe('carparts.csv');
    const got = await api<JobDto>(s.url, 'GET', `/api/jobs/${up.body.id}`);
    expect(got.body.name).toBe('Q3 plan at 99\u00a0%');
    const plain = await create(s.url);
    expect(plain.body.name).toBeNull();
    const blank = await create(s.url, ' \u200e ');
    expect(blank.body.name).toBeNull();
    const found = await api<JobListDto>(s.url, 'GET', '/api/jobs?q=q3%20plan');
    expect(found.body.jobs.map((j) => j.id)).toEqual([up.body.id]);
    const byFile = await api<JobListDto>(s.url, 'GET', '/api/jobs?q=carparts');
    expect(byFile.body.total).toBe(3);
    expect(byFile.body.jobs.find((j) => j.id === up.body.id)?.name).toBe('Q3 plan at 99\u00a0%');
  });

  it('a name of 100 characters is taken; 101 is refused with 400 and no file is left behind', async () => {
    const long = 'é'.repeat(100);
    const ok = await create(s.url, long);
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe(long);
    const before = filesIn(s.storage, 'uploads').length;
    const bad = await create(s.url, `${long}x`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', message: 'name must be at most 100 characters' });
    expect(filesIn(s.storage, 'uploads').length).toBe(before);
    // an upload's own temp files (jobs still running may hold theirs, e.g. the series index being built)
    expect(filesIn(s.storage, 'tmp').filter((f) => /^(upload|parts)-/.test(f))).toEqual([]);
  });

  it('PATCH /api/jobs/:id renames a job, null clears it; bad bodies get 400, unknown jobs 404', async () => {
    const up = await create(s.url);
    const path = `/api/jobs/${up.body.id}`;
    const named = await api<JobDto>(s.url, 'PATCH', path, { name: ' Rencana \u2066Q4\u2069 ' });
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    expect(named.body.name).toBe('Rencana Q4');
    expect((await api<JobDto>(s.url, 'GET', path)).body.name).toBe('Rencana Q4');
    for (const body of [{ name: 'x'.repeat(101) }, { name: 5 }, { name: 'ok', status: 'COMPLETED' }, [1]]) {
      const bad = await api<Err>(s.url, 'PATCH', path, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_ERROR');
      expect(typeof bad.body.error.message).toBe('string');
    }
    expect((await api<JobDto>(s.url, 'GET', path)).body.name).toBe('Rencana Q4');
    const cleared = await api<JobDto>(s.url, 'PATCH', path, { name: null });
    expect(cleared.body.name).toBeNull();
    const missing = await api<Err>(s.url, 'PATCH', '/api/jobs/nope', { name: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('JOB_NOT_FOUND');
  });

  it('a rerun keeps the name unless it is given a new one', async () => {
    const up = await create(s.url, 'Basis');
    await untilFinal(s.url, up.body.id);
    const same = await api<JobDto>(s.url, 'POST', `/api/jobs/${up.body.id}/rerun`, {});
    expect(same.body.name).toBe('Basis');
    const other = await api<JobDto>(s.url, 'POST', `/api/jobs/${up.body.id}/rerun`, { name: 'Basis, 7 hari' });
    expect(other.body.name).toBe('Basis, 7 hari');
    const total = (await api<JobListDto>(s.url, 'GET', '/api/jobs')).body.total;
    const bad = await api<Err>(s.url, 'POST', `/api/jobs/${up.body.id}/rerun`, { name: 'x'.repeat(101) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    expect((await api<JobListDto>(s.url, 'GET', '/api/jobs')).body.total).toBe(total);
  });

  it('a re-plan marks the job: replanned_at is null until then, set after', async () => {
    const up = await create(s.url);
    const done = await untilFinal(s.url, up.body.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.replanned_at).toBeNull();
    const t0 = Date.now();
    const r = await api(s.url, 'POST', `/api/jobs/${done.id}/inventory/plan`, { service_level: 0.99 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const after = (await api<JobDto>(s.url, 'GET', `/api/jobs/${done.id}`)).body;
    expect(after.replanned_at).not.toBeNull();
    expect(Date.parse(after.replanned_at!)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(after.config.service_level).toBe(0.99);
    const listed = await api<JobListDto>(s.url, 'GET', '/api/jobs?page_size=200');
    expect(listed.body.jobs.find((j) => j.id === done.id)?.replanned_at).toBe(after.replanned_at);
  });
});

describe('job names (AUTH=on)', () => {
  let a: TestServer;
  beforeAll(async () => {
    a = await bootServer({ env: { AUTH: 'on' } });
  });
  afterAll(() => a.stop());

  it('the owner or an admin renames a job; a viewer and another planner get 403; the audit trail says so', async () => {
    const admin = await setupAdmin(a.url, a.setupUrl!);
    for (const [username, role] of [
      ['viewer1', 'viewer'],
      ['planner1', 'planner'],
      ['planner2', 'planner'],
    ])
      await admin.json('POST', '/api/users', { username, password: `${username}-pass-1`, role });
    const viewer = await signIn(a.url, 'viewer1', 'viewer1-pass-1');
    const p1 = await signIn(a.url, 'planner1', 'planner1-pass-1');
    const p2 = await signIn(a.url, 'planner2', 'planner2-pass-1');
    const up = await create(a.url, 'Milik planner1', {}, (u, init) =>
      p1.fetch(String(u).slice(a.url.length), init as RequestInit),
    );
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const path = `/api/jobs/${up.body.id}`;
    expect((await viewer.json<Err>('PATCH', path, { name: 'x' })).status).toBe(403);
    const notTheirs = await p2.json<Err>('PATCH', path, { name: 'x' });
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body.error.code).toBe('FORBIDDEN');
    const own = await p1.json<JobDto>('PATCH', path, { name: 'Q3' });
    expect(own.status).toBe(200);
    expect(own.body.name).toBe('Q3');
    const byAdmin = await admin.json<JobDto>('PATCH', path, { name: 'Q3 (admin)' });
    expect(byAdmin.body.name).toBe('Q3 (admin)');
    const audit = await admin.json<{ entries: AuditEntryDto[] }>('GET', `/api/audit?job=${up.body.id}`);
    const renames = audit.body.entries.filter((e) => e.action === 'job.rename').map((e) => [e.username, e.detail]);
    expect(renames).toEqual(
      expect.arrayContaining([
        ['planner1', 'Q3'],
        ['admin', 'Q3 (admin)'],
      ]),
    );
  });
});
