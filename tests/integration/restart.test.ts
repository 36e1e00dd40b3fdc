/**
 * kill -9 in the middle of a job, then a real second server process on the same storage.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../server/contract/dto.js';
import { demandFile } from '../helpers/data.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { api, filesIn, tempStorage, uploadJob } from '../helpers/server.js';

const storage = tempStorage();
const procs: ServerProcess[] = [];
afterAll(() => {
  for (const p of procs) p.child.kill('SIGKILL');
  rmSync(storage, { recursive: true, force: true });
});

async function until(url: string, id: string, pred: (j: JobDto) => boolean, ms = 60_000): Promise<JobDto> {
  const end = Date.now() + ms;
  for (;;) {
    const r = await api<JobDto>(url, 'GET', `/api/jobs/${id}`);
    if (r.status === 200 && pred(r.body)) return r.body;
    if (Date.now() > end) throw new Error(`job ${id} never matched; last: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('crash and restart', () => {
  it('requeues a job interrupted by kill -9, quarantines orphan files, and finishes it', async () => {
    const first = await spawnServer(storage);
    procs.push(first);
    const big = readFileSync(await demandFile(10));
    const up = await uploadJob(first.url, { name: 'big.csv', content: big }, { forecast_horizon: 30 });
    expect(up.status).toBe(201);
    const id = up.body.id;
    const queued = await uploadJob(
      first.url,
      { name: 'second.csv', content: big.subarray(0, 20_000) },
      { forecast_horizon: 7 },
    );
    await until(first.url, id, (j) => j.status === 'PROCESSING' && j.progress >= 12);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // Leftovers a crash could leave: a half-written output, a stray upload, a temp file.
    writeFileSync(path.join(storage, 'tmp', `${id}-deadbeef.part`), 'half');
    writeFileSync(path.join(storage, 'uploads', 'orphan.csv'), 'x');
    writeFileSync(path.join(storage, 'outputs', 'orphan.csv'), 'x');

    const second = await spawnServer(storage);
    procs.push(second);
    expect(filesIn(storage, 'tmp')).toEqual([]);
    expect(filesIn(storage, 'uploads')).not.toContain('orphan.csv');
    expect(filesIn(storage, 'outputs')).not.toContain('orphan.csv');
    // …moved aside, not deleted: quarantine/<time>/uploads|outputs/orphan.csv, one log line each.
    const kept = readdirSync(path.join(storage, 'quarantine'), { recursive: true, encoding: 'utf8' });
    expect(kept.filter((f) => f.endsWith('orphan.csv')).map((f) => f.split(path.sep)[1])).toEqual(
      expect.arrayContaining(['uploads', 'outputs']),
    );
    expect(second.output()).toMatch(/stray file uploads\/orphan\.csv \(no job\) moved to quarantine/);

    const done = await until(second.url, id, (j) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status));
    expect(done.status).toBe('COMPLETED');
    const other = await until(second.url, queued.body.id, (j) => j.status === 'COMPLETED');
    expect(other.has_output).toBe(true);
    const log = await api<{ lines: { msg: string }[] }>(second.url, 'GET', `/api/jobs/${id}/log`);
    expect(log.body.lines.length).toBeGreaterThan(0);

    // SIGTERM: stops in order and exits 0.
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    // two server processes that compile the sources with tsx and run two jobs: on a loaded 2-core machine
    // that took over the default minute (24 s alone)
  }, 180_000);

  it('a job whose upload vanished fails with a clear message on boot', async () => {
    const srv = await spawnServer(storage);
    procs.push(srv);
    const up = await uploadJob(
      srv.url,
      { name: 'x.csv', content: readFileSync(await demandFile(10)) },
      { forecast_horizon: 30 },
    );
    await until(srv.url, up.body.id, (j) => j.status === 'PROCESSING');
    srv.child.kill('SIGKILL');
    await srv.exited;
    rmSync(path.join(storage, 'uploads', `${up.body.id}.csv`));
    mkdirSync(path.join(storage, 'uploads'), { recursive: true });
    const again = await spawnServer(storage);
    procs.push(again);
    const j = await until(again.url, up.body.id, () => true);
    expect(j.status).toBe('FAILED');
    expect(j.error_message).toMatch(/uploaded file is missing/);
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('with the database deleted, the process exits non-zero saying what to do, and touches nothing', async () => {
    for (const f of ['sparecast.sqlite', 'sparecast.sqlite-wal', 'sparecast.sqlite-shm'])
      rmSync(path.join(storage, f), { force: true });
    const uploads = filesIn(storage, 'uploads');
    const outputs = filesIn(storage, 'outputs');
    expect(uploads.length + outputs.length).toBeGreaterThan(0);
    const err = (await spawnServer(storage).then(
      (p) => (procs.push(p), null),
      (e: unknown) => e,
    )) as Error | null;
    expect(err?.message).toMatch(/server exited during start/);
    expect(err?.message).toMatch(/Refusing to start: the database .* is missing/);
    expect(err?.message).toContain(`${uploads.length} file(s) in uploads/ and ${outputs.length} file(s) in outputs/`);
    expect(existsSync(path.join(storage, 'sparecast.sqlite'))).toBe(false);
    expect(filesIn(storage, 'uploads')).toEqual(uploads);
    expect(filesIn(storage, 'outputs')).toEqual(outputs);
  });
});
