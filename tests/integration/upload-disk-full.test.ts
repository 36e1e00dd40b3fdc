/**
 * While /api/health says DISK_FULL, what makes a new job (upload, preview, sample, rerun) is refused up
 * front with 507 DISK_FULL: a small upload that still fitted used to be accepted (201) and its job lost.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthDto } from '../../server/contract/dto.js';
import { MIN_FREE_BYTES } from '../../server/http/storage-health.js';
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

type Err = { error: { code: string; message: string } };

describe('uploads on a full disk', () => {
  // Needs root to mount a small tmpfs (CI and the dev machines run as root).
  it.runIf(process.getuid?.() === 0)(
    'are refused with 507 DISK_FULL while health says so, even when the file would still fit',
    async () => {
      mounted = path.join(os.tmpdir(), `sparecast-gate-${process.pid}`);
      mkdirSync(mounted, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mounted]);
      s = await bootServer({ storage: mounted });
      const watch = new JobWatch(await s.client());
      const done = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 7 });
      expect((await watch.until(done.body.id, (x) => x.status === 'COMPLETED', 30_000)).status).toBe('COMPLETED');

      // Leave less than MIN_FREE_BYTES but more than the sample: the file itself would still fit.
      const st = statfsSync(mounted);
      const keep = Math.round(MIN_FREE_BYTES * 0.8);
      expect(keep).toBeGreaterThan(sample.length);
      writeFileSync(path.join(mounted, 'filler'), Buffer.alloc(st.bavail * st.bsize - keep));
      await new Promise((r) => setTimeout(r, 1100)); // health's one-second cache
      const health = await api<HealthDto>(s.url, 'GET', '/api/health');
      expect(health.status).toBe(503);
      expect(health.body.problem?.code).toBe('DISK_FULL');

      const refused = async (res: Response | { status: number; body: unknown }) => {
        const body = (res instanceof Response ? await res.json() : res.body) as Err;
        expect(res.status, JSON.stringify(body)).toBe(507);
        expect(body.error.code).toBe('DISK_FULL');
        expect(body.error.message).toMatch(/disk is full/);
      };
      await refused(await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 7 }));
      const form = new FormData();
      form.append('file', new Blob([sample]), 'sample.csv');
      await refused(await fetch(`${s.url}/api/preview`, { method: 'POST', body: form }));
      await refused(await api(s.url, 'POST', '/api/sample', {}));
      await refused(await api(s.url, 'POST', `/api/jobs/${done.body.id}/rerun`, {}));
      // Stop and the rest are not new jobs: never refused for the disk.
      expect((await api(s.url, 'POST', `/api/jobs/${done.body.id}/stop`)).status).not.toBe(507);
      expect((await api(s.url, 'GET', '/api/jobs')).status).toBe(200);
      // an upload's own temp files (jobs still running may hold theirs, e.g. the series index being built)
      expect(filesIn(mounted, 'tmp').filter((f) => /^(upload|parts)-/.test(f))).toEqual([]);
      expect(filesIn(mounted, 'uploads')).toHaveLength(1);

      // Space freed: uploads are taken again once health sees it.
      rmSync(path.join(mounted, 'filler'));
      await new Promise((r) => setTimeout(r, 1100));
      const again = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 7 });
      expect(again.status).toBe(201);
    },
  );
});
