/**
 * Stop latency, as users feel it: N socket.io clients watch a running job (on every pool thread);
 * one emits job:stop; we time emit → the CANCELLED job:updated at every client, and emit → every
 * thread the job used has ended. Real server, real engine, real threads.
 *
 *   npm run bench:stop -- [--clients 50] [--trials 20] [--scale 4]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { io as connect, type Socket } from 'socket.io-client';
import { loadConfig } from '../server/config.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../server/contract/events.js';
import type { JobDto } from '../server/contract/dto.js';
import { createLogger } from '../server/logger.js';
import { startServer } from '../server/server.js';
import { writeDemandFile } from './generate-demand.js';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '50' }, trials: { type: 'string', default: '20' }, scale: { type: 'string', default: '4' } } });
const nClients = Number(values.clients);
const trials = Number(values.trials);
const storage = mkdtempSync(path.join(os.tmpdir(), 'sparecast-bench-'));
const dataFile = path.join(storage, 'bench.csv');
await writeDemandFile(dataFile, { scale: Number(values.scale), seed: 3, start: '2024-01-01', days: 365 });
const content = readFileSync(dataFile);

const config = loadConfig({ PORT: '0', STORAGE_DIR: path.join(storage, 's'), LOG_LEVEL: 'silent', SERVE_CLIENT: 'false' }, 'bench');
const srv = await startServer(config, createLogger(config));
type C = Socket<ServerToClientEvents, ClientToServerEvents>;
const clients: C[] = await Promise.all(
  Array.from({ length: nClients }, () => new Promise<C>((resolve) => {
    const c: C = connect(srv.url, { transports: ['websocket'], forceNew: true });
    c.once('connect', () => resolve(c));
  })),
);

const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor((p / 100) * a.length))];
const toAll: number[] = [];
const toFirst: number[] = [];
const threadsGone: number[] = [];
for (let t = 0; t < trials; t++) {
  const form = new FormData();
  form.append('file', new Blob([content]), 'bench.csv');
  form.append('config', JSON.stringify({ forecast_horizon: 30 }));
  const job = (await (await fetch(`${srv.url}/api/jobs`, { method: 'POST', body: form })).json()) as JobDto;
  // Wait until the job is forecasting on every thread.
  await new Promise<void>((resolve) => {
    const check = () => (srv.pool.stats().busy >= srv.pool.threads ? resolve() : setTimeout(check, 5));
    check();
  });
  const seen = clients.map((c) => new Promise<number>((resolve) => {
    const h = (j: JobDto) => {
      if (j.id === job.id && j.status === 'CANCELLED') {
        c.off('job:updated', h);
        resolve(performance.now());
      }
    };
    c.on('job:updated', h);
  }));
  const released = new Promise<number>((resolve) => {
    const h = ({ id }: { id: string }) => id === job.id && (srv.jobs.events.off('released', h), resolve(performance.now()));
    srv.jobs.events.on('released', h);
  });
  const t0 = performance.now();
  clients[0].emit('job:stop', { id: job.id }, () => undefined);
  const times = (await Promise.all(seen)).map((x) => x - t0);
  threadsGone.push((await released) - t0);
  toAll.push(Math.max(...times));
  toFirst.push(Math.min(...times));
  await fetch(`${srv.url}/api/jobs/${job.id}`, { method: 'DELETE' });
}

const row = (name: string, a: number[], goal: number) =>
  `${name.padEnd(38)} ${pct(a, 50).toFixed(1).padStart(7)} ${pct(a, 95).toFixed(1).padStart(7)} ${Math.max(...a).toFixed(1).padStart(7)}   ≤ ${goal} ms p95: ${pct(a, 95) <= goal ? 'PASS' : 'MISS'}`;
console.log(`\nStop latency — ${nClients} clients, ${trials} trials, ${srv.pool.threads} threads busy, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`);
console.log(`${'measure (ms)'.padEnd(38)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(7)}`);
console.log(row('emit → CANCELLED at the first client', toFirst, 100));
console.log(row('emit → CANCELLED at every client', toAll, 100));
console.log(row('emit → every thread of the job ended', threadsGone, 50));
for (const c of clients) c.disconnect();
await srv.close();
rmSync(storage, { recursive: true, force: true });
