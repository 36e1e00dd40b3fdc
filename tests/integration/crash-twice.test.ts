/**
 * Issue 18: a job that ends the process (a file that exhausts the heap, say) is queued again once at the
 * next boot, since the crash may have had another cause; if the process ends again while the job runs,
 * the boot after that fails it with a readable reason instead of starting it a third time (a crash loop).
 * Real server processes on one storage folder, killed with SIGKILL mid-job, as in restart.test.ts.
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { HealthDto, JobDto } from '../../server/contract/dto.js';
import { demandFile } from '../helpers/data.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { api, filesIn, tempStorage, uploadJob } from '../helpers/server.js';

const storage = tempStorage();
const procs: ServerProcess[] = [];
afterAll(() => {
  for (const p of procs) p.child.kill('SIGKILL');
  rmSync(storage, { recursive: true, force: true });
});

async function until(url: string, id: string, pred: (j: JobDto) => boolean, ms = 60_000): Promise<JobDto> {
  const end = Date.now() + ms;
  for (;;) {
    const r = await api<JobDto>(url, 'GET', `/api/jobs/${id}`);
    if (r.status === 200 && pred(r.body)) return r.body;
    if (Date.now() > end) throw new Error(`job ${id} never matched; last: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

async function boot(): Promise<ServerProcess> {
  const p = await spawnServer(storage);
  procs.push(p);
  return p;
}

async function crash(p: ServerProcess): Promise<void> {
  p.child.kill('SIGKILL');
  expect((await p.exited).signal).toBe('SIGKILL');
}

describe('a job that ended the process twice', () => {
  it('is queued again after the first crash, and failed with CRASHED_TWICE after the second', async () => {
    const first = await boot();
    const big = readFileSync(await demandFile(10));
    const up = await uploadJob(first.url, { name: 'big.csv', content: big }, { forecast_horizon: 30 });
    expect(up.status).toBe(201);
    const id = up.body.id;
    await until(first.url, id, (j) => j.status === 'PROCESSING' && j.progress >= 5);
    await crash(first);

    // Boot 2: started once, so queued again and started a second time.
    const second = await boot();
    await until(second.url, id, (j) => j.status === 'PROCESSING' && j.progress >= 5);
    await crash(second);

    // Boot 3: started twice, ended the process twice: FAILED at boot, never PROCESSING again.
    const third = await boot();
    const job = (await api<JobDto>(third.url, 'GET', `/api/jobs/${id}`)).body;
    expect(job.status).toBe('FAILED');
    expect(job.error_message).toMatch(/^Not started again: the server stopped twice while running this job/);
    expect(job.stage).toBe('failed: CRASHED_TWICE');
    expect(job.stage_info).toEqual({ code: 'failed', error: 'CRASHED_TWICE' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await api<JobDto>(third.url, 'GET', `/api/jobs/${id}`)).body.status).toBe('FAILED');
    // its upload is kept (a rerun can use it after a look at the file); the server is up
    expect(filesIn(storage, 'uploads')).toContain(`${id}.csv`);
    const health = await api<HealthDto>(third.url, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(third.output()).toMatch(/reconciled storage after restart/);

    third.child.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);
  }, 150_000);

  it('a clean shutdown gives the start back: SIGTERM twice mid-job never fails it', async () => {
    const first = await boot();
    const big = readFileSync(await demandFile(10));
    const up = await uploadJob(first.url, { name: 'big2.csv', content: big }, { forecast_horizon: 30 });
    const id = up.body.id;
    for (let i = 0; i < 2; i++) {
      const p = i === 0 ? first : await boot();
      await until(p.url, id, (j) => j.status === 'PROCESSING' && j.progress >= 5);
      p.child.kill('SIGTERM');
      expect((await p.exited).code).toBe(0);
    }
    const last = await boot();
    const done = await until(last.url, id, (j) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status), 90_000);
    expect(done.status).toBe('COMPLETED');
    last.child.kill('SIGTERM');
    await last.exited;
  }, 200_000);
});
