/**
 * 1. Stop latency, as users feel it: N socket.io clients watch a running job (on every pool thread);
 * one emits job:stop; we time emit → the CANCELLED job:updated at every client, and emit → every
 * thread the job used has ended (the service's internal `released` event). Real server, real engine,
 * real threads; clients in this process (their handling is part of what is timed).
 *
 *   npm run bench:stop -- [--clients 50] [--trials 20] [--scale 4]
 *
 * Goals: p95 ≤ 100 ms to every client; threads gone ≤ 50 ms (p95).
 */
import { parseArgs } from 'node:util';
import type { JobDto } from '../../server/contract/dto.js';
import { writeDemandFile } from '../generate-demand.js';
import {
  connectClients,
  fdLimit,
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
  options: { clients: { type: 'string' }, trials: { type: 'string' }, scale: { type: 'string' } },
});
const nClients = num(values.clients, 50, 'clients');
const trials = num(values.trials, 20, 'trials');
const scale = num(values.scale, 4, 'scale');

const tmp = tempDir('stop');
try {
  const dataFile = `${tmp.dir}/bench.csv`;
  const rows = await writeDemandFile(dataFile, { scale, seed: 3, start: '2024-01-01', days: 365 });
  const srv = await inProcessServer(tmp.dir);
  const clients = await connectClients(srv.url, nClients);

  const toAll: number[] = [];
  const toFirst: number[] = [];
  const threadsGone: number[] = [];
  const ackMs: number[] = [];
  try {
    for (let t = 0; t < trials; t++) {
      const { job } = await uploadJob(srv.url, dataFile);
      // Wait until the job is forecasting on every thread.
      await until(() => srv.pool.stats().busy >= srv.pool.threads, 60_000, 'the job to occupy every thread');
      const seen = clients.map(
        (c) =>
          new Promise<number>((resolve) => {
            const h = (j: JobDto) => {
              if (j.id === job.id && j.status === 'CANCELLED') {
                c.off('job:updated', h);
                resolve(performance.now());
              }
            };
            c.on('job:updated', h);
          }),
      );
      const released = new Promise<number>((resolve) => {
        const h = ({ id }: { id: string }) => {
          if (id !== job.id) return;
          srv.jobs.events.off('released', h);
          resolve(performance.now());
        };
        srv.jobs.events.on('released', h);
      });
      const t0 = performance.now();
      const acked = new Promise<number>((resolve) =>
        clients[0].emit('job:stop', { id: job.id }, () => resolve(performance.now())),
      );
      const times = (await within(Promise.all(seen), 10_000, 'CANCELLED at every client')).map((x) => x - t0);
      threadsGone.push((await within(released, 10_000, 'the job’s threads to end')) - t0);
      ackMs.push((await acked) - t0);
      toAll.push(Math.max(...times));
      toFirst.push(Math.min(...times));
      await fetch(`${srv.url}/api/jobs/${job.id}`, { method: 'DELETE' });
      // Let Tinypool's replacement threads come up so every trial starts from the same place.
      await until(() => srv.pool.stats().busy === 0, 10_000, 'an idle pool');
    }
  } finally {
    for (const c of clients) c.disconnect();
    await srv.close();
  }

  const all = summarize(toAll);
  const first = summarize(toFirst);
  const gone = summarize(threadsGone);
  const ack = summarize(ackMs);
  const figures: Figure[] = [
    { measure: 'emit → CANCELLED at first client, p50', value: first.p50, unit: 'ms' },
    { measure: 'emit → CANCELLED at every client, p50', value: all.p50, unit: 'ms', headline: true },
    { measure: 'emit → CANCELLED at every client, p95', value: all.p95, unit: 'ms', goal: 100 },
    { measure: 'emit → CANCELLED at every client, max', value: all.max, unit: 'ms' },
    { measure: 'emit → stop ack at the stopping client, p50', value: ack.p50, unit: 'ms' },
    { measure: 'emit → every thread of the job ended, p50', value: gone.p50, unit: 'ms', headline: true },
    { measure: 'emit → every thread of the job ended, p95', value: gone.p95, unit: 'ms', goal: 50 },
    { measure: 'emit → every thread of the job ended, max', value: gone.max, unit: 'ms' },
  ];
  record(
    {
      name: 'stop-latency',
      title: `1. Stop latency — ${nClients} clients, ${trials} trials, ${srv.pool.threads} threads busy`,
      params: { clients: nClients, trials, scale, rows, threads: srv.pool.threads, fd_limit: fdLimit() },
      figures,
      details: {
        to_all_ms: toAll,
        to_first_ms: toFirst,
        threads_gone_ms: threadsGone,
        ack_ms: ackMs,
        summary: { to_all: all, to_first: first, threads_gone: gone, ack },
      },
    },
    [
      `file: ${rows.toLocaleString('en-US')} rows (--scale ${scale}); a new job per trial, stopped once every thread is busy`,
    ],
  );
} finally {
  tmp.remove();
}
