/**
 * 6. The job page's chart on a big job: a 1M-row file (the generator's shape, scale 84, as the upload
 * bench makes it) run to COMPLETED on an in-process server, then, as a browser opening the job page:
 *
 *   index build   COMPLETED announced → the index file in place (built in the background), and its
 *                 share of the job's run time (started → completed)
 *   page usable   GET job ‖ GET log → GET series/keys (first screen) → GET series of the first key,
 *                 once the index is there
 *   series        GET /api/jobs/:id/series for 20 parts spread over the biggest 500 (p50, p95)
 *   search        GET series/keys?q=… (p95 over the 20 parts' numbers)
 *
 *   npm run bench:series -- [--scale 84] [--parts 20]
 *
 * Goals (issue 13): series request p95 ≤ 100 ms, job page usable ≤ 1 s, index build ≤ 20 % of the run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { JobDto, SeriesKeysDto } from '../../server/contract/dto.js';
import { writeDemandFile } from '../generate-demand.js';
import {
  connectClients,
  inProcessServer,
  num,
  record,
  summarize,
  tempDir,
  until,
  uploadJob,
  within,
  type Figure,
} from './lib.js';

const { values } = parseArgs({
  options: { scale: { type: 'string' }, parts: { type: 'string' } },
});
const scale = num(values.scale, 84, 'scale');
const parts = num(values.parts, 20, 'parts');

async function timed<T>(url: string): Promise<{ ms: number; body: T }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = (await res.json()) as T;
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body)}`);
  return { ms, body };
}

const tmp = tempDir('series');
try {
  const dataFile = path.join(tmp.dir, 'big-demand.csv');
  const rows = await writeDemandFile(dataFile, { scale, seed: 7, start: '2024-01-01', days: 365 });
  console.log(`generated ${rows.toLocaleString('en-US')} rows`);
  const srv = await inProcessServer(tmp.dir);
  const [client] = await connectClients(srv.url, 1);
  try {
    const t0 = performance.now();
    const up = await uploadJob(srv.url, dataFile, { forecast_horizon: 30 });
    const id = up.job.id;
    const done = await within(
      new Promise<JobDto>((resolve) =>
        client.on('job:updated', (j) => {
          if (j.id === id && ['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status)) resolve(j);
        }),
      ),
      60 * 60_000,
      'the 1M-row job to finish',
    );
    if (done.status !== 'COMPLETED') throw new Error(`job ended ${done.status}: ${done.error_message}`);
    const tDone = performance.now();
    const jobS = (tDone - t0) / 1000;
    const runS = (Date.parse(done.completed_at!) - Date.parse(done.started_at!)) / 1000;
    console.log(`job completed in ${jobS.toFixed(1)} s (run ${runS.toFixed(1)} s)`);
    // The index is built in the background after COMPLETED: wait for its file.
    const job = await srv.jobs.find(id);
    const outputFile = path.join(tmp.dir, 'storage', 'outputs', job.output_name!);
    await until(() => existsSync(`${outputFile}.idx`), 10 * 60_000, 'the series index', 20);
    const indexMs = performance.now() - tDone;
    console.log(`index built ${(indexMs / 1000).toFixed(1)} s after COMPLETED`);

    const api = `${srv.url}/api/jobs/${id}`;
    const seriesUrl = (k: { partnumber: string; site_code: string }) =>
      `${api}/series?${new URLSearchParams({ partnumber: k.partnumber, site_code: k.site_code })}`;
    // The page: job and log together, then the picker's first screen, then the first part's chart.
    const tPage = performance.now();
    await Promise.all([timed(api), timed(`${api}/log`)]);
    const first = await timed<SeriesKeysDto>(`${api}/series/keys?q=&limit=50`);
    const firstSeries = await timed(seriesUrl(first.body.keys[0]));
    const pageMs = performance.now() - tPage;

    const top = (await timed<SeriesKeysDto>(`${api}/series/keys?q=&limit=500`)).body;
    const step = Math.max(1, Math.floor(top.keys.length / parts));
    const picks = top.keys.filter((_, i) => i % step === 0).slice(0, parts);
    const seriesMs: number[] = [];
    const searchMs: number[] = [];
    for (const k of picks) {
      seriesMs.push((await timed(seriesUrl(k))).ms);
      searchMs.push((await timed(`${api}/series/keys?q=${encodeURIComponent(k.partnumber.slice(-5))}&limit=50`)).ms);
    }
    const s = summarize(seriesMs);
    const q = summarize(searchMs);

    const figures: Figure[] = [
      { measure: 'series request p95', value: s.p95, unit: 'ms', goal: 100, headline: true },
      { measure: 'series request p50', value: s.p50, unit: 'ms' },
      { measure: 'job page usable (job+log → keys → first chart)', value: pageMs, unit: 'ms', goal: 1000 },
      { measure: '  ↳ first keys request (opens the index)', value: first.ms, unit: 'ms' },
      { measure: '  ↳ first series request', value: firstSeries.ms, unit: 'ms' },
      { measure: 'search request p95', value: q.p95, unit: 'ms' },
      { measure: 'index build (after COMPLETED, background)', value: indexMs, unit: 'ms' },
      {
        measure: 'index build share of the job run time',
        value: (indexMs / 1000 / runS) * 100,
        unit: '%',
        goal: 20,
      },
      { measure: 'completion: upload → COMPLETED (index not awaited)', value: jobS * 1000, unit: 'ms' },
      { measure: 'completion had it waited for the index', value: jobS * 1000 + indexMs, unit: 'ms' },
      { measure: 'series in the job', value: top.total, unit: '' },
    ];
    record({
      name: 'series',
      title: `6. Chart on a big job (${rows.toLocaleString('en-US')} rows, ${top.total} series)`,
      params: { scale, rows, parts: picks.length, job_s: jobS, run_s: runS },
      figures,
      details: { seriesMs, searchMs },
    });
  } finally {
    client.disconnect();
    await srv.close();
  }
} finally {
  tmp.remove();
}
