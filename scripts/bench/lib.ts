/**
 * Shared parts of the performance harness: statistics, the PASS/MISS table, the JSON result file in
 * storage/bench/, machine facts, an in-process server in a temp folder, socket.io clients, uploads,
 * and bounded waits. Everything targets 127.0.0.1.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/events.js';
import type { JobDto, LogLine } from '../../server/contract/dto.js';
import type { FromFleet, ToFleet } from './fleet-protocol.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startServer, type RunningServer } from '../../server/server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH_DIR = path.join(ROOT, 'storage', 'bench');

// ---- statistics -------------------------------------------------------------------------------------

/** Nearest-rank percentile (p95 of 20 values is the 19th smallest). */
export function pct(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  min: number;
  mean: number;
}

export function summarize(values: number[]): Summary {
  const n = values.length;
  return {
    n,
    p50: pct(values, 50),
    p95: pct(values, 95),
    max: n ? Math.max(...values) : Number.NaN,
    min: n ? Math.min(...values) : Number.NaN,
    mean: n ? values.reduce((s, x) => s + x, 0) / n : Number.NaN,
  };
}

export const round = (x: number, digits = 1): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

// ---- results ----------------------------------------------------------------------------------------

/** One line of a bench's table: a figure, and the goal it is checked against (if any). */
export interface Figure {
  measure: string;
  value: number;
  unit: string;
  /** The figure must be ≤ goal. */
  goal?: number;
  /** Set by record(): PASS/MISS, or null without a goal. */
  pass?: boolean | null;
  note?: string;
  /** Also shown in the `npm run bench` summary (figures with a goal always are). */
  headline?: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  at: string;
  machine: Machine;
  params: Record<string, unknown>;
  figures: Figure[];
  /** Raw samples and anything else worth keeping. */
  details: Record<string, unknown>;
}

export interface Machine {
  cores: number;
  cpu: string;
  memory_gb: number;
  node: string;
  platform: string;
  load_avg: number[];
}

export function machine(): Machine {
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model?.trim() ?? '?',
    memory_gb: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    load_avg: os.loadavg().map((x) => round(x, 2)),
  };
}

export const verdict = (f: Figure): string => (f.goal === undefined ? '' : f.value <= f.goal ? 'PASS' : 'MISS');

/** With a goal, shows enough digits that the shown value never seems to contradict PASS/MISS. */
export function formatValue(value: number, unit: string, goal?: number): string {
  if (!Number.isFinite(value)) return `— ${unit}`;
  let digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  while (goal !== undefined && digits < 3 && value > goal && Number(value.toFixed(digits)) <= goal) digits++;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

/** The table every bench prints: measure, value, goal, PASS/MISS. */
export function table(title: string, figures: Figure[], header: string[] = []): string {
  const w = Math.max(24, ...figures.map((f) => f.measure.length));
  const lines = ['', title, ...header.map((h) => `  ${h}`), ''];
  lines.push(`${'measure'.padEnd(w)}  ${'value'.padStart(14)}  ${'goal'.padStart(12)}  verdict`);
  lines.push(`${'-'.repeat(w)}  ${'-'.repeat(14)}  ${'-'.repeat(12)}  -------`);
  for (const f of figures) {
    const goal = f.goal === undefined ? '' : `≤ ${formatValue(f.goal, f.unit)}`;
    lines.push(
      `${f.measure.padEnd(w)}  ${formatValue(f.value, f.unit, f.goal).padStart(14)}  ${goal.padStart(12)}  ${verdict(f)}${f.note ? `  (${f.note})` : ''}`,
    );
  }
  return lines.join('\n');
}

/** Prints the table and writes storage/bench/<name>.json. Returns the file name. */
export function record(r: Omit<BenchResult, 'at' | 'machine'>, header: string[] = []): string {
  const figures = r.figures.map((f) => ({
    ...f,
    value: round(f.value, 2),
    pass: f.goal === undefined ? null : f.value <= f.goal,
  }));
  const full: BenchResult = { ...r, figures, at: new Date().toISOString(), machine: machine() };
  const m = full.machine;
  console.log(
    table(r.title, figures, [
      ...header,
      `machine: ${m.cores} cores (${m.cpu}), ${m.memory_gb} GB, Node ${m.node}, load ${m.load_avg.join(' / ')}`,
    ]),
  );
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, `${r.name}.json`);
  writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  console.log(`\n→ ${path.relative(ROOT, file)}`);
  return file;
}

// ---- time and waiting ---------------------------------------------------------------------------------

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects after ms with a message naming what was awaited: no bench waits forever. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      timer.unref();
    }),
  ]);
}

/** Polls cond every `every` ms until true, at most `ms`. */
export async function until(
  cond: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  every = 5,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await cond())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

// ---- temp folders and servers --------------------------------------------------------------------------

export function tempDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `sparecast-bench-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Settings every bench server gets: loopback only, sign-in off (allowed on loopback; the benches time
 * the job machinery, not the session lookup) and no upload rate limit (a bench uploads 20 files a
 * minute by design).
 */
export const BENCH_ENV: Record<string, string> = {
  HOST: '127.0.0.1',
  AUTH: 'off',
  UPLOADS_PER_MINUTE: '10000',
  SERVE_CLIENT: 'false',
};

/** A real server in this process, storage in a temp folder, logs silent, 127.0.0.1 on a free port. */
export async function inProcessServer(dir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  // Server settings worth comparing can be passed through the environment (e.g. STOP_GRACE_MS=200).
  const passed = Object.fromEntries(
    ['STOP_GRACE_MS', 'WORKERS', 'JOB_CONCURRENCY'].filter((k) => process.env[k]).map((k) => [k, process.env[k]!]),
  );
  const config = loadConfig(
    { ...BENCH_ENV, PORT: '0', STORAGE_DIR: path.join(dir, 'storage'), LOG_LEVEL: 'silent', ...passed, ...env },
    'bench',
  );
  return startServer(config, createLogger(config));
}

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects n websocket clients, `batch` at a time (a burst of 1,000 handshakes is its own test). */
export async function connectClients(url: string, n: number, batch = 100): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < n; i += batch) {
    const group = await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, () =>
        within(
          new Promise<Client>((resolve, reject) => {
            const c: Client = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
            c.once('connect', () => resolve(c));
            c.once('connect_error', reject);
          }),
          30_000,
          'a socket.io connection',
        ),
      ),
    );
    clients.push(...group);
  }
  return clients;
}

export function subscribe(c: Client, id: string): Promise<void> {
  return within(
    new Promise<void>((resolve, reject) =>
      c.emit('job:subscribe', { id }, (r) => (r.ok ? resolve() : reject(new Error(r.error.message)))),
    ),
    30_000,
    'job:subscribe ack',
  );
}

/** POST /api/jobs with a file from disk; returns the job and the time to the 201. */
export async function uploadJob(
  url: string,
  file: string,
  config: Record<string, unknown> = { forecast_horizon: 30 },
  parts: string | null = null,
): Promise<{ job: JobDto; ms: number; t0: number; tEpoch0: number }> {
  const { openAsBlob } = await import('node:fs');
  const form = new FormData();
  form.append('file', await openAsBlob(file), path.basename(file));
  if (parts) form.append('parts', await openAsBlob(parts), path.basename(parts));
  form.append('config', JSON.stringify(config));
  const tEpoch0 = Date.now();
  const t0 = performance.now();
  const res = await fetch(`${url}/api/jobs`, { method: 'POST', body: form });
  const ms = performance.now() - t0;
  const body = (await res.json()) as JobDto | { error: { message: string } };
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
  return { job: body as JobDto, ms, t0, tEpoch0 };
}

export async function getJob(url: string, id: string): Promise<JobDto> {
  return (await (await fetch(`${url}/api/jobs/${id}`)).json()) as JobDto;
}

export async function getLog(url: string, id: string): Promise<LogLine[]> {
  return ((await (await fetch(`${url}/api/jobs/${id}/log`)).json()) as { lines: LogLine[] }).lines;
}

/** Log line marking the end of the read phase: "<rows> rows, <n> site(s), …". */
export const READ_DONE = /^\d+ rows, \d+ site\(s\)/;

// ---- processes ----------------------------------------------------------------------------------------

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, in MB, from /proc. */
export function procMemory(pid: number): { hwmMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { hwmMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** The file-descriptor limit of this process (soft), or NaN off Linux. */
export function fdLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    return Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

/** Forks a TypeScript module under tsx with an IPC channel. */
export function forkTs(file: string, args: string[] = [], env: Record<string, string> = {}): ChildProcess {
  return fork(file, args, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export function gitRevision(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

/** Numeric CLI option with a default, rejecting nonsense. */
export function num(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0) throw new Error(`--${name} must be a positive number, got ${v}`);
  return x;
}

// ---- a fleet of clients in a child process -----------------------------------------------------------------

export interface Fleet {
  connectMs: number;
  fdLimit: number;
  /** Every client joins the job's room (job:subscribe, acked). */
  subscribe(id: string): Promise<void>;
  /**
   * Arms the fleet for one broadcast; resolves once armed with `done`, a promise that settles when every
   * client has received a job:updated for the job since, with the first → last client spread.
   */
  arm(): Promise<{ done: Promise<{ spreadMs: number; at: number }> }>;
  stats(): Promise<{ progress: number[]; updated: number[] }>;
  close(): Promise<void>;
}

/** n clients connected in a child process; subscribed to jobId at once if given. */
export async function startFleet(url: string, clients: number, jobId?: string): Promise<Fleet> {
  const args = ['--url', url, '--clients', String(clients), ...(jobId ? ['--job', jobId] : [])];
  const child = forkTs(path.join(ROOT, 'scripts/bench/fleet.ts'), args);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = <T extends FromFleet['type']>(type: T, ms: number): Promise<Extract<FromFleet, { type: T }>> =>
    within(
      new Promise((resolve, reject) => {
        const h = (m: FromFleet) => {
          if (m.type === 'error') reject(new Error(`client fleet: ${m.message}`));
          else if (m.type === type) {
            child.off('message', h);
            resolve(m as Extract<FromFleet, { type: T }>);
          }
        };
        child.on('message', h);
        exited.then(() => reject(new Error('client fleet exited'))).catch(reject);
      }),
      ms,
      `the client fleet (${type})`,
    );
  const send = (m: ToFleet) => child.send(m);
  try {
    const ready = await next('ready', 180_000);
    return {
      connectMs: ready.connectMs,
      fdLimit: ready.fdLimit,
      async subscribe(id) {
        const done = next('subscribed', 60_000);
        send({ type: 'subscribe', id });
        await done;
      },
      async arm() {
        const armed = next('armed', 10_000);
        send({ type: 'arm' });
        await armed;
        const all = next('all', 30_000).then(({ spreadMs }) => ({ spreadMs, at: performance.now() }));
        all.catch(() => undefined); // observed by the caller
        return { done: all };
      },
      async stats() {
        const s = next('stats', 10_000);
        send({ type: 'stats' });
        const { progress, updated } = await s;
        return { progress, updated };
      },
      async close() {
        if (child.connected) send({ type: 'close' });
        await Promise.race([exited, sleep(10_000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

/**
 * Times one broadcast over one or more fleets: arms them, runs `emit` (which must cause a job:updated
 * for the job), and resolves with emit → every client of every fleet has it (one IPC hop included,
 * well under 1 ms), how long the emit call itself took, and the largest first → last spread in a fleet.
 */
export async function timeBroadcast(
  fleets: Fleet[],
  emit: () => void,
): Promise<{ ms: number; emitMs: number; spreadMs: number }> {
  const waits = await Promise.all(fleets.map((f) => f.arm()));
  const t0 = performance.now();
  emit();
  const emitMs = performance.now() - t0;
  const got = await Promise.all(waits.map((w) => w.done));
  return { ms: Math.max(...got.map((g) => g.at)) - t0, emitMs, spreadMs: Math.max(...got.map((g) => g.spreadMs)) };
}
