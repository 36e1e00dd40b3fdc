/**
 * Boot never destroys data it cannot account for (issue 14, hole 4): a deleted or truncated database
 * next to stored files stops the start with what to do, and every file stays; strays found by a
 * normal restart go to quarantine/, which its retention empties later.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startServer } from '../../server/server.js';
import { stampOf } from '../../server/storage/quarantine.js';
import { api, bootServer, tempStorage, uploadJob } from '../helpers/server.js';

const storage = tempStorage();
const db = path.join(storage, 'sparecast.sqlite');
const backup = path.join(storage, '..', `${path.basename(storage)}.sqlite.bak`);
afterAll(() => {
  rmSync(storage, { recursive: true, force: true });
  rmSync(backup, { force: true });
});

/** Every file under the storage folder (relative path → size): what must survive a refused start. */
function snapshot(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rel of readdirSync(storage, { recursive: true, encoding: 'utf8' })) {
    const st = statSync(path.join(storage, rel));
    if (st.isFile()) out[rel] = st.size;
  }
  return out;
}

function start(env: Record<string, string> = {}) {
  const config = loadConfig(
    { PORT: '0', HOST: '127.0.0.1', STORAGE_DIR: storage, LOG_LEVEL: 'silent', SERVE_CLIENT: 'false', ...env },
    'test',
  );
  return startServer(config, createLogger(config));
}

const csv = ['demand_qty,date,partnumber,site_code']
  .concat(
    Array.from(
      { length: 90 },
      (_, d) => `${d % 3},${new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10)},P1,S1`,
    ),
  )
  .join('\n');

beforeAll(async () => {
  // A real install: a finished job (upload + output), then a clean shutdown; the database is backed up.
  const s = await bootServer({ storage });
  const up = await uploadJob(s.url, { name: 'd.csv', content: csv }, { forecast_horizon: 7 });
  expect(up.status).toBe(201);
  for (let i = 0; i < 600; i++) {
    const j = await api<JobDto>(s.url, 'GET', `/api/jobs/${up.body.id}`);
    if (j.body.status === 'COMPLETED') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await s.stop({ keepStorage: true });
  copyFileSync(db, backup);
}, 60_000);

describe('a lost database', () => {
  it.each([
    ['deleted', () => rmSync(db), /is missing/],
    ['truncated to 0 bytes', () => truncateSync(db, 0), /is empty \(0 bytes\)/],
  ])('%s: startServer refuses with what to do, and every file is still there', async (_, lose, state) => {
    lose();
    const before = snapshot();
    const count = (dir: string) => Object.keys(before).filter((f) => f.startsWith(`${dir}/`)).length;
    expect(count('uploads')).toBe(1);
    // the forecast, and what comes with it (the chart's series index, the plan)
    expect(count('outputs')).toBeGreaterThanOrEqual(1);
    const err = (await start().then(
      () => null,
      (e: unknown) => e,
    )) as Error | null;
    expect(err?.message).toMatch(state);
    expect(err?.message).toContain(`1 file(s) in uploads/ and ${count('outputs')} file(s) in outputs/`);
    expect(err?.message).toMatch(/Restore sparecast\.sqlite from a backup/);
    expect(err?.message).toMatch(/move the uploads\/ and outputs\/ folders out of/);
    expect(err?.message).toContain(storage);
    expect(snapshot()).toEqual(before); // nothing created, moved or deleted (no new database either)
    copyFileSync(backup, db);
  });

  it('restored from the backup: starts, and the finished job still downloads', async () => {
    const s = await bootServer({ storage });
    const jobs = await api<{ jobs: JobDto[] }>(s.url, 'GET', '/api/jobs');
    expect(jobs.body.jobs.map((j) => j.status)).toEqual(['COMPLETED']);
    expect((await fetch(`${s.url}/api/jobs/${jobs.body.jobs[0].id}/download`)).status).toBe(200);
    await s.stop({ keepStorage: true });
  });

  it('a normal restart moves a stray file to quarantine/ (not deleted); old quarantine goes after QUARANTINE_DAYS', async () => {
    writeFileSync(path.join(storage, 'uploads', 'stray.csv'), 'someone’s data');
    const old = stampOf(new Date(Date.now() - 3 * 86_400_000));
    writeFileSync(path.join(storage, 'tmp', 'x-1.part'), 'half');
    rmSync(path.join(storage, 'quarantine'), { recursive: true, force: true });
    const oldFile = path.join(storage, 'quarantine', old, 'uploads', 'older.csv');
    mkdirSync(path.dirname(oldFile), { recursive: true });
    writeFileSync(oldFile, 'x');

    const s = await start({ QUARANTINE_DAYS: '2', AUTH: 'off' });
    const moved = readdirSync(path.join(storage, 'quarantine'), { recursive: true, encoding: 'utf8' });
    expect(moved.filter((f) => f.endsWith('stray.csv'))).toHaveLength(1);
    expect(existsSync(path.join(storage, 'uploads', 'stray.csv'))).toBe(false);
    expect(existsSync(path.join(storage, 'tmp', 'x-1.part'))).toBe(false); // a half-written output may go
    expect(existsSync(path.join(storage, 'quarantine', old))).toBe(false); // older than 2 days: gone at boot
    // The daily sweep removes today's folder once it is older than QUARANTINE_DAYS.
    await s.watchdog.daily(Date.now() + 2.5 * 86_400_000);
    expect(readdirSync(path.join(storage, 'quarantine'))).toEqual([]);
    await s.close();
  });
});
