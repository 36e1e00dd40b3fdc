import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jobConfigSchema } from '../../../server/contract/schemas.js';
import { openDatabase } from '../../../server/db/database.js';
import { toDto } from '../../../server/jobs/job.dto.js';
import { JobEvents } from '../../../server/jobs/job.events.js';
import { EMPTY_PARTITIONS } from '../../../server/jobs/job.js';
import { JobRepo } from '../../../server/jobs/job.repo.js';
import { LiveJobs } from '../../../server/jobs/live-jobs.js';
import { ensureStorage, storagePaths } from '../../../server/storage/paths.js';
import { tempStorage } from '../../helpers/server.js';

describe('live progress writes', () => {
  it('a failed write is reported, not left as an unhandled rejection', async () => {
    const dir = tempStorage();
    const paths = storagePaths(dir);
    await ensureStorage(paths);
    const db = await openDatabase(paths.db);
    const repo = new JobRepo(db);
    const row = await repo.insert({
      id: 'j1',
      filename: 'a.csv',
      name: null,
      upload_name: 'j1.csv',
      file_size: 1,
      output_name: null,
      parts: null,
      plan_name: null,
      actuals: null,
      actuals_job: null,
      status: 'PROCESSING',
      progress: 0,
      stopped_progress: null,
      stage: 'x',
      error_message: null,
      config: jobConfigSchema.parse({}),
      partitions: { ...EMPTY_PARTITIONS },
      rows: null,
      metrics: null,
      log: [],
      attempts: 1,
      created_at: new Date().toISOString(),
      started_at: new Date().toISOString(),
      completed_at: null,
      owner: null,
    });
    await db.close(); // every write from here on fails, as on a full disk
    const failures: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const live = new LiveJobs(
        repo,
        new JobEvents(),
        { progressIntervalMs: 10, updateIntervalMs: 10 },
        () => [],
        (_err, id) => failures.push(id),
      );
      live.start('j1', row, (r) => toDto(r, null), null);
      live.setFlags('j1', { stalled: true, slow: false, silent: false });
      await new Promise((r) => setTimeout(r, 100));
      expect(failures).toContain('j1');
      expect(unhandled).toEqual([]);
      live.end('j1');
    } finally {
      process.off('unhandledRejection', onUnhandled);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
