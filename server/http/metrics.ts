/**
 * GET /metrics in Prometheus text format: Node's default metrics (event-loop lag included) and the
 * job server's own. Open to this machine (a scraper on loopback); from anywhere else, or through a
 * proxy (any proxy header: X-Forwarded-*, Forwarded, X-Real-IP, Via, …), only with an admin's API token.
 * The path is matched case-sensitively (app.ts), so `/Metrics` is not a way around a proxy's deny rule.
 */
import type { RequestHandler } from 'express';
import client from 'prom-client';
import { isFinal, JOB_STATUSES, type JobStatus } from '../contract/dto.js';
import { AppError } from '../contract/errors.js';
import type { AuthService } from '../auth/auth.service.js';
import { bearer } from './auth-middleware.js';
import { isLoopback } from '../config.js';
import type { JobService } from '../jobs/job.service.js';
import type { WorkerPool } from '../jobs/worker-pool.js';

export interface MetricsDeps {
  jobs: JobService;
  pool: WorkerPool;
  auth: AuthService | null;
  /** Connected socket.io clients right now. */
  socketClients: () => number;
}

const DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];
const STOP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2];

export function metricsHandler(deps: MetricsDeps): RequestHandler {
  const register = new client.Registry();
  client.collectDefaultMetrics({ register, prefix: '' });
  const { jobs, pool } = deps;

  new client.Gauge({
    name: 'sparecast_jobs',
    help: 'Jobs by status',
    labelNames: ['status'],
    registers: [register],
    async collect() {
      const counts = await jobs.countByStatus();
      for (const s of JOB_STATUSES) this.set({ status: s }, counts[s] ?? 0);
    },
  });
  new client.Gauge({
    name: 'sparecast_queue_length',
    help: 'Jobs waiting for a free slot',
    registers: [register],
    collect() {
      this.set(jobs.queueLength);
    },
  });
  new client.Gauge({
    name: 'sparecast_pool_threads',
    help: 'Forecast worker threads, and how many are busy',
    labelNames: ['state'],
    registers: [register],
    collect() {
      const s = pool.stats();
      this.set({ state: 'total' }, s.threads);
      this.set({ state: 'busy' }, s.busy);
    },
  });
  new client.Gauge({
    name: 'sparecast_socket_clients',
    help: 'Connected socket.io clients',
    registers: [register],
    collect() {
      this.set(deps.socketClients());
    },
  });
  const duration = new client.Histogram({
    name: 'sparecast_job_duration_seconds',
    help: 'Run time of finished jobs, from start to their final state',
    labelNames: ['status'],
    buckets: DURATION_BUCKETS,
    registers: [register],
  });
  const uploads = new client.Counter({
    name: 'sparecast_upload_bytes_total',
    help: 'Bytes of demand files accepted as jobs',
    registers: [register],
  });
  const stops = new client.Histogram({
    name: 'sparecast_stop_latency_seconds',
    help: 'From a Stop request until every thread of the job has ended',
    buckets: STOP_BUCKETS,
    registers: [register],
  });

  // A job's duration is observed once, when an update first shows it final.
  const last = new Map<string, JobStatus>();
  jobs.events.on('created', (j) => {
    uploads.inc(j.file_size ?? 0);
    last.set(j.id, j.status);
  });
  jobs.events.on('updated', (j) => {
    const before = last.get(j.id);
    last.set(j.id, j.status);
    if (!isFinal(j.status) || (before && isFinal(before)) || !j.started_at || !j.completed_at) return;
    duration.observe({ status: j.status }, (Date.parse(j.completed_at) - Date.parse(j.started_at)) / 1000);
  });
  jobs.events.on('deleted', ({ id }) => last.delete(id));
  jobs.events.on('released', ({ ms }) => {
    if (ms !== undefined) stops.observe(ms / 1000);
  });

  return async (req, res, next) => {
    try {
      await allowed(req.socket.remoteAddress, req.headers, deps.auth);
      res.set('Content-Type', register.contentType);
      res.set('Cache-Control', 'no-store');
      res.send(await register.metrics());
    } catch (err) {
      next(err);
    }
  };
}

/**
 * Headers a proxy adds to say whom it forwards for. Any of them means the loopback peer is a proxy on
 * this machine relaying someone else: whatever a proxy is configured to send (nginx may send only
 * X-Real-IP; a CDN its own header), the request is not this machine's own.
 */
const PROXY_HEADERS = [
  'forwarded',
  'via',
  'x-real-ip',
  'x-client-ip',
  'client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'true-client-ip',
  'fastly-client-ip',
  'x-original-forwarded-for',
  'x-proxyuser-ip',
];

/** True when any proxy header is present (every X-Forwarded-* too). */
export function proxied(headers: Record<string, string | string[] | undefined>): boolean {
  return Object.keys(headers).some(
    (h) => headers[h] !== undefined && (h.startsWith('x-forwarded-') || PROXY_HEADERS.includes(h)),
  );
}

async function allowed(
  remote: string | undefined,
  headers: Record<string, string | string[] | undefined>,
  auth: AuthService | null,
): Promise<void> {
  if (!proxied(headers) && remote && isLoopback(remote)) return;
  const token = bearer(typeof headers.authorization === 'string' ? headers.authorization : undefined);
  const who = token && auth ? await auth.fromToken(token) : null;
  if (!who) throw new AppError(401, 'UNAUTHORIZED', 'Metrics from another machine need an admin API token.');
  if (who.role !== 'admin') throw new AppError(403, 'FORBIDDEN', 'Metrics need the admin role.');
}
