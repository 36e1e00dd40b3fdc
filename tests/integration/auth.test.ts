/**
 * AUTH=on: every route and event refuses strangers (401) and the wrong role (403); forged
 * cross-site requests and revoked tokens are refused; stops are signed; the audit trail outlives jobs.
 */
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import type { AuditEntryDto, UserDto } from '../../server/contract/auth.js';
import type { JobDto } from '../../server/contract/dto.js';
import { setupAdmin, signIn, type Session } from '../helpers/auth.js';
import { bootServer, emitAck, FIXTURE_WORKER, JobWatch, type TestServer } from '../helpers/server.js';

const csv = 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n';
let s: TestServer;
let admin: Session;
let planner: Session;
let viewer: Session;

beforeAll(async () => {
  s = await bootServer({
    workerFile: FIXTURE_WORKER,
    env: { AUTH: 'on', LOCKOUT_AFTER: '3', LOGIN_PER_MINUTE: '1000' },
  });
  expect(s.setupUrl).toMatch(/#\/setup\?token=/);
  admin = await setupAdmin(s.url, s.setupUrl!);
  for (const [name, role] of [
    ['planner1', 'planner'],
    ['viewer1', 'viewer'],
    ['planner2', 'planner'],
  ] as const) {
    const r = await admin.json('POST', '/api/users', { username: name, password: `${name}-password`, role });
    expect(r.status).toBe(201);
  }
  planner = await signIn(s.url, 'planner1', 'planner1-password');
  viewer = await signIn(s.url, 'viewer1', 'viewer1-password');
});
afterAll(() => s.stop());

function upload(sess: Session, method = 'fixture-slow', horizon = 30): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'f.csv');
  form.append('config', JSON.stringify({ method, forecast_horizon: horizon, forecast_site_codes: ['A'] }));
  return sess.fetch('/api/jobs', { method: 'POST', body: form });
}

describe('sign-in and setup', () => {
  it('the setup link works once; the first user is an admin with a session cookie', async () => {
    const again = await fetch(`${s.url}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.url },
      body: JSON.stringify({ token: 'x', username: 'evil', password: 'evil-password' }),
    });
    expect(again.status).toBe(403);
    const me = await admin.json<{ user: { username: string; role: string }; auth: string }>('GET', '/api/auth/me');
    expect(me.body).toMatchObject({ auth: 'on', user: { username: 'admin', role: 'admin' } });
    expect(admin.cookie).toMatch(/^sparecast_session=/);
    // routes match their case only, as every other API router does (a second spelling is a second surface)
    expect((await admin.json('GET', '/api/AUTH/me')).status).toBe(404);
    expect((await admin.json('GET', '/api/auth/ME')).status).toBe(404);
  });

  it('answers 401 everywhere without a session, and the socket handshake is refused', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/jobs'],
      ['GET', '/api/jobs/x'],
      ['GET', '/api/jobs/x/log'],
      ['GET', '/api/jobs/x/download'],
      ['POST', '/api/jobs'],
      ['POST', '/api/jobs/x/stop'],
      ['POST', '/api/jobs/x/rerun'],
      ['DELETE', '/api/jobs/x'],
      ['POST', '/api/preview'],
      ['POST', '/api/sample'],
      ['GET', '/api/jobs/x/series/keys'],
      ['GET', '/api/jobs/x/series'],
      ['GET', '/api/users'],
      ['POST', '/api/users'],
      ['GET', '/api/audit'],
      ['GET', '/api/tokens'],
      ['POST', '/api/tokens'],
    ];
    for (const [method, path] of routes) {
      const res = await fetch(`${s.url}${path}`, { method, headers: { origin: s.url } });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
    const err = await new Promise<Error>((resolve) => {
      const c = connect(s.url, { transports: ['websocket'], forceNew: true, reconnection: false });
      c.once('connect_error', (e) => (c.close(), resolve(e)));
      c.once('connect', () => (c.close(), resolve(new Error('connected'))));
    });
    expect(err.message).toBe('UNAUTHORIZED');
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
  });

  it('locks an account after repeated failed sign-ins', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${s.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: s.url },
        body: JSON.stringify({ username: 'planner2', password: 'wrong-password' }),
      });
      expect(r.status).toBe(401);
    }
    const locked = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.url },
      body: JSON.stringify({ username: 'planner2', password: 'planner2-password' }),
    });
    expect(locked.status).toBe(423);
    // An admin password reset unlocks it.
    const users = await admin.json<{ users: UserDto[] }>('GET', '/api/users');
    const p2 = users.body.users.find((u) => u.username === 'planner2')!;
    expect(p2.locked).toBe(true);
    expect((await admin.json('PATCH', `/api/users/${p2.id}`, { password: 'planner2-new-password' })).status).toBe(200);
    await signIn(s.url, 'planner2', 'planner2-new-password');
  });

  it('refuses AUTH=off unless bound to loopback', () => {
    expect(() => loadConfig({ AUTH: 'off', HOST: '0.0.0.0' })).toThrow(/AUTH=off is only allowed/);
    expect(loadConfig({ AUTH: 'off', HOST: '::1' }).AUTH).toBe('off');
  });

  it('sends security headers', async () => {
    const res = await fetch(`${s.url}/api/health`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/);
  });
});

describe('roles', () => {
  it('a viewer sees and downloads but may not upload, stop or delete (403)', async () => {
    expect((await viewer.json('GET', '/api/jobs')).status).toBe(200);
    const up = await upload(viewer);
    expect(up.status).toBe(403);
    expect(((await up.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    for (const [m, p] of [
      ['POST', '/api/jobs/x/stop'],
      ['DELETE', '/api/jobs/x'],
      ['POST', '/api/sample'],
      ['POST', '/api/jobs/x/rerun'],
      ['GET', '/api/users'],
      ['GET', '/api/audit'],
    ] as const)
      expect((await viewer.json(m, p)).status, `${m} ${p}`).toBe(403);
    const c = await viewer.socket();
    const ack = await emitAck(c, 'job:stop', { id: 'x' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    c.close();
  });

  it('a planner runs and stops jobs ("Cancelled by <name>"), deletes own jobs only; the audit trail outlives the job', async () => {
    const watch = new JobWatch(await admin.socket());
    const mine = (await (await upload(planner)).json()) as JobDto;
    expect(mine.created_by).toBe('planner1');
    await watch.until(mine.id, (j) => j.status === 'PROCESSING');
    const c = await planner.socket();
    const ack = await emitAck(c, 'job:stop', { id: mine.id });
    expect(ack.ok && ack.data.error_message).toBe('Cancelled by planner1');
    c.close();

    const theirs = (await (await upload(admin, 'fixture-slow', 1)).json()) as JobDto;
    await watch.until(theirs.id, (j) => j.status === 'COMPLETED');
    expect((await planner.json('DELETE', `/api/jobs/${theirs.id}`)).status).toBe(403);
    expect((await planner.json('DELETE', `/api/jobs/${mine.id}`)).status).toBe(204);

    const running = (await (await upload(planner, 'fixture-hang')).json()) as JobDto;
    await watch.until(running.id, (j) => j.status === 'PROCESSING');
    expect((await admin.json('DELETE', `/api/jobs/${running.id}?force=true`)).status).toBe(204);

    const audit = await admin.json<{ entries: AuditEntryDto[] }>('GET', `/api/audit?job=${running.id}`);
    expect(audit.body.entries.map((e) => `${e.username}:${e.action}`).sort()).toEqual([
      'admin:job.force_delete',
      'planner1:job.upload',
    ]);
    const stops = await admin.json<{ entries: AuditEntryDto[] }>('GET', `/api/audit?job=${mine.id}`);
    expect(stops.body.entries.map((e) => e.action)).toEqual(['job.delete', 'job.stop', 'job.upload']);
    expect(stops.body.entries.every((e) => e.ip)).toBe(true);
    // Action filters are prefixes, and "_" in an action name is not a wildcard.
    const forced = await admin.json<{ entries: AuditEntryDto[] }>('GET', '/api/audit?action=job.force_delete');
    expect(forced.body.entries.map((e) => e.job_id)).toEqual([running.id]);
    const jobActions = await admin.json<{ total: number; entries: AuditEntryDto[] }>('GET', '/api/audit?action=job.');
    expect(jobActions.body.entries.every((e) => e.action.startsWith('job.'))).toBe(true);
    expect(jobActions.body.total).toBeGreaterThanOrEqual(5);
  });
});

describe('cross-site requests and tokens', () => {
  it('refuses a cookie request from another origin', async () => {
    const forged = await planner.fetch('/api/sample', {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
      json: {},
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('CSRF');
    const crossSite = await planner.fetch('/api/sample', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
      json: {},
    });
    expect(crossSite.status).toBe(403);
    const noOrigin = await fetch(`${s.url}/api/jobs/x/stop`, { method: 'POST', headers: { cookie: planner.cookie } });
    expect(noOrigin.status).toBe(403);
  });

  it('a personal token works for scripts until revoked', async () => {
    const t = await planner.json<{ id: string; token: string }>('POST', '/api/tokens', { name: 'cli' });
    expect(t.status).toBe(201);
    const withToken = (p: string, init: RequestInit = {}) =>
      fetch(`${s.url}${p}`, { ...init, headers: { authorization: `Bearer ${t.body.token}` } });
    expect((await withToken('/api/jobs')).status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([csv]), 'f.csv');
    form.append('config', JSON.stringify({ method: 'fixture-slow', forecast_horizon: 1, forecast_site_codes: ['A'] }));
    expect((await withToken('/api/jobs', { method: 'POST', body: form })).status).toBe(201); // no Origin needed: not a cookie
    expect((await planner.json('DELETE', `/api/tokens/${t.body.id}`)).status).toBe(204);
    const revoked = await withToken('/api/jobs');
    expect(revoked.status).toBe(401);
  });
});

describe('ending sessions', () => {
  it('signing out drops the sockets of that session; removing a user drops all of theirs', async () => {
    const p2 = await signIn(s.url, 'planner2', 'planner2-new-password');
    const c = await p2.socket();
    const gone = new Promise<string>((resolve) => c.once('disconnect', (reason) => resolve(reason)));
    expect((await p2.json('POST', '/api/auth/logout')).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    expect((await p2.json('GET', '/api/jobs')).status).toBe(401);

    const v2 = await signIn(s.url, 'viewer1', 'viewer1-password');
    const c2 = await v2.socket();
    const gone2 = new Promise<string>((resolve) => c2.once('disconnect', (reason) => resolve(reason)));
    const users = await admin.json<{ users: UserDto[] }>('GET', '/api/users');
    const v = users.body.users.find((u) => u.username === 'viewer1')!;
    expect((await admin.json('DELETE', `/api/users/${v.id}`)).status).toBe(204);
    expect(await gone2).toBe('io server disconnect');
    expect((await v2.json('GET', '/api/jobs')).status).toBe(401);
  });

  it('keeps the last admin', async () => {
    const users = await admin.json<{ users: UserDto[] }>('GET', '/api/users');
    const me = users.body.users.find((u) => u.username === 'admin')!;
    expect((await admin.json('PATCH', `/api/users/${me.id}`, { role: 'viewer' })).status).toBe(409);
  });
});

describe('rate limits', () => {
  it('limits uploads per user and sign-in attempts per address', async () => {
    const srv = await bootServer({
      workerFile: FIXTURE_WORKER,
      env: { AUTH: 'on', UPLOADS_PER_MINUTE: '2', LOGIN_PER_MINUTE: '3' },
    });
    try {
      const a = await setupAdmin(srv.url, srv.setupUrl!);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await upload(a, 'fixture-slow', 1)).status);
      expect(statuses).toEqual([201, 201, 429]);
      const tries: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${srv.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: srv.url },
          body: JSON.stringify({ username: 'admin', password: 'nope-nope-nope' }),
        });
        tries.push(r.status);
      }
      // The setup sign-in counted as one attempt from this address.
      expect(tries).toEqual([401, 401, 429]);
    } finally {
      await srv.stop();
    }
  });
});
