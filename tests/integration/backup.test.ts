/**
 * `npm run backup` while a job runs, `npm run restore` into a fresh folder, and a server started on it:
 * the same users, jobs and downloads; the job that was running is requeued (or failed with a reason).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { setupAdmin, signIn, type Session } from '../helpers/auth.js';
import { demandFile } from '../helpers/data.js';
import { bootServer, tempStorage } from '../helpers/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLE = path.join(ROOT, 'server/assets/sample-demand.csv');
const scratch = tempStorage();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'server/cli/backup.ts'), ...args],
      { cwd: ROOT, encoding: 'utf8' },
    );
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

async function upload(s: Session, file: string, name: string): Promise<JobDto> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)]), name);
  form.append('config', JSON.stringify({ forecast_horizon: 14 }));
  const res = await s.fetch('/api/jobs', { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return (await res.json()) as JobDto;
}

async function until(s: Session, id: string, pred: (j: JobDto) => boolean, ms = 60_000): Promise<JobDto> {
  const end = Date.now() + ms;
  for (;;) {
    const j = (await s.json<JobDto>('GET', `/api/jobs/${id}`)).body;
    if (pred(j)) return j;
    if (Date.now() > end) throw new Error(`job ${id} stayed ${j.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const final = (j: JobDto) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status);

describe('backup and restore', () => {
  it('backs up a running server, restores into an empty folder, and serves the same data', async () => {
    const a = await bootServer({ env: { AUTH: 'on' } });
    const admin = await setupAdmin(a.url, a.setupUrl!, 'admin', 'admin-pass-1');
    const done = await until(admin, (await upload(admin, SAMPLE, 'sample.csv')).id, final);
    expect(done.status).toBe('COMPLETED');
    const csv = await (await admin.fetch(`/api/jobs/${done.id}/download`)).text();
    const running = await upload(admin, await demandFile(10), 'big.csv');
    await until(admin, running.id, (j) => j.status === 'PROCESSING');

    const out = path.join(scratch, 'backup');
    const b = await cli('backup', '--out', out, '--storage', a.storage);
    expect(b.code, b.out).toBe(0);
    expect(b.out).toMatch(/backed up .* database \+ \d+ files/);
    await a.stop();

    const target = path.join(scratch, 'restored');
    const r = await cli('restore', '--from', out, '--storage', target);
    expect(r.code, r.out).toBe(0);
    const again = await cli('restore', '--from', out, '--storage', target);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/is not empty .*restore only into an empty folder/);

    const c = await bootServer({ env: { AUTH: 'on' }, storage: target });
    try {
      expect(c.setupUrl).toBeNull();
      const s = await signIn(c.url, 'admin', 'admin-pass-1');
      const check = (await c.db.sequelize.query('PRAGMA integrity_check', { plain: true })) as Record<string, string>;
      expect(Object.values(check)[0]).toBe('ok');
      expect(await (await s.fetch(`/api/jobs/${done.id}/download`)).text()).toBe(csv);
      // The job that was running when the snapshot was taken runs again (or fails, saying why).
      const after = await until(s, running.id, final, 120_000);
      if (after.status === 'FAILED') expect(after.error_message).toMatch(/\w/);
      else expect(after.status).toBe('COMPLETED');
    } finally {
      await c.stop();
    }
  });

  it('refuses a damaged backup and writes nothing', async () => {
    const a = await bootServer({ env: { AUTH: 'on' } });
    const admin = await setupAdmin(a.url, a.setupUrl!);
    await until(admin, (await upload(admin, SAMPLE, 'sample.csv')).id, final);
    const out = path.join(scratch, 'damaged');
    expect((await cli('backup', '--out', out, '--storage', a.storage)).code).toBe(0);
    await a.stop();
    const upload0 = path.join(out, 'uploads', readdirSync(path.join(out, 'uploads'))[0]);
    writeFileSync(upload0, `${readFileSync(upload0, 'utf8')}1,2025-01-01,X,Y\n`);
    const target = path.join(scratch, 'never');
    const r = await cli('restore', '--from', out, '--storage', target);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/does not match its checksum .*damaged/);
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
  });
});
