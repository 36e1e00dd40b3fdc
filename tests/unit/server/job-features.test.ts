/**
 * The service tells each registered JobFeature of a deleted job exactly once (a delete, a force delete of a
 * running job, the retention sweep; never again on a second delete) and of shutdown exactly once: counting
 * features in place of the results, around a real service (real SQLite, real threads on the fixture engine).
 * And no other path to a feature's forget (a `deleted` listener once made the series index forget twice).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobStatus } from '../../../server/contract/schemas.js';
import { jobConfigSchema } from '../../../server/contract/schemas.js';
import { openDatabase, type Database } from '../../../server/db/database.js';
import type { Job } from '../../../server/jobs/job.js';
import type { JobFeature } from '../../../server/jobs/job-feature.js';
import { JobRepo } from '../../../server/jobs/job.repo.js';
import { JobRunner } from '../../../server/jobs/job.runner.js';
import { JobService } from '../../../server/jobs/job.service.js';
import { WorkerPool } from '../../../server/jobs/worker-pool.js';
import { createLogger } from '../../../server/logger.js';
import { ensureStorage, storagePaths, type StoragePaths } from '../../../server/storage/paths.js';
import { FIXTURE_WORKER, tempStorage } from '../../helpers/server.js';

/** Counts what the service tells it; its forget resolves a moment later, as a real one waiting for work. */
class CountingFeature implements JobFeature {
  readonly forgot: string[] = [];
  readonly done: string[] = [];
  closed = 0;
  async forget(id: string): Promise<void> {
    this.forgot.push(id);
    await new Promise((r) => setTimeout(r, 5));
  }
  close(): void {
    this.closed++;
  }
  completed(job: Job): void {
    this.done.push(job.id);
  }
}

let dir = '';
let paths: StoragePaths;
let db: Database;
let pool: WorkerPool;
let jobs: JobService;
let features: CountingFeature[];

beforeEach(async () => {
  dir = tempStorage();
  paths = storagePaths(dir);
  await ensureStorage(paths);
  db = await openDatabase(paths.db);
  pool = new WorkerPool({ threads: 2, workerFile: FIXTURE_WORKER });
  features = [new CountingFeature(), new CountingFeature()];
  jobs = new JobService(
    new JobRepo(db),
    new JobRunner(pool, 100),
    paths,
    createLogger({ LOG_LEVEL: 'silent', LOG_PRETTY: false }),
    { concurrency: 2, progressIntervalMs: 50, updateIntervalMs: 50, maxQueuedPerUser: 10, maxQueued: 10 },
    () => features,
  );
});
afterEach(async () => {
  await jobs.shutdown();
  await pool.destroy();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A job on the fixture engine: `fixture-slow` spins `steps` × 100 ms, `fixture-hang` never returns. */
async function start(method: 'fixture-slow' | 'fixture-hang', steps = 1): Promise<string> {
  const tmpPath = paths.tmpFile('upload');
  writeFileSync(tmpPath, 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,A\n');
  const config = jobConfigSchema.parse({ method, forecast_horizon: steps, forecast_site_codes: ['A'] });
  const dto = await jobs.intake.create({ tmpPath, originalName: 'f.csv', size: 50, config });
  return dto.id;
}

async function until(id: string, status: JobStatus): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await jobs.find(id)).status !== status) {
    if (Date.now() > deadline) throw new Error(`job ${id} never reached ${status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('JobService and its registered features', () => {
  it('a deleted job is forgotten once by each feature, however it is deleted, and never twice', async () => {
    const done = await start('fixture-slow');
    await until(done, 'COMPLETED');
    // the features hear of it just after the row says COMPLETED (seen under load: polled in between)
    await vi.waitFor(() => {
      for (const f of features) expect(f.done).toEqual([done]);
    });

    await jobs.remove(done, false);
    for (const f of features) expect(f.forgot).toEqual([done]);
    // a second delete finds no job and tells no feature again
    await expect(jobs.remove(done, false)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    for (const f of features) expect(f.forgot).toEqual([done]);

    const running = await start('fixture-hang');
    await until(running, 'PROCESSING');
    await jobs.remove(running, true);
    for (const f of features) expect(f.forgot).toEqual([done, running]);

    const old = await start('fixture-slow');
    await until(old, 'COMPLETED');
    expect(await jobs.removeFinishedBefore(new Date(Date.now() + 60_000).toISOString())).toBe(1);
    for (const f of features) expect(f.forgot).toEqual([done, running, old]);
    for (const f of features) expect(f.closed).toBe(0);
  });

  it('shutdown closes each feature once, forgets nothing, and gives a running job back to the queue', async () => {
    const running = await start('fixture-hang');
    await until(running, 'PROCESSING');
    await jobs.shutdown();
    for (const f of features) expect([f.closed, f.forgot]).toEqual([1, []]);
    const row = await jobs.find(running);
    expect([row.status, row.attempts]).toEqual(['QUEUED', 0]);
    // no new job is taken after it
    await expect(start('fixture-slow')).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
  });

  it('only the service tells a feature to forget (a feature may forget its own work in close)', () => {
    const server = fileURLToPath(new URL('../../../server', import.meta.url));
    const callers = (readdirSync(server, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && /(?<!this)\.forget\(/.test(readFileSync(path.join(server, f), 'utf8')))
      .map((f) => f.split(path.sep).join('/'));
    expect(callers).toEqual(['jobs/job.service.ts']);
  });
});
