/**
 * The job page's series, served from the per-series index built in the background once the job is
 * COMPLETED: completion does not wait for it, requests right after completion wait for the build, its
 * answers equal reading the output and the upload directly (helpers/series-oracle.ts), an old job without
 * an index gets one on first use, and Delete removes it (also while it is being built).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto, SeriesDto, SeriesKeysDto } from '../../server/contract/dto.js';
import type { SeriesSource } from '../../server/jobs/results/job-series.js';
import { api, bootServer, filesIn, uploadJob, waitFor, type Client, type TestServer } from '../helpers/server.js';
import { oracleForecast, oracleHistory, oracleKeys } from '../helpers/series-oracle.js';

let s: TestServer;
let c: Client;
const sample = readFileSync(new URL('../../server/assets/sample-demand.csv', import.meta.url));

beforeAll(async () => {
  s = await bootServer();
  c = await s.client();
});
afterAll(async () => {
  await s.stop();
});

async function completedJob(config: Record<string, unknown> = { forecast_horizon: 14 }): Promise<JobDto> {
  const up = await uploadJob(s.url, { name: 'sample.csv', content: sample }, config);
  expect(up.status).toBe(201);
  const id = up.body.id;
  const done = await waitFor(
    c,
    'job:updated',
    (j) => j.id === id && j.status !== 'QUEUED' && j.status !== 'PROCESSING',
    120_000,
  );
  expect(done.status).toBe('COMPLETED');
  return done;
}

const outputOf = (id: string) => path.join(s.storage, 'outputs', `${id}.csv`);
const indexFileOf = (outputFile: string) => `${outputFile}.idx`;
const get = <T>(p: string) => api<T>(s.url, 'GET', p);
const seriesUrl = (id: string, k: { partnumber: string; site_code: string }) =>
  `/api/jobs/${id}/series?${new URLSearchParams({ partnumber: k.partnumber, site_code: k.site_code })}`;

function source(job: JobDto): SeriesSource {
  const uploads = filesIn(s.storage, 'uploads').filter((f) => f.startsWith(job.id));
  return {
    jobId: job.id,
    outputFile: outputOf(job.id),
    indexFile: indexFileOf(outputOf(job.id)),
    uploadFile: path.join(s.storage, 'uploads', uploads[0]),
    originalName: job.filename,
    config: job.config,
    tmpFile: () => path.join(s.storage, 'tmp', `t-${Math.random()}`),
  };
}

describe('series index', () => {
  it('is built after COMPLETED is announced, and the series answer correctly right after completion', async () => {
    const up = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 14 });
    const id = up.body.id;
    const idx = indexFileOf(outputOf(id));
    // Seen in the same tick as the announcement: before the change the index was already in place.
    const atCompleted = new Promise<{ output: boolean; index: boolean }>((resolve) => {
      const on = (j: JobDto) => {
        if (j.id !== id || j.status !== 'COMPLETED') return;
        s.jobs.events.off('updated', on);
        resolve({ output: existsSync(outputOf(id)), index: existsSync(idx) });
      };
      s.jobs.events.on('updated', on);
    });
    expect(await atCompleted).toEqual({ output: true, index: false });
    // Asked at once: the requests wait for the build in flight and answer from the index.
    const keys = await get<SeriesKeysDto>(`/api/jobs/${id}/series/keys?limit=5`);
    expect(keys.status).toBe(200);
    const k = keys.body.keys[0];
    expect(k.volume).not.toBeNull();
    const r = await get<SeriesDto>(seriesUrl(id, k));
    expect(r.status).toBe(200);
    const job = (await get<JobDto>(`/api/jobs/${id}`)).body;
    const src = source(job);
    expect(r.body.forecast).toEqual((await oracleForecast(src.outputFile, k.partnumber, k.site_code)).points);
    expect(r.body.history).toEqual(await oracleHistory(src, k.partnumber, k.site_code));
    expect(existsSync(idx)).toBe(true);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  }, 120_000);

  it('Delete while the index is being built leaves no index and no temp file behind', async () => {
    const up = await uploadJob(s.url, { name: 'sample.csv', content: sample }, { forecast_horizon: 14 });
    const id = up.body.id;
    const idx = indexFileOf(outputOf(id));
    const deleted = new Promise<{ building: boolean; status: number }>((resolve, reject) => {
      const on = (j: JobDto) => {
        if (j.id !== id || j.status !== 'COMPLETED') return;
        s.jobs.events.off('updated', on);
        const building = !existsSync(idx);
        api(s.url, 'DELETE', `/api/jobs/${id}`)
          .then((res) => resolve({ building, status: res.status }))
          .catch(reject);
      };
      s.jobs.events.on('updated', on);
    });
    expect(await deleted).toEqual({ building: true, status: 204 });
    const leftovers = () => [
      ...filesIn(s.storage, 'outputs').filter((f) => f.startsWith(id)),
      ...filesIn(s.storage, 'tmp'),
    ];
    expect(leftovers()).toEqual([]);
    // Long enough for a build that was not cancelled to finish and rename its file into outputs/.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(leftovers()).toEqual([]);
    expect(existsSync(idx)).toBe(false);
  }, 120_000);

  it('answers as reading the output and the upload does: keys (all of them, biggest first), histories, forecasts', async () => {
    const job = await completedJob({ forecast_horizon: 14, forecast_site_codes: [] });
    const src = source(job);
    const old = await oracleKeys(src.outputFile, '');
    const all = await get<SeriesKeysDto>(`/api/jobs/${job.id}/series/keys?limit=500`);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(old.length);
    expect(all.body.keys.length).toBe(Math.min(500, old.length));
    expect(old.length).toBeGreaterThan(30); // the picker now reaches past the first 30
    const vols = all.body.keys.map((k) => k.volume!);
    expect(vols).toEqual([...vols].sort((a, b) => b - a));

    // Search goes through every series, not the first page.
    const last = old[old.length - 1];
    const found = await get<SeriesKeysDto>(`/api/jobs/${job.id}/series/keys?q=${encodeURIComponent(last.partnumber)}`);
    expect(found.body.keys.map((k) => k.partnumber)).toContain(last.partnumber);
    expect(
      found.body.keys.every((k) => k.partnumber.includes(last.partnumber) || k.site_code.includes(last.partnumber)),
    ).toBe(true);

    const picks = [all.body.keys[0], all.body.keys[7], all.body.keys.at(-1)!, old[3]];
    for (const k of picks) {
      const r = await get<SeriesDto>(seriesUrl(job.id, k));
      expect(r.status).toBe(200);
      const fc = await oracleForecast(src.outputFile, k.partnumber, k.site_code);
      const history = await oracleHistory(src, k.partnumber, k.site_code);
      expect(r.body.forecast).toEqual(fc.points);
      expect(r.body.history).toEqual(history);
      expect(r.body.method).toBe(fc.key!.method);
      expect(r.body.demand_class).toBe(fc.key!.demand_class);
      expect(r.body.volume).toBeCloseTo(
        history.reduce((a, h) => a + h.qty, 0),
        6,
      );
    }
    expect((await get(seriesUrl(job.id, { partnumber: 'nope', site_code: 'X' }))).status).toBe(404);
    expect((await get(`/api/jobs/${job.id}/series/keys?limit=0`)).status).toBe(400);
  }, 180_000);

  it('a job completed before indexes existed gets one built on first use, with the same answers', async () => {
    const job = await completedJob();
    const idx = indexFileOf(outputOf(job.id));
    const k = (await get<SeriesKeysDto>(`/api/jobs/${job.id}/series/keys?limit=3`)).body.keys[2];
    const before = (await get<SeriesDto>(seriesUrl(job.id, k))).body;
    // A fresh server process (no cache) over the same storage, the index gone as for an old job.
    await s.stop({ keepStorage: true });
    rmSync(idx);
    s = await bootServer({ storage: s.storage });
    c = await s.client();
    expect(existsSync(idx)).toBe(false);
    const again = await get<SeriesDto>(seriesUrl(job.id, k));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(before);
    expect(existsSync(idx)).toBe(true);
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  }, 180_000);

  it('Delete removes the index with the output; reconcile keeps an index and drops a stray one', async () => {
    const job = await completedJob();
    const idx = indexFileOf(outputOf(job.id));
    await get(`/api/jobs/${job.id}/series/keys?limit=1`); // waits for the build
    expect(existsSync(idx)).toBe(true);
    expect((await api(s.url, 'DELETE', `/api/jobs/${job.id}`)).status).toBe(204);
    expect(existsSync(idx)).toBe(false);
    expect(filesIn(s.storage, 'outputs').filter((f) => f.startsWith(job.id))).toEqual([]);

    const kept = await completedJob();
    await get(`/api/jobs/${kept.id}/series/keys?limit=1`);
    const stray = path.join(s.storage, 'outputs', '0123456789abcdef.csv.idx');
    writeFileSync(stray, 'SCSIDX01');
    await s.stop({ keepStorage: true });
    s = await bootServer({ storage: s.storage });
    c = await s.client();
    expect(existsSync(indexFileOf(outputOf(kept.id)))).toBe(true);
    expect(existsSync(stray)).toBe(false);
  }, 180_000);
});
