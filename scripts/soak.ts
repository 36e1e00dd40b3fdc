/**
 * Soak (issue 5): many small jobs through one in-process server with random stops and (force) deletes at
 * random moments and a few socket.io clients connected; resources before and after must be flat.
 *
 *   node --expose-gc --import tsx scripts/soak.ts [--jobs 500] [--clients 3] [--window 6] [--seed N]
 *     [--deadline-s 280] [--idle-s 0]
 *
 * Prints RSS, heap used, threads (/proc/self/task), open handles (process.getActiveResourcesInfo()), open fds,
 * before (after a warm-up) and after (after a GC when run with --expose-gc), the final state counts and
 * FLAT or GROWING. Exits 1 when something grows, a request answers 5xx, or a job is left unfinished.
 */
import { readdirSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { io as connect } from 'socket.io-client';
import { loadConfig } from '../server/config.js';
import type { JobDto, JobStatus } from '../server/contract/dto.js';
import { createLogger } from '../server/logger.js';
import { startServer } from '../server/server.js';
import { api, emitAck, filesIn, tempStorage, type Client } from '../tests/helpers/server.js';

const { values: args } = parseArgs({
  options: {
    jobs: { type: 'string', default: '500' },
    clients: { type: 'string', default: '3' },
    window: { type: 'string', default: '6' },
    seed: { type: 'string' },
    'deadline-s': { type: 'string', default: '280' },
    /** Idle this long after deleting every job, then sample once more (time-bounded buffers expire). */
    'idle-s': { type: 'string', default: '0' },
  },
});
const JOBS = Number(args.jobs);
const WINDOW = Number(args.window);
const DEADLINE = Date.now() + Number(args['deadline-s']) * 1000;
let seed = Number(args.seed ?? Date.now() % 1_000_000);
const seedShown = seed;
const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
const FINAL: JobStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED'];

/** A small demand file: `parts` parts × 2 sites × 60 days (a job of ~100 ms). */
function smallFile(parts: number, variant: number): string {
  const lines = ['demand_qty,date,partnumber,site_code'];
  for (let d = 0; d < 60; d++) {
    const date = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
    for (let p = 0; p < parts; p++)
      for (const s of ['S1', 'S2']) lines.push(`${(d * 7 + p * 3 + variant) % 5},${date},P${p},${s}`);
  }
  return lines.join('\n') + '\n';
}
const FILES = [
  smallFile(3, 0),
  smallFile(5, 1),
  smallFile(8, 2),
  'demand_qty,date,partnumber,site_code\n-1,2024-01-01,P,S\n',
];

interface Sample {
  rssMb: number;
  heapMb: number;
  threads: number;
  handles: number;
  fds: number;
  handleTypes: string;
}
async function sample(): Promise<Sample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3 && gc; i++) {
    gc();
    await sleep(50);
  }
  const m = process.memoryUsage();
  const types = new Map<string, number>();
  for (const t of process.getActiveResourcesInfo()) types.set(t, (types.get(t) ?? 0) + 1);
  return {
    rssMb: +(m.rss / 1048576).toFixed(1),
    heapMb: +(m.heapUsed / 1048576).toFixed(1),
    threads: readdirSync('/proc/self/task').length,
    handles: process.getActiveResourcesInfo().length,
    fds: readdirSync('/proc/self/fd').length,
    handleTypes: [...types]
      .map(([t, n]) => `${t}:${n}`)
      .sort()
      .join(' '),
  };
}

async function main(): Promise<void> {
  const storage = tempStorage();
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      STORAGE_DIR: storage,
      LOG_LEVEL: 'silent',
      SERVE_CLIENT: 'false',
      WORKERS: '2',
      JOB_CONCURRENCY: '1',
      AUTH: 'off',
      UPLOADS_PER_MINUTE: '10000',
    },
    'soak',
  );
  const srv = await startServer(config, createLogger(config));
  const url = srv.url;
  const clients: Client[] = [];
  for (let i = 0; i < Number(args.clients); i++) {
    const c: Client = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => (c.once('connect', () => resolve()), c.once('connect_error', reject)));
    clients.push(c);
  }
  const status = new Map<string, JobStatus | 'DELETED'>();
  const events = { updated: 0, deleted: 0, created: 0 };
  clients[0].on('job:updated', (j) => {
    events.updated++;
    if (status.get(j.id) !== 'DELETED') status.set(j.id, j.status);
  });
  clients[0].on('job:deleted', ({ id }) => (events.deleted++, status.set(id, 'DELETED')));
  clients[0].on('job:created', () => events.created++);
  const tally = { submitted: 0, stops: 0, stop409: 0, forceDeletes: 0, deletesAfter: 0, http5xx: 0, ackErrors: 0 };
  const problems: string[] = [];
  const pending: Promise<void>[] = [];

  const submit = async (n: number) => {
    const form = new FormData();
    const content = FILES[n % 13 === 0 ? 3 : n % 3];
    form.append('file', new Blob([content]), `soak-${n}.csv`);
    form.append('config', JSON.stringify({ forecast_horizon: 7 + (n % 5) }));
    const res = await fetch(`${url}/api/jobs`, { method: 'POST', body: form });
    const body = (await res.json()) as JobDto;
    if (res.status !== 201) {
      problems.push(`upload ${n} answered ${res.status}`);
      return null;
    }
    tally.submitted++;
    if (!status.has(body.id)) status.set(body.id, body.status);
    return body.id;
  };

  const act = async (id: string) => {
    const r = random();
    const delay = Math.floor(random() * 250);
    await sleep(delay);
    if (r < 0.15) {
      tally.stops++;
      // Half over REST, half over a socket (any client).
      if (random() < 0.5) {
        const s = await api(url, 'POST', `/api/jobs/${id}/stop`);
        if (s.status >= 500) tally.http5xx++;
        if (s.status === 409) tally.stop409++;
      } else {
        const ack = await emitAck(clients[Math.floor(random() * clients.length)], 'job:stop', { id });
        if (!ack.ok && !/JOB_FINISHED|finished|COMPLETED|FAILED|CANCELLED/.test(JSON.stringify(ack.error)))
          tally.ackErrors++;
        if (!ack.ok) tally.stop409++;
      }
    } else if (r < 0.25) {
      tally.forceDeletes++;
      if (random() < 0.5) {
        const d = await api(url, 'DELETE', `/api/jobs/${id}?force=true`);
        if (d.status >= 500) tally.http5xx++;
        else if (d.status !== 204 && d.status !== 404) problems.push(`force delete ${id} answered ${d.status}`);
      } else {
        const ack = await emitAck(clients[Math.floor(random() * clients.length)], 'job:delete', { id, force: true });
        if (!ack.ok) tally.ackErrors++;
      }
    } else if (r < 0.4) {
      // Plain delete once finished.
      const end = Date.now() + 20_000;
      while (!FINAL.includes(status.get(id) as JobStatus) && status.get(id) !== 'DELETED' && Date.now() < end)
        await sleep(20);
      if (status.get(id) === 'DELETED') return;
      tally.deletesAfter++;
      const d = await api(url, 'DELETE', `/api/jobs/${id}`);
      if (d.status >= 500) tally.http5xx++;
      else if (d.status !== 204) problems.push(`delete ${id} answered ${d.status}`);
    }
  };

  const inFlight = () => [...status.values()].filter((s) => s === 'QUEUED' || s === 'PROCESSING').length;
  const runBatch = async (count: number, from: number) => {
    for (let n = from; n < from + count; n++) {
      if (Date.now() > DEADLINE - 30_000) {
        problems.push(`time budget reached after ${n - from} jobs`);
        break;
      }
      while (inFlight() >= WINDOW) await sleep(5);
      const id = await submit(n);
      if (id) pending.push(act(id));
      if (n % 50 === 49) process.stdout.write(`  ${n + 1 - from}/${count} submitted, ${inFlight()} in flight\n`);
    }
    await Promise.all(pending);
    const end = Date.now() + 60_000;
    while (inFlight() > 0 && Date.now() < end) await sleep(50);
  };

  const started = Date.now();
  console.log(
    `soak: ${JOBS} jobs, ${clients.length} clients, window ${WINDOW}, seed ${seedShown}, gc ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'on' : 'OFF (run with --expose-gc)'}`,
  );
  // Warm-up: threads started, code compiled, caches filled; then the baseline.
  await runBatch(20, 0);
  await sleep(500);
  const before = await sample();
  await runBatch(JOBS, 1000);
  await sleep(1500);
  const after = await sample();

  // Final state.
  const list = await api<{ total: number; jobs: JobDto[] }>(url, 'GET', '/api/jobs?page_size=200');
  const all: JobDto[] = [];
  for (let page = 1; ; page++) {
    const r = await api<{ jobs: JobDto[] }>(url, 'GET', `/api/jobs?page_size=200&page=${page}`);
    all.push(...r.body.jobs);
    if (r.body.jobs.length < 200) break;
  }
  const count = (s: JobStatus) => all.filter((j) => j.status === s).length;
  const deleted = tally.submitted - all.length;
  const unfinished = count('QUEUED') + count('PROCESSING');
  if (unfinished) problems.push(`${unfinished} job(s) left QUEUED/PROCESSING`);
  const ids = new Set(all.map((j) => j.id));
  const strayUploads = filesIn(storage, 'uploads').filter((f) => !ids.has(f.replace(/\.[a-z]+$/, '')));
  const completed = new Set(all.filter((j) => j.status === 'COMPLETED').map((j) => j.id));
  const strayOutputs = filesIn(storage, 'outputs').filter((f) => !completed.has(f.replace(/\.csv$/, '')));
  const tmp = filesIn(storage, 'tmp');
  if (strayUploads.length + strayOutputs.length + tmp.length)
    problems.push(`stray files: uploads ${strayUploads.length}, outputs ${strayOutputs.length}, tmp ${tmp.length}`);
  if (tally.http5xx) problems.push(`${tally.http5xx} 5xx answers`);
  const health = await api<{ ok: boolean; pool: { threads: number; busy: number; queued: number } }>(
    url,
    'GET',
    '/api/health',
  );
  const kept = all.length;
  const filesKept = { uploads: filesIn(storage, 'uploads').length, outputs: filesIn(storage, 'outputs').length };

  // Then delete every remaining job: what memory was tied to kept jobs comes back here.
  for (const j of all) {
    const d = await api(url, 'DELETE', `/api/jobs/${j.id}`);
    if (d.status !== 204) problems.push(`final delete ${j.id} answered ${d.status}`);
  }
  await sleep(1000);
  const emptied = await sample();
  let idle: Sample | null = null;
  if (Number(args['idle-s']) > 0) {
    await sleep(Number(args['idle-s']) * 1000);
    idle = await sample();
  }
  const leftFiles =
    filesIn(storage, 'uploads').length + filesIn(storage, 'outputs').length + filesIn(storage, 'tmp').length;
  if (leftFiles) problems.push(`${leftFiles} file(s) left after deleting every job`);

  const growth = {
    rss: after.rssMb - before.rssMb,
    heap: after.heapMb - before.heapMb,
    threads: after.threads - before.threads,
    handles: after.handles - before.handles,
    fds: after.fds - before.fds,
  };
  // Flat: RSS within 25 % (+ 40 MB slack for allocator noise), heap within 15 MB, no extra threads, handles or fds.
  const growing: string[] = [];
  if (growth.rss > 40 + before.rssMb * 0.25) growing.push(`RSS +${growth.rss.toFixed(1)} MB`);
  if (growth.heap > 15) growing.push(`heap +${growth.heap.toFixed(1)} MB`);
  if (growth.threads > 0) growing.push(`threads +${growth.threads}`);
  if (growth.handles > 2) growing.push(`handles +${growth.handles}`);
  if (growth.fds > 3) growing.push(`fds +${growth.fds}`);

  const row = (k: string, b: number | string, a: number | string, d: number | string, e: number | string) =>
    console.log(`| ${k} | ${b} | ${a} | ${d} | ${e} |`);
  console.log(
    `\n| resource | before | after (${kept} jobs kept) | change | after deleting every job |\n|---|---|---|---|---|`,
  );
  row('RSS (MB)', before.rssMb, after.rssMb, growth.rss.toFixed(1), emptied.rssMb);
  row('heap used (MB)', before.heapMb, after.heapMb, growth.heap.toFixed(1), emptied.heapMb);
  row('threads (/proc/self/task)', before.threads, after.threads, growth.threads, emptied.threads);
  row('active handles', before.handles, after.handles, growth.handles, emptied.handles);
  row('open fds', before.fds, after.fds, growth.fds, emptied.fds);
  if (idle)
    console.log(
      `\nafter ${args['idle-s']} s idle: RSS ${idle.rssMb} MB, heap ${idle.heapMb} MB, threads ${idle.threads}, handles ${idle.handles}, fds ${idle.fds}`,
    );
  console.log(
    `\nheap per kept job: ${kept ? ((growth.heap * 1024) / kept).toFixed(1) : '-'} KB (released on delete: ${(after.heapMb - emptied.heapMb).toFixed(1)} MB)`,
  );
  console.log(`handle types before: ${before.handleTypes}\nhandle types after:  ${after.handleTypes}`);
  console.log(`\n| final state | count |\n|---|---|`);
  console.log(`| jobs submitted (incl. 20 warm-up) | ${tally.submitted} |`);
  for (const s of ['COMPLETED', 'FAILED', 'CANCELLED', 'QUEUED', 'PROCESSING'] as JobStatus[])
    console.log(`| ${s} | ${count(s)} |`);
  console.log(`| deleted (force or after finishing) | ${deleted} |`);
  console.log(`| stops sent (409 already finished) | ${tally.stops} (${tally.stop409}) |`);
  console.log(`| force deletes sent / plain deletes after finishing | ${tally.forceDeletes} / ${tally.deletesAfter} |`);
  console.log(
    `| socket events seen by one client (created/updated/deleted) | ${events.created}/${events.updated}/${events.deleted} |`,
  );
  console.log(`| 5xx answers / unexpected ack errors | ${tally.http5xx} / ${tally.ackErrors} |`);
  console.log(`| files kept: uploads / outputs / tmp | ${filesKept.uploads} / ${filesKept.outputs} / ${tmp.length} |`);
  console.log(`| pool (health) | ${JSON.stringify(health.body.pool)} |`);
  console.log(`| rows listed | ${list.body.total} (then all deleted: ${leftFiles} files left) |`);
  console.log(`| seconds | ${Math.round((Date.now() - started) / 1000)} |`);
  console.log(
    `\n${growing.length ? `GROWING: ${growing.join(', ')}` : 'FLAT'} (RSS ${before.rssMb}→${after.rssMb} MB, heap ${before.heapMb}→${after.heapMb} MB, threads ${before.threads}→${after.threads}, handles ${before.handles}→${after.handles}, fds ${before.fds}→${after.fds})`,
  );
  if (problems.length) console.log(`\nPROBLEMS:\n- ${problems.join('\n- ')}`);

  for (const c of clients) c.disconnect();
  await srv.close();
  rmSync(storage, { recursive: true, force: true });
  process.exitCode = growing.length || problems.length ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
