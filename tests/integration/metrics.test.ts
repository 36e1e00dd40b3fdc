/**
 * GET /metrics: Prometheus text with Node's and the job server's metrics; open on loopback, an admin
 * token from elsewhere (or through a proxy), absent with METRICS=off.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { setupAdmin, signIn } from '../helpers/auth.js';
import { bootServer, emitAck, type TestServer } from '../helpers/server.js';

const SAMPLE = readFileSync(path.resolve(import.meta.dirname, '../../server/assets/sample-demand.csv'));
let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.stop();
  srv = null;
});

const metric = (text: string, line: RegExp) => text.split('\n').find((l) => line.test(l));

describe('GET /metrics', () => {
  it('reports jobs, durations, uploads, stops, queue, threads and sockets', async () => {
    srv = await bootServer();
    const c = await srv.client();
    const form = new FormData();
    form.append('file', new Blob([SAMPLE]), 'sample.csv');
    const created = (await (await fetch(`${srv.url}/api/jobs`, { method: 'POST', body: form })).json()) as JobDto;
    for (let i = 0; i < 400; i++) {
      const j = (await (await fetch(`${srv.url}/api/jobs/${created.id}`)).json()) as JobDto;
      if (j.status === 'COMPLETED') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const again = new FormData();
    again.append('file', new Blob([SAMPLE]), 'again.csv');
    const second = (await (await fetch(`${srv.url}/api/jobs`, { method: 'POST', body: again })).json()) as JobDto;
    expect((await emitAck(c, 'job:stop', { id: second.id })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 500)); // the stopped job's threads let go

    const res = await fetch(`${srv.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(metric(text, /^sparecast_jobs\{status="COMPLETED"\} 1$/)).toBeDefined();
    expect(metric(text, /^sparecast_jobs\{status="CANCELLED"\} 1$/)).toBeDefined();
    expect(metric(text, /^sparecast_job_duration_seconds_count\{status="COMPLETED"\} 1$/)).toBeDefined();
    expect(Number(metric(text, /^sparecast_upload_bytes_total /)?.split(' ')[1])).toBe(2 * SAMPLE.length);
    expect(metric(text, /^sparecast_stop_latency_seconds_count 1$/)).toBeDefined();
    expect(metric(text, /^sparecast_queue_length 0$/)).toBeDefined();
    expect(metric(text, /^sparecast_pool_threads\{state="total"\} 2$/)).toBeDefined();
    expect(metric(text, /^sparecast_socket_clients 1$/)).toBeDefined();
    expect(metric(text, /^nodejs_eventloop_lag_seconds /)).toBeDefined();
  });

  it('needs an admin token when not asked from this machine', async () => {
    srv = await bootServer({ env: { AUTH: 'on' } });
    const admin = await setupAdmin(srv.url, srv.setupUrl!);
    const proxied = { 'x-forwarded-for': '203.0.113.9' };
    expect((await fetch(`${srv.url}/metrics`, { headers: proxied })).status).toBe(401);
    const token = (await admin.json<{ token: string }>('POST', '/api/tokens', { name: 'scraper' })).body.token;
    const ok = await fetch(`${srv.url}/metrics`, { headers: { ...proxied, authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    await admin.json('POST', '/api/users', { username: 'viewer1', password: 'viewer-pass-1', role: 'viewer' });
    const viewer = await signIn(srv.url, 'viewer1', 'viewer-pass-1');
    const vt = (await viewer.json<{ token: string }>('POST', '/api/tokens', { name: 'mine' })).body.token;
    expect((await fetch(`${srv.url}/metrics`, { headers: { ...proxied, authorization: `Bearer ${vt}` } })).status).toBe(
      403,
    );
  });

  it('counts any proxy header as a request from elsewhere', async () => {
    srv = await bootServer({ env: { AUTH: 'on' } });
    const admin = await setupAdmin(srv.url, srv.setupUrl!);
    const token = (await admin.json<{ token: string }>('POST', '/api/tokens', { name: 'scraper' })).body.token;
    const headers = [
      'x-real-ip',
      'x-client-ip',
      'cf-connecting-ip',
      'true-client-ip',
      'via',
      'x-forwarded-host',
      'x-forwarded-proto',
      'forwarded',
      'x-forwarded-for',
    ];
    for (const h of headers) {
      const value = h === 'via' ? '1.1 proxy' : h === 'forwarded' ? 'for=203.0.113.9' : '203.0.113.9';
      const res = await fetch(`${srv.url}/metrics`, { headers: { [h]: value } });
      expect([h, res.status]).toEqual([h, 401]);
      const ok = await fetch(`${srv.url}/metrics`, { headers: { [h]: value, authorization: `Bearer ${token}` } });
      expect([h, ok.status]).toEqual([h, 200]);
    }
    expect((await fetch(`${srv.url}/metrics`)).status).toBe(200); // this machine's own scraper
  });

  it('is only at /metrics: another case of the path is not a way around a proxy rule', async () => {
    srv = await bootServer({ env: { AUTH: 'on' } });
    for (const p of ['/Metrics', '/METRICS']) {
      const res = await fetch(`${srv.url}${p}`, { headers: { 'x-real-ip': '203.0.113.9' } });
      const text = await res.text();
      expect([p, res.status]).toEqual([p, 404]);
      expect(text).not.toMatch(/sparecast_jobs/);
    }
    // the API alike: /API/… and /api/JOBS are not routes
    expect((await fetch(`${srv.url}/API/health`)).status).toBe(404);
    expect((await fetch(`${srv.url}/api/HEALTH`)).status).toBe(404);
    expect((await fetch(`${srv.url}/api/health`)).status).toBe(200);
  });

  it('is not there with METRICS=off', async () => {
    srv = await bootServer({ env: { METRICS: 'off' } });
    expect((await fetch(`${srv.url}/metrics`)).status).toBe(404);
  });
});
