/**
 * Where a request comes from (issue 14, holes 1 and 5): a page of another origin — another port of the
 * same host counts — may not drive the socket or the API with the user's cookie, with or without sign-in
 * (AUTH=on and AUTH=off); a foreign Host (DNS rebinding) gets nothing; scripts without browser headers
 * keep working.
 */
import http from 'node:http';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { setupAdmin, type Session } from '../helpers/auth.js';
import { api, bootServer, emitAck, FIXTURE_WORKER, type Client, type TestServer } from '../helpers/server.js';

const csv = 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n';
const hang = { method: 'fixture-hang', forecast_horizon: 1, forecast_site_codes: ['A'] };

/** Connects a socket with exactly these handshake headers; resolves with the client or the refusal. */
function tryConnect(url: string, headers: Record<string, string>): Promise<Client | Error> {
  const c: Client = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: headers,
  });
  return new Promise((resolve) => {
    c.once('connect', () => resolve(c));
    c.once('connect_error', (e) => (c.close(), resolve(e)));
  });
}

/** A raw HTTP request (fetch may not set Host), answering status and parsed JSON. */
function raw(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end();
  });
}

function multipart(): FormData {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'f.csv');
  form.append('config', JSON.stringify(hang));
  return form;
}

/** The port of a URL plus one: "another port of the same host", the same site but another origin. */
const otherPort = (url: string) => `http://127.0.0.1:${Number(new URL(url).port) + 1}`;

describe('AUTH=on', () => {
  let s: TestServer;
  let admin: Session;
  let job: JobDto;

  beforeAll(async () => {
    s = await bootServer({ workerFile: FIXTURE_WORKER, env: { AUTH: 'on', LOGIN_PER_MINUTE: '1000' } });
    admin = await setupAdmin(s.url, s.setupUrl!);
    const up = await admin.fetch('/api/jobs', { method: 'POST', body: multipart() });
    expect(up.status).toBe(201);
    job = (await up.json()) as JobDto;
  });
  afterAll(() => s.stop());

  it('refuses a socket with the cookie from another port of the host, or from the same site', async () => {
    const attempts: Record<string, string>[] = [
      { cookie: admin.cookie, origin: otherPort(s.url) },
      { cookie: admin.cookie, origin: s.url, 'sec-fetch-site': 'same-site' },
      { cookie: admin.cookie, origin: 'null' },
    ];
    for (const headers of attempts) {
      const r = await tryConnect(s.url, headers);
      expect(r, JSON.stringify(headers)).toBeInstanceOf(Error);
    }
    // Nothing got through: the job the hijacker would force-delete is still there.
    expect((await admin.json<JobDto>('GET', `/api/jobs/${job.id}`)).status).toBe(200);
  });

  it('refuses a socket with a cookie and no word on its origin', async () => {
    const r = await tryConnect(s.url, { cookie: admin.cookie });
    expect(r).toBeInstanceOf(Error);
    expect((r as Error & { data?: { code: string } }).data?.code).toBe('CSRF');
  });

  it('accepts the page’s own socket (Origin or Sec-Fetch-Site: same-origin)', async () => {
    const byOrigin = await admin.socket();
    byOrigin.close();
    const c = await tryConnect(s.url, { cookie: admin.cookie, 'sec-fetch-site': 'same-origin' });
    expect(c).not.toBeInstanceOf(Error);
    const ack = await emitAck(c as Client, 'job:delete', { id: job.id, force: true });
    expect(ack.ok).toBe(true);
    (c as Client).close();
  });

  it('refuses a foreign Host on REST and on the socket (DNS rebinding)', async () => {
    const port = new URL(s.url).port;
    const rest = await raw(s.url, '/api/jobs', { host: `rebind.attacker.example:${port}`, cookie: admin.cookie });
    expect(rest.status).toBe(403);
    expect(rest.body).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
    expect((await raw(s.url, '/api/health', { host: `localhost:${port}` })).status).toBe(200);
    const sock = await tryConnect(s.url, {
      host: `rebind.attacker.example:${port}`,
      origin: `http://rebind.attacker.example:${port}`,
      cookie: admin.cookie,
    });
    expect(sock).toBeInstanceOf(Error);
  });
});

describe('AUTH=off', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await bootServer({ workerFile: FIXTURE_WORKER, env: { AUTH: 'off' } });
  });
  afterAll(() => s.stop());

  const jobCount = async () => (await api<{ total: number }>(s.url, 'GET', '/api/jobs')).body.total;

  it('a cross-site page cannot create jobs (text/plain or no-cors multipart)', async () => {
    const evil = { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' };
    const plain = await fetch(`${s.url}/api/sample`, {
      method: 'POST',
      headers: { ...evil, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(plain.status).toBe(403);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('CSRF');
    const form = await fetch(`${s.url}/api/jobs`, { method: 'POST', headers: evil, body: multipart() });
    expect(form.status).toBe(403);
    const sameSite = await fetch(`${s.url}/api/jobs`, {
      method: 'POST',
      headers: { origin: otherPort(s.url) },
      body: multipart(),
    });
    expect(sameSite.status).toBe(403);
    expect(await jobCount()).toBe(0);
  });

  it('a cross-site page’s socket cannot force-delete; scripts without browser headers keep working', async () => {
    const script = await fetch(`${s.url}/api/jobs`, { method: 'POST', body: multipart() });
    expect(script.status).toBe(201);
    const job = (await script.json()) as JobDto;
    for (const origin of ['http://evil.example', otherPort(s.url)]) {
      const r = await tryConnect(s.url, { origin });
      expect(r, origin).toBeInstanceOf(Error);
    }
    const own = await tryConnect(s.url, { origin: s.url });
    expect(own).not.toBeInstanceOf(Error);
    (own as Client).close();
    const plain = await s.client(); // no browser headers at all
    expect(await emitAck(plain, 'job:delete', { id: job.id, force: true })).toMatchObject({ ok: true });
  });

  it('a foreign Host does not get the job list', async () => {
    const port = new URL(s.url).port;
    const r = await raw(s.url, '/api/jobs', { host: `rebind.attacker.example:${port}` });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
    expect((await tryConnect(s.url, { host: `rebind.attacker.example:${port}` })) instanceof Error).toBe(true);
    expect((await raw(s.url, '/api/jobs', { host: `127.0.0.1:${port}` })).status).toBe(200);
  });
});
