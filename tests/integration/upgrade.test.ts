/**
 * Upgrades: every storage folder a release made (tests/fixtures/storage/v*, written by
 * scripts/make-upgrade-fixture.ts) opens with today's code, migrates, and serves its users, token,
 * jobs and downloads as they were.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { signIn } from '../helpers/auth.js';
import { bootServer, filesIn, tempStorage, type TestServer } from '../helpers/server.js';

interface Manifest {
  release: string;
  users: { username: string; password: string; role: string }[];
  token: string;
  jobs: { id: string; status: string; filename: string; error_message: string | null }[];
}

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/storage');
const releases = readdirSync(FIXTURES).filter((d) => d.startsWith('v'));

let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.stop();
  srv = null;
});

describe('storage made by an earlier release', () => {
  it('has at least one fixture', () => expect(releases.length).toBeGreaterThan(0));

  it.each(releases)('%s: opens, migrates and serves users, token, jobs and downloads', async (release) => {
    const dir = path.join(FIXTURES, release);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const storage = tempStorage();
    for (const f of ['sparecast.sqlite', 'uploads', 'outputs'])
      cpSync(path.join(dir, f), path.join(storage, f), { recursive: true });
    const before = { uploads: filesIn(storage, 'uploads').sort(), outputs: filesIn(storage, 'outputs').sort() };
    srv = await bootServer({ storage, env: { AUTH: 'on' } });

    expect(srv.setupUrl).toBeNull(); // users came along: no first-admin setup
    const check = (await srv.db.sequelize.query('PRAGMA integrity_check', { plain: true })) as Record<string, string>;
    expect(Object.values(check)[0]).toBe('ok');

    for (const u of manifest.users) {
      const s = await signIn(srv.url, u.username, u.password);
      const me = await s.json<{ user: { username: string; role: string } }>('GET', '/api/auth/me');
      expect(me.body.user).toMatchObject({ username: u.username, role: u.role });
    }

    const auth = { authorization: `Bearer ${manifest.token}` };
    const list = await fetch(`${srv.url}/api/jobs?page_size=100`, { headers: auth });
    expect(list.status).toBe(200);
    const jobs = ((await list.json()) as { jobs: JobDto[] }).jobs;
    for (const want of manifest.jobs) {
      const got = jobs.find((j) => j.id === want.id);
      expect(got, `job ${want.id}`).toMatchObject({
        status: want.status,
        filename: want.filename,
        error_message: want.error_message,
      });
      // the English stage of a row written before stage codes is read as codes the page words
      expect(got!.stage_info, `stage of ${want.id}`).toEqual({ code: want.status.toLowerCase() });
      const dl = await fetch(`${srv.url}/api/jobs/${want.id}/download`, { headers: auth });
      if (want.status === 'COMPLETED') {
        expect(dl.status).toBe(200);
        expect((await dl.text()).split('\n')[0]).toMatch(/^date,partnumber,site_code,forecast_qty,/);
      } else {
        expect(dl.status).toBe(409);
      }
      // jobs from before inventory plans have none: a clear 404 (COMPLETED) or 409 (not completed), never 500
      expect(got).toMatchObject({ has_plan: false, has_actuals: false, parts_filename: null });
      for (const sub of ['inventory', 'inventory/rows', 'inventory/summary']) {
        const res = await fetch(`${srv.url}/api/jobs/${want.id}/${sub}`, { headers: auth });
        const body = (await res.json()) as { error: { code: string; message: string } };
        if (want.status === 'COMPLETED') {
          expect(res.status).toBe(404);
          expect(body.error.message).toMatch(/ran before inventory plans existed/);
        } else {
          expect(res.status).toBe(409);
          expect(body.error.code).toBe('JOB_NOT_COMPLETED');
        }
      }
    }
    // Nothing the old release stored was removed or moved at boot.
    expect(filesIn(storage, 'uploads').sort()).toEqual(before.uploads);
    expect(filesIn(storage, 'outputs').sort()).toEqual(before.outputs);
  });
});
