/**
 * STOP_GRACE_MS > 0: cooperative stop first (the worker sees the shared stop flag and returns),
 * hard abort only for a worker that ignores the flag, after the grace period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { api, bootServer, FIXTURE_WORKER, JobWatch, uploadJob, type TestServer } from '../helpers/server.js';

const csv = 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n';
let s: TestServer;
let watch: JobWatch;
beforeAll(async () => {
  s = await bootServer({ workerFile: FIXTURE_WORKER, env: { STOP_GRACE_MS: '400' } });
  watch = new JobWatch(await s.client());
});
afterAll(() => s.stop());

async function stopAndTimeRelease(method: string): Promise<{ job: JobDto; releasedMs: number }> {
  const up = await uploadJob(
    s.url,
    { name: 'f.csv', content: csv },
    { method, forecast_horizon: 100, forecast_site_codes: ['A'] },
  );
  await watch.until(
    up.body.id,
    (j) => (j.status === 'PROCESSING' && j.progress > 0) || (method === 'fixture-hang' && j.status === 'PROCESSING'),
  );
  await new Promise((r) => setTimeout(r, 150));
  const released = new Promise<number>((resolve) => s.jobs.events.once('released', () => resolve(performance.now())));
  const t0 = performance.now();
  const res = await api<JobDto>(s.url, 'POST', `/api/jobs/${up.body.id}/stop`);
  return { job: res.body, releasedMs: (await released) - t0 };
}

describe('stop grace period', () => {
  it('a cooperative worker ends on the flag, well before the grace period', async () => {
    const { job, releasedMs } = await stopAndTimeRelease('fixture-slow-coop');
    expect(job.status).toBe('CANCELLED');
    expect(releasedMs).toBeLessThan(300);
    expect(s.pool.stats().busy).toBe(0);
  });

  it('a worker that ignores the flag is terminated after the grace period', async () => {
    const { job, releasedMs } = await stopAndTimeRelease('fixture-hang');
    expect(job.status).toBe('CANCELLED'); // the user sees CANCELLED at once either way
    expect(releasedMs).toBeGreaterThanOrEqual(380);
    expect(releasedMs).toBeLessThan(1400);
    for (let i = 0; i < 50 && s.pool.stats().busy > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.pool.stats().busy).toBe(0);
  });
});
