/**
 * 2. The original-shape job: a file shaped like the old system's production file (≈12,000 rows of
 * daily demand, ≈2,070 part numbers, 13 sites, one year, US dates, duplicates, BOM), horizon 30,
 * from upload to COMPLETED as a socket.io client sees it, split by phase. The phases come from the
 * job's own log lines, caught in-process the moment they are written:
 *
 *   upload      POST start → 201 (multipart received, header checked, row inserted)
 *   queue       201 → "Reading …" (job picked up, PROCESSING)
 *   reading     "Reading …" → "<rows> rows, <sites> site(s) …" (parse + validate + prepare, in a worker)
 *   forecasting → last "Site … done" (every site on the pool)
 *   writing     → "Completed: …" (output CSV, metrics)
 *   finishing   → COMPLETED job:updated at the client (rename, DB transition, push)
 *
 *   npm run bench:job -- [--trials 5] [--scale 1] [--horizon 30]
 *
 * Goal: ≤ 5 s wall (median of trials). The old system needed 15–30 min. The first job after start is
 * also shown: it pays for starting the engine in fresh threads (and, under tsx, compiling it).
 */
import { parseArgs } from 'node:util';
import type { JobDto } from '../../server/contract/dto.js';
import { writeDemandFile } from '../generate-demand.js';
import {
  READ_DONE,
  connectClients,
  inProcessServer,
  num,
  record,
  round,
  summarize,
  tempDir,
  uploadJob,
  within,
  type Figure,
} from './lib.js';

const { values } = parseArgs({
  options: { trials: { type: 'string' }, scale: { type: 'string' }, horizon: { type: 'string' } },
});
const trials = num(values.trials, 5, 'trials');
const scale = num(values.scale, 1, 'scale');
const horizon = num(values.horizon, 30, 'horizon');
const PHASES = ['upload', 'queue', 'reading', 'forecasting', 'writing', 'finishing'] as const;
type Phase = (typeof PHASES)[number];

const tmp = tempDir('job');
try {
  const dataFile = `${tmp.dir}/demand.csv`;
  const rows = await writeDemandFile(dataFile, { scale, seed: 42, start: '2024-08-01', days: 365 });
  const srv = await inProcessServer(tmp.dir);
  const [client] = await connectClients(srv.url, 1);
  const runs: (Record<Phase, number> & { wall: number; rows: number | null; series: number | null; sites: number })[] =
    [];
  try {
    for (let t = 0; t < trials; t++) {
      // Marks in this process's clock, keyed by the job id once known (events can beat the 201).
      const marks = new Map<string, { reading?: number; read?: number; lastSite?: number; completedLog?: number }>();
      const onLog = ({ id, lines }: { id: string; lines: { msg: string }[] }) => {
        const now = performance.now();
        const m = marks.get(id) ?? {};
        marks.set(id, m);
        for (const { msg } of lines) {
          if (msg.startsWith('Reading ')) m.reading ??= now;
          else if (READ_DONE.test(msg)) m.read ??= now;
          else if (/^Site .* done$/.test(msg)) m.lastSite = now;
          else if (msg.startsWith('Completed:')) m.completedLog ??= now;
        }
      };
      srv.jobs.events.on('log', onLog);
      let jobId = '';
      const early: JobDto[] = [];
      let finish: (j: JobDto) => void = () => undefined;
      const completed = new Promise<JobDto>((resolve) => (finish = resolve));
      const onUpdate = (j: JobDto) => {
        if (!jobId) early.push(j);
        else if (j.id === jobId && ['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status)) finish(j);
      };
      client.on('job:updated', onUpdate);
      try {
        const up = await uploadJob(srv.url, dataFile, { forecast_horizon: horizon });
        const t201 = performance.now();
        jobId = up.job.id;
        for (const j of early) onUpdate(j);
        const done = await within(completed, 120_000, 'the job to finish');
        const tDone = performance.now();
        if (done.status !== 'COMPLETED') throw new Error(`job ended ${done.status}: ${done.error_message}`);
        const m = marks.get(jobId) ?? {};
        if (m.reading === undefined || m.read === undefined || m.lastSite === undefined || m.completedLog === undefined)
          throw new Error(`missing phase marks in the job log: ${JSON.stringify(m)}`);
        runs.push({
          upload: up.ms,
          queue: m.reading - t201,
          reading: m.read - m.reading,
          forecasting: m.lastSite - m.read,
          writing: m.completedLog - m.lastSite,
          finishing: tDone - m.completedLog,
          wall: tDone - up.t0,
          rows: done.rows,
          series: done.metrics?.series ?? null,
          sites: done.partitions.total,
        });
        console.log(`  trial ${t + 1}/${trials}: ${(runs.at(-1)!.wall / 1000).toFixed(2)} s`);
        await fetch(`${srv.url}/api/jobs/${jobId}`, { method: 'DELETE' });
      } finally {
        srv.jobs.events.off('log', onLog);
        client.off('job:updated', onUpdate);
      }
    }
  } finally {
    client.disconnect();
    await srv.close();
  }

  const wall = summarize(runs.map((r) => r.wall));
  // The phases of the median run, so they add up to the wall time shown.
  const median = [...runs].sort((a, b) => a.wall - b.wall)[Math.floor((runs.length - 1) / 2)];
  const figures: Figure[] = [
    {
      measure: 'upload → COMPLETED at the client (median)',
      value: wall.p50 / 1000,
      unit: 's',
      goal: 5,
      note: `old system 15–30 min; best ${(wall.min / 1000).toFixed(2)} s, worst ${(wall.max / 1000).toFixed(2)} s`,
    },
    ...PHASES.map((p) => ({ measure: `  ${p}`, value: median[p], unit: 'ms', headline: true })),
    { measure: 'first job after server start (cold)', value: runs[0].wall / 1000, unit: 's', goal: 5 },
  ];
  const last = runs[0];
  record(
    {
      name: 'job',
      title: `2. Original-shape job — ${rows.toLocaleString('en-US')} rows, horizon ${horizon}, ${trials} trial(s), ${srv.pool.threads} threads`,
      params: {
        trials,
        scale,
        horizon,
        file_rows: rows,
        rows: last.rows,
        series: last.series,
        sites: last.sites,
        threads: srv.pool.threads,
      },
      figures,
      details: {
        runs: runs.map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? round(v, 1) : v])),
        ),
        wall_ms: wall,
      },
    },
    [
      `${last.series ?? '?'} series over ${last.sites} sites; phases of the median run (job log lines, timed in-process)`,
    ],
  );
} finally {
  tmp.remove();
}
