/**
 * A socket lives no longer than what signed it in (issue 14, hole 2): revoking its token, resetting the
 * password or changing the role of its user drops it at once, and its commands stop working. A password
 * reset also revokes the user's tokens. The audit trail says whether a change came by cookie or token.
 */
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryDto, UserDto } from '../../server/contract/auth.js';
import type { JobDto } from '../../server/contract/dto.js';
import { setupAdmin, signIn, type Session } from '../helpers/auth.js';
import { bootServer, FIXTURE_WORKER, type Client, type TestServer } from '../helpers/server.js';

const csv = 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n';
let s: TestServer;
let admin: Session;
let planner: Session;
let plannerId: string;

beforeAll(async () => {
  s = await bootServer({ workerFile: FIXTURE_WORKER, env: { AUTH: 'on', LOGIN_PER_MINUTE: '1000' } });
  admin = await setupAdmin(s.url, s.setupUrl!);
  const r = await admin.json<UserDto>('POST', '/api/users', {
    username: 'planner1',
    password: 'planner1-password',
    role: 'planner',
  });
  plannerId = r.body.id;
  planner = await signIn(s.url, 'planner1', 'planner1-password');
});
afterAll(() => s.stop());

async function newToken(): Promise<{ id: string; token: string }> {
  const t = await planner.json<{ id: string; token: string }>('POST', '/api/tokens', { name: 'script' });
  expect(t.status).toBe(201);
  return t.body;
}

function tokenSocket(token: string): Promise<Client> {
  const c: Client = connect(s.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token } });
  return new Promise((resolve, reject) => {
    c.once('connect', () => resolve(c));
    c.once('connect_error', (e) => (c.close(), reject(e)));
  });
}

/** A running job of the planner's (it hangs until stopped or deleted). */
async function hangingJob(token: string): Promise<JobDto> {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'f.csv');
  form.append('config', JSON.stringify({ method: 'fixture-hang', forecast_horizon: 1, forecast_site_codes: ['A'] }));
  const res = await fetch(`${s.url}/api/jobs`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as JobDto;
}

/**
 * Sends job:stop and job:delete the moment `end` has answered: they must not be carried out. Returns how
 * the socket went and what the acks said (none: the server no longer listens to it).
 */
async function commandsAfter(c: Client, job: JobDto, end: () => Promise<number>): Promise<string> {
  const gone = new Promise<string>((resolve) => c.once('disconnect', resolve));
  expect(await end()).toBeLessThan(300);
  const ask = (event: 'job:stop' | 'job:delete') =>
    c
      .timeout(1500)
      .emitWithAck(event, event === 'job:stop' ? { id: job.id } : { id: job.id, force: true })
      .then((a) => (a.ok ? 'ok' : a.error.code))
      .catch(() => 'no answer');
  const acks = await Promise.all([ask('job:stop'), ask('job:delete')]);
  const reason = await Promise.race([gone, new Promise<string>((r) => setTimeout(() => r('still connected'), 2000))]);
  const still = await admin.json<JobDto>('GET', `/api/jobs/${job.id}`);
  expect(still.status).toBe(200);
  expect(still.body.status).not.toBe('CANCELLED');
  expect(
    acks.every((a) => a !== 'ok'),
    acks.join(),
  ).toBe(true);
  c.close();
  return reason;
}

async function cleanUp(job: JobDto): Promise<void> {
  expect((await admin.json('DELETE', `/api/jobs/${job.id}?force=true`)).status).toBe(204);
}

describe('a socket signed in with a token', () => {
  it('is dropped when the token is revoked; the token no longer connects', async () => {
    const t = await newToken();
    const c = await tokenSocket(t.token);
    const job = await hangingJob(t.token);
    const reason = await commandsAfter(
      c,
      job,
      async () => (await planner.fetch(`/api/tokens/${t.id}`, { method: 'DELETE' })).status,
    );
    expect(reason).toBe('io server disconnect');
    await expect(tokenSocket(t.token)).rejects.toThrow('UNAUTHORIZED');
    await cleanUp(job);
  });

  it('is dropped by a password reset, which also revokes the token', async () => {
    const t = await newToken();
    const c = await tokenSocket(t.token);
    const job = await hangingJob(t.token);
    const reset = async () =>
      (await admin.json('PATCH', `/api/users/${plannerId}`, { password: 'planner1-new-password' })).status;
    expect(await commandsAfter(c, job, reset)).toBe('io server disconnect');
    const rest = await fetch(`${s.url}/api/jobs`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(rest.status).toBe(401);
    await expect(tokenSocket(t.token)).rejects.toThrow('UNAUTHORIZED');
    planner = await signIn(s.url, 'planner1', 'planner1-new-password');
    await cleanUp(job);
  });

  it('is dropped by a role change; a new socket gets the new role', async () => {
    const t = await newToken();
    const c = await tokenSocket(t.token);
    const job = await hangingJob(t.token);
    const demote = async () => (await admin.json('PATCH', `/api/users/${plannerId}`, { role: 'viewer' })).status;
    expect(await commandsAfter(c, job, demote)).toBe('io server disconnect');
    const again = await tokenSocket(t.token);
    const ack = await again.timeout(1500).emitWithAck('job:stop', { id: job.id });
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    again.close();
    await cleanUp(job);
    expect((await admin.json('PATCH', `/api/users/${plannerId}`, { role: 'planner' })).status).toBe(200);
  });
});

describe('the audit trail', () => {
  it('records whether a change came by cookie or by token', async () => {
    planner = await signIn(s.url, 'planner1', 'planner1-new-password');
    const t = await newToken();
    const job = await hangingJob(t.token);
    expect((await planner.json('POST', `/api/jobs/${job.id}/stop`)).status).toBe(200);
    const audit = await admin.json<{ entries: AuditEntryDto[] }>('GET', `/api/audit?job=${job.id}`);
    expect(audit.body.entries.map((e) => `${e.action}:${e.via}`)).toEqual(['job.stop:cookie', 'job.upload:token']);
    const created = await admin.json<{ entries: AuditEntryDto[] }>('GET', '/api/audit?action=token.create');
    expect(created.body.entries[0]).toMatchObject({ username: 'planner1', via: 'cookie' });
    const failed = await admin.json<{ entries: AuditEntryDto[] }>('GET', '/api/audit?action=auth.login');
    expect(failed.body.entries[0]?.via).toBeNull();
  });
});
