/**
 * Caps that keep one person from taking the server (issue 14): queued jobs per user and in all (429
 * QUEUE_FULL naming the cap), Stop and rerun outside the upload rate limit, socket commands limited per
 * connection while /api/health stays answered.
 */
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserDto } from '../../server/contract/auth.js';
import type { JobDto } from '../../server/contract/dto.js';
import { DROP_AFTER_REFUSED, SOCKET_COMMANDS } from '../../server/socket/rate-limit.js';
import { setupAdmin, type Session } from '../helpers/auth.js';
import { bootServer, filesIn, FIXTURE_WORKER, type Client, type TestServer } from '../helpers/server.js';

const csv = 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n';
let s: TestServer;
let admin: Session;
const tokens: Record<string, string> = {};

type Reply = { status: number; body: JobDto & { error?: { code: string; message: string } } };

async function asUser(name: string, method: string, path: string, body?: FormData | object): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${tokens[name]}` };
  let payload: FormData | string | undefined;
  if (body instanceof FormData) payload = body;
  else if (body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${s.url}${path}`, { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function upload(name: string, method = 'fixture-hang'): Promise<Reply> {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'f.csv');
  form.append('config', JSON.stringify({ method, forecast_horizon: 1, forecast_site_codes: ['A'] }));
  return asUser(name, 'POST', '/api/jobs', form);
}

beforeAll(async () => {
  s = await bootServer({
    workerFile: FIXTURE_WORKER,
    env: { AUTH: 'on', MAX_QUEUED_PER_USER: '2', MAX_QUEUED: '3', UPLOADS_PER_MINUTE: '4', JOB_CONCURRENCY: '1' },
  });
  admin = await setupAdmin(s.url, s.setupUrl!);
  for (const [username, role] of [
    ['planner1', 'planner'],
    ['planner2', 'planner'],
    ['viewer1', 'viewer'],
  ]) {
    const u = await admin.json<UserDto>('POST', '/api/users', { username, password: `${username}-password`, role });
    expect(u.status).toBe(201);
    const t = await s.auth!.createToken(u.body.id, 'test');
    tokens[username] = t.token;
  }
});
afterAll(() => s.stop());

describe('queue caps and the upload rate limit', () => {
  it('refuses a job past MAX_QUEUED_PER_USER, then past MAX_QUEUED; Stop and rerun are not rate-limited', async () => {
    const running = await upload('planner1');
    expect(running.status).toBe(201);
    await s.jobs.get(running.body.id);
    // The running job is not waiting: two more fit planner1's cap of 2.
    const q1 = await upload('planner1');
    const q2 = await upload('planner1');
    expect([q1.status, q2.status]).toEqual([201, 201]);
    expect(s.jobs.queueLength).toBe(2);
    const over = await upload('planner1');
    expect(over.status).toBe(429);
    expect(over.body.error?.code).toBe('QUEUE_FULL');
    expect(over.body.error?.message).toContain('MAX_QUEUED_PER_USER=2');
    expect(filesIn(s.storage, 'tmp').filter((f) => f.startsWith('upload-'))).toEqual([]);
    expect(filesIn(s.storage, 'uploads')).toHaveLength(3);

    // Another person still has room in the server's queue, up to MAX_QUEUED in all.
    expect((await upload('planner2')).status).toBe(201);
    const full = await upload('planner2');
    expect(full.status).toBe(429);
    expect(full.body.error?.code).toBe('QUEUE_FULL');
    expect(full.body.error?.message).toContain('MAX_QUEUED=3');

    // planner1 has used the 4 uploads a minute allows: Stop and rerun must still work.
    const stopped = await asUser('planner1', 'POST', `/api/jobs/${q1.body.id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('CANCELLED');
    const rerun = await asUser('planner1', 'POST', `/api/jobs/${q1.body.id}/rerun`, {});
    expect(rerun.status).toBe(201);
    // …and the upload limit itself still holds.
    expect((await upload('planner1')).body.error?.code).toBe('RATE_LIMITED');

    for (const id of [q2.body.id, rerun.body.id, running.body.id])
      expect((await asUser('planner1', 'DELETE', `/api/jobs/${id}?force=true`)).status).toBe(204);
  });
});

describe('socket commands', () => {
  it('answers a flood of job:subscribe with RATE_LIMITED and keeps /api/health answered', async () => {
    const c: Client = connect(s.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { token: tokens.viewer1 },
    });
    await new Promise<void>((resolve, reject) => (c.once('connect', resolve), c.once('connect_error', reject)));
    const id = (await upload('planner2', 'fixture-slow')).body.id;
    const t0 = performance.now();
    const replies: { ok: boolean; error?: { code: string } }[] = [];
    const closed = new Promise<void>((resolve) => c.once('disconnect', () => resolve()));
    const acks = Array.from(
      { length: 10_000 },
      () => new Promise<void>((resolve) => c.emit('job:subscribe', { id }, (r) => (replies.push(r), resolve()))),
    );
    const health = await fetch(`${s.url}/api/health`);
    expect(health.status).toBe(200);
    await Promise.race([Promise.all(acks), closed]);
    const seconds = (performance.now() - t0) / 1000;
    // Served commands ack after a database read: the close may come first and drop those acks.
    const ok = replies.filter((r) => r.ok).length;
    expect(ok).toBeLessThanOrEqual(SOCKET_COMMANDS.burst + Math.ceil(seconds * SOCKET_COMMANDS.perSecond) + 1);
    const refused = replies.filter((r) => !r.ok);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.error?.code === 'RATE_LIMITED')).toBe(true);
    // Past DROP_AFTER_REFUSED refusals in a row the server stops answering and closes the connection.
    expect(refused.length).toBeLessThanOrEqual(DROP_AFTER_REFUSED);
    expect(c.connected).toBe(false);
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    c.close();
    await asUser('planner2', 'DELETE', `/api/jobs/${id}?force=true`);
  });
});
