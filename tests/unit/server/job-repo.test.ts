import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobConfigSchema, JOB_STATUSES, type JobStatus } from '../../../server/contract/schemas.js';
import { ACTIVE_STATUSES, FINAL_STATUSES, isFinal, isStoppable } from '../../../server/contract/status.js';
import { openDatabase, type Database } from '../../../server/db/database.js';
import { EMPTY_PARTITIONS, type NewJobRecord } from '../../../server/jobs/job.js';
import { JobRepo, toJob } from '../../../server/jobs/job.repo.js';
import { canTransition, predecessors } from '../../../server/jobs/job.state.js';
import { ensureStorage, storagePaths } from '../../../server/storage/paths.js';
import { tempStorage } from '../../helpers/server.js';

let db: Database;
let dir = '';
let repo: JobRepo;

beforeEach(async () => {
  dir = tempStorage();
  const paths = storagePaths(dir);
  await ensureStorage(paths);
  db = await openDatabase(paths.db);
  repo = new JobRepo(db);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

function record(id: string, status: JobStatus, over: Partial<NewJobRecord> = {}): NewJobRecord {
  return {
    id,
    filename: `${id}.csv`,
    name: null,
    upload_name: `${id}.csv`,
    file_size: 10,
    output_name: null,
    parts: null,
    plan_name: null,
    actuals: null,
    actuals_job: null,
    status,
    progress: 0,
    stopped_progress: null,
    stage: 'queued',
    error_message: null,
    config: jobConfigSchema.parse({ forecast_horizon: 7, forecast_site_codes: 'JKT,SBY' }),
    partitions: { ...EMPTY_PARTITIONS },
    rows: null,
    metrics: null,
    log: [],
    attempts: 0,
    created_at: new Date().toISOString(),
    started_at: null,
    completed_at: null,
    owner: null,
    ...over,
  };
}

describe('the job lifecycle', () => {
  it('derives the final and active sets from the transition table', () => {
    for (const s of JOB_STATUSES) {
      const leaves = JOB_STATUSES.some((to) => canTransition(s, to));
      expect(isFinal(s), s).toBe(!leaves);
    }
    expect([...FINAL_STATUSES]).toEqual(['COMPLETED', 'FAILED', 'CANCELLED']);
    expect([...ACTIVE_STATUSES]).toEqual(['QUEUED', 'PROCESSING']);
    expect(JOB_STATUSES.filter(isStoppable)).toEqual(['QUEUED', 'PROCESSING']);
    expect(predecessors('COMPLETED')).toEqual(['PROCESSING']);
    expect(predecessors('QUEUED')).toEqual(['PROCESSING']);
  });
});

describe('JobRepo', () => {
  it('answers with domain jobs: config parsed and validated, owner as one value', async () => {
    const owner = { id: 'u1', username: 'pat' };
    const log = [{ t: '2026-01-01T00:00:00.000Z', level: 'info' as const, msg: 'Queued' }];
    const inserted = await repo.insert(record('a', 'QUEUED', { owner, log }));
    expect(inserted.seq).toBe(1);
    const found = await repo.find('a');
    expect(found).toEqual(inserted);
    expect(found?.config).toMatchObject({ forecast_horizon: 7, forecast_site_codes: ['JKT', 'SBY'], method: 'auto' });
    expect(found?.owner).toEqual(owner);
    expect(found?.log).toEqual(log);
    expect(found?.partitions).toEqual(EMPTY_PARTITIONS);
    expect((await repo.insert(record('b', 'QUEUED'))).seq).toBe(2);
    const page = await repo.list({ status: ['QUEUED'], q: '', page: 1, page_size: 10, sort: 'created_asc' });
    expect(page.total).toBe(2);
    expect(page.jobs.map((j) => j.id)).toEqual(['a', 'b']);
  });

  it('refuses a row whose stored config does not pass the schema', () => {
    const row = { ...record('x', 'QUEUED'), seq: 1, config: '{"forecast_horizon":0}' };
    const { parts: _parts, ...rest } = row;
    const files = {
      parts_name: null,
      parts_filename: null,
      parts_size: null,
      plan_name: null,
      actuals_name: null,
      actuals_filename: null,
      actuals_size: null,
      actuals_at: null,
      actuals_job: null,
    };
    const stored = {
      ...rest,
      ...files,
      partitions: '{}',
      metrics: null,
      log: '[]',
      created_by: null,
      created_by_name: null,
    };
    expect(() => toJob(stored)).toThrow(/job x: stored config is invalid/);
  });

  it('applies canTransition as the compare-and-set, for every pair of statuses', async () => {
    let n = 0;
    for (const from of JOB_STATUSES) {
      for (const to of JOB_STATUSES) {
        const id = `j${n++}`;
        await repo.insert(record(id, from));
        const moved = await repo.transition(id, to, { stage: 'moved' });
        expect(moved !== null, `${from} → ${to}`).toBe(canTransition(from, to));
        expect((await repo.find(id))?.status).toBe(moved ? to : from);
        if (moved) expect(moved.stage).toBe('moved');
      }
    }
  });

  it('narrows the allowed sources with `from`, and a second final transition loses', async () => {
    await repo.insert(record('q', 'QUEUED'));
    expect(await repo.transition('q', 'FAILED', {}, ['PROCESSING'])).toBeNull();
    await repo.insert(record('p', 'PROCESSING'));
    const partitions = { total: 2, completed: 2, skipped: 0, failed: 0 };
    const done = await repo.transition('p', 'COMPLETED', { partitions });
    expect(done?.partitions.completed).toBe(2);
    expect(await repo.transition('p', 'CANCELLED')).toBeNull();
    expect(await repo.transition('missing', 'CANCELLED')).toBeNull();
  });

  it('patches only a running job and deletes only a finished one', async () => {
    await repo.insert(record('p', 'PROCESSING'));
    await repo.insert(record('c', 'COMPLETED'));
    expect(await repo.patchWhile('p', 'PROCESSING', { progress: 40 })).toBe(true);
    expect(await repo.patchWhile('c', 'PROCESSING', { progress: 40 })).toBe(false);
    expect((await repo.find('p'))?.progress).toBe(40);
    expect(await repo.removeFinished('p')).toBe(false);
    expect(await repo.removeFinished('c')).toBe(true);
    expect(await repo.find('c')).toBeNull();
  });
});

describe('searching file names', () => {
  const names = async (q: string) =>
    (await repo.list({ status: [], q, page: 1, page_size: 50, sort: 'created_desc' })).jobs.map((j) => j.filename);
  it('matches % and _ literally, case-insensitively', async () => {
    for (const [id, filename] of [
      ['a', 'Promo 50% Jan.csv'],
      ['b', 'promo 500 feb.csv'],
      ['c', 'north_site.csv'],
      ['d', 'northXsite.csv'],
    ])
      await repo.insert(record(id, 'COMPLETED', { filename }));
    expect(await names('50%')).toEqual(['Promo 50% Jan.csv']);
    expect(await names('h_s')).toEqual(['north_site.csv']);
    expect(await names('PROMO')).toEqual(['promo 500 feb.csv', 'Promo 50% Jan.csv']);
    expect(await names('%')).toEqual(['Promo 50% Jan.csv']);
  });
});
