/**
 * Disk full and unwritable storage: a clear message, the job FAILED, nothing half-written, nothing corrupt.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthDto, JobDto } from '../../server/contract/dto.js';
import { api, bootServer, filesIn, JobWatch, uploadJob, type TestServer } from '../helpers/server.js';

const sample = readFileSync(new URL('../../server/assets/sample-demand.csv', import.meta.url));
let s: TestServer | null = null;
let mounted: string | null = null;
afterEach(async () => {
  await s?.stop({ keepStorage: !!mounted });
  s = null;
  if (mounted) {
    execFileSync('umount', [mounted]);
    rmSync(mounted, { recursive: true, force: true });
    mounted = null;
  }
});

describe('storage failures', () => {
  it('an unwritable outputs folder fails the job with a readable reason and leaves no partial file', async () => {
    s = await bootServer();
    const watch = new JobWatch(await s.client());
    // Replace outputs/ by a plain file: the final rename cannot succeed (root ignores permission bits).
    rmSync(path.join(s.storage, 'outputs'), { recursive: true });
    writeFileSync(path.join(s.storage, 'outputs'), 'not a folder');
    const up = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 7 });
    const j = await watch.until(up.body.id, (x) => ['COMPLETED', 'FAILED'].includes(x.status), 30_000);
    expect(j.status).toBe('FAILED');
    expect(j.error_message).toMatch(/cannot write to its storage folder/);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
    // …and the health check says so, naming the folder.
    const health = await api<HealthDto>(s.url, 'GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.body.ok).toBe(false);
    expect(health.body.problem?.code).toBe('STORAGE_UNWRITABLE');
    expect(health.body.problem?.message).toContain(path.join(s.storage, 'outputs'));
    // Mended: healthy again once the one-second cache has passed.
    rmSync(path.join(s.storage, 'outputs'));
    mkdirSync(path.join(s.storage, 'outputs'));
    await new Promise((r) => setTimeout(r, 1100));
    expect(await api<HealthDto>(s.url, 'GET', '/api/health')).toMatchObject({ status: 200, body: { ok: true } });
  });

  it.runIf(process.getuid?.() === 0)(
    'health reports a full disk and a read-only mount; a rerun on a full disk says the disk is full',
    async () => {
      mounted = path.join(os.tmpdir(), `sparecast-health-${process.pid}`);
      mkdirSync(mounted, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mounted]);
      s = await bootServer({ storage: mounted });
      const watch = new JobWatch(await s.client());
      const up = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 7 });
      expect((await watch.until(up.body.id, (x) => x.status === 'COMPLETED', 30_000)).status).toBe('COMPLETED');
      expect((await api<HealthDto>(s.url, 'GET', '/api/health')).body.ok).toBe(true);

      try {
        writeFileSync(path.join(mounted, 'filler'), Buffer.alloc(16 * 1024 * 1024));
      } catch {
        /* ENOSPC: the disk is now full */
      }
      const rerun = await api<{ error: { code: string; message: string } }>(
        s.url,
        'POST',
        `/api/jobs/${up.body.id}/rerun`,
        {},
      );
      expect(rerun.status).toBe(507);
      expect(rerun.body.error.code).toBe('DISK_FULL');
      expect(rerun.body.error.message).toMatch(/disk is full/);
      expect(filesIn(mounted, 'tmp')).toEqual([]);
      await new Promise((r) => setTimeout(r, 1100));
      const full = await api<HealthDto>(s.url, 'GET', '/api/health');
      expect(full.status).toBe(503);
      expect(full.body.problem?.code).toBe('DISK_FULL');

      rmSync(path.join(mounted, 'filler'));
      // A read-only mount (EROFS holds for root too): uploads/ bound read-only onto itself.
      const uploads = path.join(mounted, 'uploads');
      execFileSync('mount', ['--bind', uploads, uploads]);
      try {
        execFileSync('mount', ['-o', 'remount,bind,ro', uploads]);
        await new Promise((r) => setTimeout(r, 1100));
        const ro = await api<HealthDto>(s.url, 'GET', '/api/health');
        expect(ro.status).toBe(503);
        expect(ro.body.problem?.code).toBe('STORAGE_UNWRITABLE');
        expect(ro.body.problem?.message).toContain(`${uploads} cannot be written (EROFS)`);
      } finally {
        execFileSync('umount', [uploads]);
      }
      await new Promise((r) => setTimeout(r, 1100));
      expect((await api<HealthDto>(s.url, 'GET', '/api/health')).body.ok).toBe(true);
    },
  );

  // A nearly full disk makes write(2) write only part of the plan and report it: the old writer took that
  // for done and renamed a truncated plan over the good one (1,716 lines → 753, rows and XLSX then 500).
  it.runIf(process.getuid?.() === 0)(
    'a re-plan on a nearly full disk answers 507 and leaves the old plan whole',
    async () => {
      mounted = path.join(os.tmpdir(), `sparecast-replan-${process.pid}`);
      mkdirSync(mounted, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mounted]);
      s = await bootServer({ storage: mounted });
      const watch = new JobWatch(await s.client());
      const up = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 7 });
      expect((await watch.until(up.body.id, (x) => x.status === 'COMPLETED', 30_000)).status).toBe('COMPLETED');
      const outputs = path.join(mounted, 'outputs');
      const planFile = path.join(outputs, `${up.body.id}.plan.csv`);
      // the series index is built in the background after the run: let it land before the disk fills
      const deadline = Date.now() + 30_000;
      while (!filesIn(mounted, 'outputs').includes(`${up.body.id}.csv.idx`) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const before = readFileSync(planFile);
      const rowsBefore = await api<{ rows: unknown[] }>(s.url, 'GET', `/api/jobs/${up.body.id}/inventory/rows`);
      expect(rowsBefore.status).toBe(200);

      // Room for about half the plan: a reserve file, the rest filled, then the reserve removed.
      const reserve = path.join(mounted, 'reserve');
      writeFileSync(reserve, Buffer.alloc(Math.floor(before.length / 2)));
      try {
        writeFileSync(path.join(mounted, 'filler'), Buffer.alloc(32 * 1024 * 1024));
      } catch {
        /* ENOSPC: the disk is now full */
      }
      rmSync(reserve);
      const res = await api<{ error: { code: string; message: string } }>(
        s.url,
        'POST',
        `/api/jobs/${up.body.id}/inventory/plan`,
        { service_level: 0.99 },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(507);
      expect(res.body.error.code).toBe('DISK_FULL');
      expect(res.body.error.message).toMatch(/disk is full/);
      expect(res.body.error.message).not.toContain(mounted);
      expect(readFileSync(planFile).equals(before)).toBe(true);
      expect(filesIn(mounted, 'tmp')).toEqual([]);

      rmSync(path.join(mounted, 'filler'));
      const rowsAfter = await api<{ rows: unknown[] }>(s.url, 'GET', `/api/jobs/${up.body.id}/inventory/rows`);
      expect(rowsAfter.status).toBe(200);
      expect(rowsAfter.body).toEqual(rowsBefore.body);
      const job = await api<JobDto>(s.url, 'GET', `/api/jobs/${up.body.id}`);
      expect(job.body.config.service_level).not.toBe(0.99);
    },
  );

  // Needs root to mount a small tmpfs (CI and the dev machines run as root).
  it.runIf(process.getuid?.() === 0)(
    'a full disk fails the job with "disk is full", rejects uploads with 507, and the DB stays sound',
    async () => {
      mounted = path.join(os.tmpdir(), `sparecast-full-${process.pid}`);
      mkdirSync(mounted, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1600k', 'tmpfs', mounted]);
      s = await bootServer({ storage: mounted });
      const watch = new JobWatch(await s.client());
      const up = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 60 });
      expect(up.status).toBe(201);
      const j = await watch.until(up.body.id, (x) => ['COMPLETED', 'FAILED'].includes(x.status), 30_000);
      expect(j.status).toBe('FAILED');
      expect(j.error_message).toMatch(/disk is full/);
      expect(filesIn(mounted, 'tmp')).toEqual([]);
      expect(filesIn(mounted, 'outputs')).toEqual([]);

      // Fill what is left: the next upload gets a clear 507 and leaves nothing behind.
      try {
        writeFileSync(path.join(mounted, 'filler'), Buffer.alloc(4 * 1024 * 1024));
      } catch {
        /* ENOSPC: the disk is now full */
      }
      const second = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 7 });
      expect(second.status).toBe(507);
      expect(second.body.error?.code).toBe('DISK_FULL');
      expect(filesIn(mounted, 'tmp')).toEqual([]);
      rmSync(path.join(mounted, 'filler'));
      const row = await api<JobDto>(s.url, 'GET', `/api/jobs/${up.body.id}`);
      expect(row.body.status).toBe('FAILED');
      const check = (await s.db.sequelize.query('PRAGMA integrity_check', { plain: true })) as Record<string, string>;
      expect(Object.values(check)[0]).toBe('ok');
    },
  );
});
