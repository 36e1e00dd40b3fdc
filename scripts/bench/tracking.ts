/**
 * Issue 23's speed goals for tracking, on a real in-process server: a generated demand file (the 1M-row shape
 * at --scale 83: one year daily, 13 sites) without its last 30 days is job 1 (horizon 30), the whole file is
 * job 2; when job 2 completes, job 1's tracking against it must be ready (GET /api/jobs/:id/tracking says
 * source job 2) within 10 s, and a page of its per-series table (GET …/tracking/rows: the default page, a
 * search, a sort, an exception filter, a far page) must answer within 100 ms.
 *
 *   npm run bench:tracking -- [--scale 83] [--requests 40]
 *
 * Figures: ready = first poll (every 50 ms) that sees the tracking, less job 2's completed_at (same clock);
 * rows = wall time of each request as a page sees it, after the first (which loads the rows into memory: it
 * is printed on its own). Prints PASS/MISS.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { JobDto } from '../../server/contract/dto.js';
import type { TrackingDto, TrackingRowsDto } from '../../server/contract/tracking.js';
import { writeDemandFile } from '../generate-demand.js';
import { getJob, inProcessServer, num, record, summarize, tempDir, until, uploadJob, type Figure } from './lib.js';

const { values } = parseArgs({ options: { scale: { type: 'string' }, requests: { type: 'string' } } });
const scale = num(values.scale, 83, 'scale');
const requests = num(values.requests, 40, 'requests');
const READY_GOAL_MS = 10_000;
const ROWS_GOAL_MS = 100;
const DAYS = 365;
const LATER_DAYS = 30;
const START = '2024-08-01';

/** The rows of `from` dated before `cutoff` (the generator writes M/D/YYYY), into `to`; how many. */
async function before(from: string, to: string, cutoff: number): Promise<number> {
  const out = createWriteStream(to);
  let n = -1;
  for await (const line of createInterface({ input: createReadStream(from) })) {
    if (n >= 0) {
      const [m, d, y] = line.split(',')[1].split('/').map(Number);
      if (Date.UTC(y, m - 1, d) >= cutoff) continue;
    }
    n++;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}

async function completed(url: string, id: string, what: string): Promise<JobDto> {
  let done!: JobDto;
  await until(
    async () => ['COMPLETED', 'FAILED', 'CANCELLED'].includes((done = await getJob(url, id)).status),
    60 * 60_000,
    what,
    200,
  );
  if (done.status !== 'COMPLETED') throw new Error(`${what} ended ${done.status}: ${done.error_message}`);
  return done;
}

const tmp = tempDir('tracking');
let figures: Figure[] = [];
try {
  const all = path.join(tmp.dir, 'demand.csv');
  const rows = await writeDemandFile(all, { scale, seed: 42, start: START, days: DAYS });
  const earlier = path.join(tmp.dir, 'demand-earlier.csv');
  const cutoff = Date.parse(`${START}T00:00:00Z`) + (DAYS - LATER_DAYS) * 86_400_000;
  const rows1 = await before(all, earlier, cutoff);
  console.log(`demand: ${rows} rows over ${DAYS} days; job 1 gets ${rows1} (all but the last ${LATER_DAYS} days)`);
  const srv = await inProcessServer(tmp.dir);
  try {
    const { job: j1 } = await uploadJob(srv.url, earlier, { forecast_horizon: LATER_DAYS });
    const done1 = await completed(srv.url, j1.id, 'job 1');
    console.log(`job 1: ${done1.metrics?.series} series, ${Math.round(done1.metrics?.seconds ?? NaN)} s`);
    const { job: j2 } = await uploadJob(srv.url, all, { forecast_horizon: LATER_DAYS });
    const done2 = await completed(srv.url, j2.id, 'job 2');
    console.log(`job 2: ${done2.metrics?.series} series, ${Math.round(done2.metrics?.seconds ?? NaN)} s`);
    const completedAt = Date.parse(done2.completed_at!);
    let t = { state: 'none', job_id: j1.id } as TrackingDto;
    await until(
      async () => {
        t = (await (await fetch(`${srv.url}/api/jobs/${j1.id}/tracking`)).json()) as TrackingDto;
        return t.state === 'ready' && t.source.kind === 'job' && t.source.job_id === j2.id;
      },
      10 * 60_000,
      "job 1's tracking against job 2",
      50,
    );
    const readyMs = Date.now() - completedAt;
    if (t.state !== 'ready') throw new Error('no tracking');
    console.log(
      `tracking ready ${Math.round(readyMs)} ms after job 2 completed: ${t.series.total} series, ` +
        `${t.periods.count} periods, RMSSE ${t.accuracy.rmsse}, exceptions ${JSON.stringify(t.exceptions)}`,
    );

    const queries = [
      '',
      'q=P1',
      'sort=tracking_signal&dir=asc',
      'exception=DEMAND_ABOVE_PLAN',
      `page=${Math.max(1, Math.floor(t.series.total / 50) - 1)}`,
      'sort=rmsse&page_size=200',
    ];
    const ask = async (q: string) => {
      const t0 = performance.now();
      const res = await fetch(`${srv.url}/api/jobs/${j1.id}/tracking/rows?${q}`);
      const body = (await res.json()) as TrackingRowsDto;
      const ms = performance.now() - t0;
      if (res.status !== 200 || body.state !== 'ready') throw new Error(`rows answered ${res.status}`);
      return ms;
    };
    const first = await ask('');
    const walls: number[] = [];
    for (let i = 0; i < requests; i++) walls.push(await ask(queries[i % queries.length]));
    const w = summarize(walls);
    console.log(`rows: first ${Math.round(first)} ms, then p50 ${w.p50} / p95 ${w.p95} / max ${w.max} ms`);
    figures = [
      {
        measure: 'tracking ready after the later job completes',
        value: readyMs,
        unit: 'ms',
        goal: READY_GOAL_MS,
        headline: true,
      },
      { measure: '/tracking/rows wall p95', value: w.p95, unit: 'ms', goal: ROWS_GOAL_MS, headline: true },
      { measure: '/tracking/rows wall p50', value: w.p50, unit: 'ms' },
      { measure: '/tracking/rows first request (rows already in memory)', value: first, unit: 'ms' },
      { measure: 'series tracked', value: t.series.total, unit: '' },
      { measure: 'demand rows (job 2)', value: rows, unit: '' },
    ];
  } finally {
    await srv.close();
  }
} finally {
  tmp.remove();
}
record({
  name: 'tracking',
  title: "Tracking: a later job as an earlier job's actuals, and its per-series rows",
  params: { scale, requests },
  figures,
  details: {},
});
const missed = figures.some((f) => f.goal !== undefined && f.value > f.goal);
console.log(missed ? 'MISS' : 'PASS');
