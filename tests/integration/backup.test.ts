/**
 * `npm run backup` while a job runs, `npm run restore` into a fresh folder, and a server started on it:
 * the same users, jobs and downloads; the job that was running is requeued (or failed with a reason).
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { setupAdmin, signIn, type Session } from '../helpers/auth.js';
import { demandFile } from '../helpers/data.js';
import { bootServer, tempStorage } from '../helpers/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLE = path.join(ROOT, 'server/assets/sample-demand.csv');
const scratch = tempStorage();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The CLI as an operator runs it: a usual umask (the test process has the server's 077). */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await promisify(execFile)(
      '/bin/sh',
      [
        '-c',
        'umask 0002 && exec "$0" "$@"',
        process.execPath,
        '--import',
        'tsx',
        path.join(ROOT, 'server/cli/backup.ts'),
        ...args,
      ],
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

  describe('hardening', () => {
    let backupDir = '';
    beforeAll(async () => {
      const a = await bootServer({ env: { AUTH: 'on' } });
      try {
        const admin = await setupAdmin(a.url, a.setupUrl!);
        await until(admin, (await upload(admin, SAMPLE, 'sample.csv')).id, final);
        backupDir = path.join(scratch, 'hardening');
        const b = await cli('backup', '--out', backupDir, '--storage', a.storage);
        expect(b.code, b.out).toBe(0);
      } finally {
        await a.stop();
      }
    });

    /** Every entry under `dir` (itself included) with its permission bits. */
    const modes = (dir: string): [string, boolean, number][] => [
      [dir, true, statSync(dir).mode & 0o777],
      ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((n): [string, boolean, number] => {
        const st = lstatSync(path.join(dir, n));
        return [n, st.isDirectory(), st.mode & 0o777];
      }),
    ];
    const oneLine = (out: string) => {
      expect(out.trim().split('\n')).toHaveLength(1);
      expect(out).not.toMatch(/^\s+at /m);
    };

    it('writes the backup and the restore private, whatever the umask', async () => {
      const backedUp = modes(backupDir);
      expect(backedUp.filter(([, d]) => !d).length).toBeGreaterThanOrEqual(3); // db, manifest, files
      for (const [name, isDir, mode] of backedUp) expect([name, mode]).toEqual([name, isDir ? 0o700 : 0o600]);
      const target = path.join(scratch, 'restored-private');
      const r = await cli('restore', '--from', backupDir, '--storage', target);
      expect(r.code, r.out).toBe(0);
      for (const [name, isDir, mode] of modes(target)) expect([name, mode]).toEqual([name, isDir ? 0o700 : 0o600]);
    });

    it('never writes through a symbolic link planted in the backup folder', async () => {
      const out = path.join(scratch, 'planted-out');
      mkdirSync(out);
      const victim = path.join(scratch, 'victim-1.txt');
      writeFileSync(victim, 'keep me');
      symlinkSync(victim, path.join(out, '.manifest.json.tmp'));
      const storage = path.join(scratch, 'planted-storage');
      expect((await cli('restore', '--from', backupDir, '--storage', storage)).code).toBe(0);
      const b = await cli('backup', '--out', out, '--storage', storage);
      expect(b.code, b.out).toBe(1);
      oneLine(b.out);
      expect(readFileSync(victim, 'utf8')).toBe('keep me');
    });

    it('never writes the database through a symbolic link planted in the storage folder', async () => {
      const target = path.join(scratch, 'planted-restore');
      mkdirSync(target);
      const victim = path.join(scratch, 'victim-2.txt');
      writeFileSync(victim, 'keep me');
      symlinkSync(victim, path.join(target, '.sparecast.sqlite.restoring'));
      const r = await cli('restore', '--from', backupDir, '--storage', target);
      expect(r.code, r.out).toBe(1);
      oneLine(r.out);
      expect(readFileSync(victim, 'utf8')).toBe('keep me');
      expect(readdirSync(target)).toEqual(['.sparecast.sqlite.restoring']);
    });

    /** A copy of the backup with its manifest changed by `edit` (or replaced by a text). */
    function tampered(name: string, edit: ((m: Record<string, unknown>) => void) | string): string {
      const dir = path.join(scratch, name);
      mkdirSync(dir);
      for (const n of readdirSync(backupDir, { recursive: true, encoding: 'utf8' })) {
        const from = path.join(backupDir, n);
        if (statSync(from).isDirectory()) mkdirSync(path.join(dir, n), { recursive: true });
        else writeFileSync(path.join(dir, n), readFileSync(from));
      }
      const file = path.join(dir, 'manifest.json');
      if (typeof edit === 'string') writeFileSync(file, edit);
      else {
        const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        edit(m);
        writeFileSync(file, JSON.stringify(m));
      }
      return dir;
    }

    it('refuses a manifest that names a folder outside the backup, copying nothing', async () => {
      const victim = readFileSync('/etc/os-release');
      const from = tampered('escape', (m) => {
        (m.files as unknown[]).push({
          dir: '../../../../etc',
          name: 'os-release',
          bytes: victim.length,
          sha256: createHash('sha256').update(victim).digest('hex'),
        });
      });
      const target = path.join(scratch, 'escape-target');
      const r = await cli('restore', '--from', from, '--storage', target);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(/not a valid manifest/);
      oneLine(r.out);
      expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
    });

    it.each([
      ['a path as a file name', (m: Record<string, unknown>) => ((m.files as { name: string }[])[0]!.name = '../x')],
      ['no file list', (m: Record<string, unknown>) => delete m.files],
      ['a text, not JSON', '{"format": 1, '],
      ['JSON null', 'null'],
    ])('refuses a manifest with %s in one line, without a stack trace', async (label, edit) => {
      const from = tampered(`bad-${label.replace(/\W+/g, '-')}`, edit);
      const target = path.join(scratch, `bad-target-${label.replace(/\W+/g, '-')}`);
      const r = await cli('restore', '--from', from, '--storage', target);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(/^sparecast: .*manifest/);
      oneLine(r.out);
      expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
    });
  });
});
