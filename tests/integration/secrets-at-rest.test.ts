/**
 * What stays on the server's disk and in its logs (issue 14): storage files 0600 and folders 0700, also
 * a storage folder an older release made world-readable; the first-admin setup link on the console only,
 * never in the JSON log.
 */
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { bootServer, filesIn, JobWatch, tempStorage, uploadJob, type TestServer } from '../helpers/server.js';

const sample = readFileSync(new URL('../../server/assets/sample-demand.csv', import.meta.url));
let s: TestServer | null = null;
let child: ServerProcess | null = null;
afterEach(async () => {
  await s?.stop();
  s = null;
  child?.child.kill('SIGTERM');
  await child?.exited;
  child = null;
});

const mode = (p: string) => statSync(p).mode & 0o777;

describe('storage permissions', () => {
  it('keeps uploads, forecasts, temp files and the database to the server user (0600 / 0700)', async () => {
    // As an older release left it: world-readable folders and database.
    const storage = tempStorage();
    chmodSync(storage, 0o755);
    for (const d of ['uploads', 'outputs', 'tmp']) mkdirSync(path.join(storage, d), { mode: 0o755 });
    s = await bootServer({ storage });
    const watch = new JobWatch(await s.client());
    const up = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 7 });
    await watch.until(up.body.id, (j) => j.status === 'COMPLETED', 30_000);

    for (const d of ['', 'uploads', 'outputs', 'tmp']) expect(mode(path.join(storage, d)).toString(8), d).toBe('700');
    const files = [
      'sparecast.sqlite',
      ...filesIn(storage, 'uploads').map((f) => `uploads/${f}`),
      ...filesIn(storage, 'outputs').map((f) => `outputs/${f}`),
    ];
    // the database, the upload, the forecast and its plan (and the series index once it is built)
    expect(files).toEqual(expect.arrayContaining(['sparecast.sqlite', `outputs/${up.body.id}.plan.csv`]));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(mode(path.join(storage, f)).toString(8), f).toBe('600');
  });

  it('closes an older database file to others at boot', async () => {
    const storage = tempStorage();
    s = await bootServer({ storage });
    await s.stop({ keepStorage: true });
    s = null;
    chmodSync(path.join(storage, 'sparecast.sqlite'), 0o644);
    s = await bootServer({ storage });
    expect(mode(path.join(storage, 'sparecast.sqlite')).toString(8)).toBe('600');
  });
});

describe('the first-admin setup link', () => {
  it('is printed on the console but never written into the JSON log', async () => {
    child = await spawnServer(tempStorage(), { AUTH: 'on', LOG_LEVEL: 'info' });
    const deadline = Date.now() + 20_000;
    while (!child.output().includes('#/setup?token=') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const lines = child.output().split('\n');
    const token = /#\/setup\?token=([\w-]+)/.exec(child.output())?.[1];
    expect(token).toBeTruthy();
    const json = lines.filter((l) => l.startsWith('{'));
    expect(json.length).toBeGreaterThan(0);
    expect(json.filter((l) => l.includes(token!))).toEqual([]);
    expect(json.some((l) => /setup link was printed on the console/.test(l))).toBe(true);
    // The plain-text line a person reads carries the whole link.
    expect(lines.some((l) => !l.startsWith('{') && l.includes(`#/setup?token=${token}`))).toBe(true);
  });
});
