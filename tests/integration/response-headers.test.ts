/**
 * What answers tell browsers and caches (issue 14): downloads and API data are never cached
 * (`private, no-store`), and the page may open connections to its own origin only (CSP connect-src).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, JobWatch, uploadJob, type TestServer } from '../helpers/server.js';

const sample = readFileSync(new URL('../../server/assets/sample-demand.csv', import.meta.url));
let s: TestServer;
let jobId = '';

beforeAll(async () => {
  s = await bootServer();
  const watch = new JobWatch(await s.client());
  const up = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 7 });
  jobId = up.body.id;
  await watch.until(jobId, (j) => j.status === 'COMPLETED', 30_000);
});
afterAll(() => s.stop());

describe('response headers', () => {
  it('a forecast download and the series data are private, no-store', async () => {
    const dl = await fetch(`${s.url}/api/jobs/${jobId}/download`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('cache-control')).toBe('private, no-store');
    await dl.arrayBuffer();
    const keys = await fetch(`${s.url}/api/jobs/${jobId}/series/keys`);
    expect(keys.status).toBe(200);
    expect(keys.headers.get('cache-control')).toBe('private, no-store');
    const list = await fetch(`${s.url}/api/jobs`);
    expect(list.headers.get('cache-control')).toBe('private, no-store');
  });

  it("lets the page connect to its own origin only (connect-src 'self', no ws: or wss: to any host)", async () => {
    const csp = (await fetch(`${s.url}/api/health`)).headers.get('content-security-policy') ?? '';
    const connect = csp.split(';').find((d) => d.trim().startsWith('connect-src'));
    expect(connect?.trim()).toBe("connect-src 'self'");
  });
});
