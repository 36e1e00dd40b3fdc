import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../../server/contract/dto.js';
import { jobConfigSchema } from '../../../server/contract/schemas.js';
import { EMPTY_PARTITIONS } from '../../../server/jobs/job.js';
import { openDatabase, type Database } from '../../../server/db/database.js';
import { JobRepo } from '../../../server/jobs/job.repo.js';
import { reconcile } from '../../../server/jobs/reconcile.js';
import { createLogger } from '../../../server/logger.js';
import { ensureStorage, storagePaths } from '../../../server/storage/paths.js';
import { pruneQuarantine, stampOf } from '../../../server/storage/quarantine.js';
import { filesIn, tempStorage } from '../../helpers/server.js';

const logger = createLogger({ LOG_LEVEL: 'silent', LOG_PRETTY: false });
let db: Database | null = null;
let dir = '';
afterEach(async () => {
  await db?.close();
  db = null;
  rmSync(dir, { recursive: true, force: true });
});

function row(id: string, status: JobStatus, attempts: number, output: string | null = null) {
  return {
    id,
    filename: `${id}.csv`,
    name: null,
    upload_name: `${id}.csv`,
    file_size: 1,
    output_name: output,
    parts: null,
    plan_name: null,
    actuals: null,
    actuals_job: null,
    status,
    progress: 40,
    stopped_progress: null,
    stage: 'x',
    error_message: null,
    config: jobConfigSchema.parse({}),
    partitions: { ...EMPTY_PARTITIONS },
    rows: null,
    metrics: null,
    log: [],
    attempts,
    created_at: new Date().toISOString(),
    started_at: null,
    completed_at: null,
    owner: null,
  };
}

describe('reconcile at boot', () => {
  it('requeues once, then fails; keeps referenced files, quarantines strays, empties tmp/', async () => {
    dir = tempStorage();
    const paths = storagePaths(dir);
    await ensureStorage(paths);
    db = await openDatabase(paths.db);
    const repo = new JobRepo(db);
    await repo.insert(row('q1', 'QUEUED', 0));
    await repo.insert(row('p1', 'PROCESSING', 1));
    await repo.insert(row('p2', 'PROCESSING', 2));
    await repo.insert(row('c1', 'COMPLETED', 1, 'c1.csv'));
    await repo.insert(row('lost', 'QUEUED', 0));
    for (const id of ['q1', 'p1', 'p2', 'c1', 'stray']) writeFileSync(paths.upload(`${id}.csv`), 'x');
    writeFileSync(paths.output('c1.csv'), 'x');
    writeFileSync(paths.output('p1.csv'), 'half-written');
    mkdirSync(paths.tmp, { recursive: true });
    writeFileSync(path.join(paths.tmp, 'a.part'), 'x');

    const report = await reconcile(repo, paths, logger);
    expect(report.requeued).toEqual(['q1', 'p1']);
    expect(report.failed.sort()).toEqual(['lost', 'p2']);
    expect((await repo.find('p1'))?.status).toBe('QUEUED');
    expect((await repo.find('p2'))?.error_message).toMatch(/^Not started again: the server stopped twice/);
    expect((await repo.find('p2'))?.stage).toBe('failed: CRASHED_TWICE');
    expect((await repo.find('lost'))?.error_message).toMatch(/missing/);
    expect(filesIn(dir, 'uploads').sort()).toEqual(['c1.csv', 'p1.csv', 'p2.csv', 'q1.csv']);
    expect(filesIn(dir, 'outputs')).toEqual(['c1.csv']);
    expect(filesIn(dir, 'tmp')).toEqual([]);
    // Strays are moved, not deleted: quarantine/<time>/uploads|outputs/<name>, with their bytes.
    expect(report.quarantined.sort()).toEqual(['outputs/p1.csv', 'uploads/stray.csv']);
    const [stamp, ...more] = readdirSync(paths.quarantine);
    expect(more).toEqual([]);
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    expect(readFileSync(path.join(paths.quarantine, stamp, 'outputs', 'p1.csv'), 'utf8')).toBe('half-written');
    expect(readFileSync(path.join(paths.quarantine, stamp, 'uploads', 'stray.csv'), 'utf8')).toBe('x');
    expect(report.removedFiles).toBe(1);
  });

  it("keeps a job's parts file and inventory plan; fails a queued job whose parts file vanished", async () => {
    dir = tempStorage();
    const paths = storagePaths(dir);
    await ensureStorage(paths);
    db = await openDatabase(paths.db);
    const repo = new JobRepo(db);
    const parts = (id: string) => ({ name: `${id}.parts.csv`, filename: 'parts.csv', size: 1 });
    await repo.insert({ ...row('c1', 'COMPLETED', 1, 'c1.csv'), parts: parts('c1'), plan_name: 'c1.plan.csv' });
    await repo.insert({ ...row('x1', 'CANCELLED', 1), parts: parts('x1') });
    await repo.insert({ ...row('q1', 'QUEUED', 0), parts: parts('q1') });
    for (const n of ['c1.csv', 'c1.parts.csv', 'x1.csv', 'x1.parts.csv', 'q1.csv', 'z.parts.csv'])
      writeFileSync(paths.upload(n), 'x');
    for (const n of ['c1.csv', 'c1.plan.csv', 'x1.plan.csv']) writeFileSync(paths.output(n), 'x');
    const report = await reconcile(repo, paths, logger);
    expect(filesIn(dir, 'uploads').sort()).toEqual(['c1.csv', 'c1.parts.csv', 'q1.csv', 'x1.csv', 'x1.parts.csv']);
    expect(filesIn(dir, 'outputs').sort()).toEqual(['c1.csv', 'c1.plan.csv']);
    expect(report.quarantined.sort()).toEqual(['outputs/x1.plan.csv', 'uploads/z.parts.csv']);
    expect(report.failed).toEqual(['q1']);
    expect((await repo.find('q1'))?.error_message).toMatch(/parts file of this job is missing/);
  });

  it('quarantine folders older than QUARANTINE_DAYS are removed; newer ones and foreign folders stay', async () => {
    dir = tempStorage();
    const paths = storagePaths(dir);
    const now = Date.parse('2026-12-01T12:00:00.000Z');
    const day = 86_400_000;
    const old = stampOf(new Date(now - 31 * day));
    const recent = stampOf(new Date(now - 29 * day));
    for (const name of [old, recent, 'kept-by-hand']) {
      mkdirSync(path.join(paths.quarantine, name, 'uploads'), { recursive: true });
      writeFileSync(path.join(paths.quarantine, name, 'uploads', 'a.csv'), 'x');
    }
    expect(await pruneQuarantine(paths, 30, logger, now)).toBe(1);
    expect(readdirSync(paths.quarantine).sort()).toEqual([recent, 'kept-by-hand'].sort());
    expect(await pruneQuarantine(paths, 0, logger, now + 365 * day)).toBe(0); // 0 = kept forever
    expect(existsSync(path.join(paths.quarantine, recent))).toBe(true);
  });
});
