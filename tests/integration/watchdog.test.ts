/**
 * The watchdog on real threads: stalled / silent / slow flags pushed live, JOB_TIMEOUT ending a job
 * that never returns, retention removing old finished jobs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import {
  api,
  bootServer,
  filesIn,
  FIXTURE_WORKER,
  JobWatch,
  uploadJob,
  waitFor,
  type TestServer,
} from '../helpers/server.js';

const csv = 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n';
let s: TestServer | null = null;
afterEach(async () => {
  await s?.stop();
  s = null;
});

async function boot(env: Record<string, string>) {
  s = await bootServer({
    workerFile: FIXTURE_WORKER,
    env: { WATCHDOG_INTERVAL: '50ms', UPDATE_INTERVAL_MS: '50', ...env },
  });
  const c = await s.client();
  return { s, c, watch: new JobWatch(c) };
}

async function start(srv: TestServer, method: string, horizon = 50): Promise<string> {
  const up = await uploadJob(
    srv.url,
    { name: 'f.csv', content: csv },
    { method, forecast_horizon: horizon, forecast_site_codes: ['A'] },
  );
  expect(up.status).toBe(201);
  return up.body.id;
}

describe('watchdog', () => {
  it('flags a job that makes no progress as stalled, then silent, and pushes it live', async () => {
    const { s, watch } = await boot({ STALL_AFTER: '400ms', SILENT_AFTER: '900ms', JOB_TIMEOUT: '0' });
    const id = await start(s, 'fixture-hang');
    const stalled = await watch.until(id, (j) => j.flags.stalled, 10_000);
    expect(stalled.status).toBe('PROCESSING');
    expect(stalled.last_progress_at).not.toBeNull();
    expect(stalled.expected_seconds).toBeGreaterThan(0);
    const silent = await watch.until(id, (j) => j.flags.silent, 10_000);
    expect(silent.flags.stalled).toBe(true);
    const rest = await api<JobDto>(s.url, 'GET', `/api/jobs/${id}`);
    expect(rest.body.flags).toMatchObject({ stalled: true, silent: true });
    expect((await api<JobDto>(s.url, 'POST', `/api/jobs/${id}/stop`)).body.flags).toEqual({
      stalled: false,
      slow: false,
      silent: false,
    });
  });

  it('a job that keeps making progress is not stalled; one running past twice its expected time is slow', async () => {
    const { s, watch } = await boot({ STALL_AFTER: '400ms', JOB_TIMEOUT: '0' });
    const id = await start(s, 'fixture-slow', 60); // ~6 s, progress every 100 ms; expected ~2 s on an empty history
    const slow = await watch.until(id, (j) => j.flags.slow, 15_000);
    expect(slow.flags.stalled).toBe(false);
    expect(slow.expected_seconds).toBeLessThan(3);
    expect((await watch.until(id, (j) => j.status === 'COMPLETED', 15_000)).flags.slow).toBe(false);
  });

  it('JOB_TIMEOUT fails a job whose thread never returns, terminates it and frees the pool', async () => {
    const { s, c, watch } = await boot({ JOB_TIMEOUT: '1s' });
    const id = await start(s, 'fixture-hang');
    const failed = await watch.until(id, (j) => j.status === 'FAILED', 10_000);
    expect(failed.error_message).toBe('Timed out after 1 s (JOB_TIMEOUT); the job was stopped.');
    expect(failed.completed_at).not.toBeNull();
    for (let i = 0; i < 100 && s.pool.stats().busy > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.pool.stats().busy).toBe(0);
    // The partial output is removed as the run unwinds, just after the FAILED push.
    await expect.poll(() => filesIn(s.storage, 'tmp'), { timeout: 2_000 }).toEqual([]);
    // The pool takes the next job at once.
    const next = await start(s, 'fixture-slow', 2);
    expect((await watch.until(next, (j) => j.status === 'COMPLETED')).has_output).toBe(true);
    void c;
  });

  it('RETENTION_DAYS removes finished jobs older than the limit, with their files', async () => {
    const { s, c, watch } = await boot({ RETENTION_DAYS: '7' });
    const oldId = await start(s, 'fixture-slow', 1);
    const newId = await start(s, 'fixture-slow', 1);
    await watch.until(oldId, (j) => j.status === 'COMPLETED');
    await watch.until(newId, (j) => j.status === 'COMPLETED');
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    await s.db.Job.update({ completed_at: eightDaysAgo }, { where: { id: oldId } });
    const gone = waitFor(c, 'job:deleted', (x) => x.id === oldId);
    expect(await s.watchdog.sweep()).toBe(1);
    await gone;
    expect((await api(s.url, 'GET', `/api/jobs/${oldId}`)).status).toBe(404);
    expect((await api(s.url, 'GET', `/api/jobs/${newId}`)).status).toBe(200);
    expect(filesIn(s.storage, 'uploads').some((f) => f.startsWith(oldId))).toBe(false);
    // the old job's forecast and plan are gone; the new job keeps its own
    const outputs = filesIn(s.storage, 'outputs');
    expect(outputs.some((f) => f.startsWith(oldId))).toBe(false);
    expect(outputs).toEqual(expect.arrayContaining([`${newId}.csv`, `${newId}.plan.csv`]));
  });
});
