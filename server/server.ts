/**
 * Wires the parts in order and returns a handle that shuts them down in order:
 * config → storage (refused if the database is lost) → db + migrations → reconcile → pool → jobs → app
 * → listen.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { isLoopback, type Config } from './config.js';
import { allowedHosts } from './http/origin.js';
import { AuthService } from './auth/auth.service.js';
import { AuthRepo } from './auth/auth.repo.js';
import { openDatabase, type Database } from './db/database.js';
import { JobRepo } from './jobs/job.repo.js';
import { JobRunner } from './jobs/job.runner.js';
import { JobService } from './jobs/job.service.js';
import { OverrideService } from './jobs/override.service.js';
import { jobResults, type JobResults } from './jobs/results/job-results.js';
import { reconcile } from './jobs/reconcile.js';
import { WorkerPool } from './jobs/worker-pool.js';
import { Watchdog } from './jobs/watchdog.js';
import type { Logger } from './logger.js';
import { refuseNewDatabaseOverFiles } from './storage/boot-guard.js';
import { ensureStorage, storagePaths, type StoragePaths } from './storage/paths.js';
import { pruneQuarantine } from './storage/quarantine.js';

export interface ServerOverrides {
  /** A worker module implementing the worker protocol (tests use fixture workers). */
  workerFile?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  jobs: JobService;
  pool: WorkerPool;
  auth: AuthService | null;
  /** The one-time first-admin link, while there are no users. */
  setupUrl: string | null;
  watchdog: Watchdog;
  db: Database;
  paths: StoragePaths;
  /** Graceful: stop accepting, requeue running jobs, close sockets and HTTP, pool, DB. */
  close(): Promise<void>;
}

/**
 * Files and folders this process creates (uploads, forecasts, the database, quarantine) are its own
 * user's only: 0600 / 0700. A worker thread cannot set the umask; its process's one applies there.
 */
function privateUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    /* not the main thread (an embedding test runner): ensureStorage still closes the folders */
  }
}

export async function startServer(
  config: Config,
  logger: Logger,
  overrides: ServerOverrides = {},
): Promise<RunningServer> {
  privateUmask();
  const paths = storagePaths(config.storageDir);
  // Before anything is created: a lost database must not turn every stored file into a stray.
  await refuseNewDatabaseOverFiles(paths);
  await ensureStorage(paths);
  const db = await openDatabase(paths.db);
  await ensureStorage(paths); // again: the database files exist now (0600 even if an older release made them)
  const repo = new JobRepo(db);
  const report = await reconcile(repo, paths, logger);
  await pruneQuarantine(paths, config.QUARANTINE_DAYS, logger);

  const pool = new WorkerPool({
    threads: config.WORKERS,
    maxOldGenerationSizeMb: config.WORKER_MAX_OLD_MB,
    workerFile: overrides.workerFile,
  });
  // Started on demand (previews, chart history) and let go after a minute idle.
  const interactive = new WorkerPool({
    threads: 1,
    minThreads: 0,
    maxOldGenerationSizeMb: config.WORKER_MAX_OLD_MB,
    workerFile: overrides.workerFile,
  });
  const auth =
    config.AUTH === 'on'
      ? new AuthService(new AuthRepo(db), {
          sessionTtlMs: config.SESSION_TTL,
          lockoutThreshold: config.LOCKOUT_AFTER,
          lockoutMs: config.LOCKOUT_FOR,
          logger,
        })
      : null;
  // the planners' overrides: every job applies those in force when it starts, every re-plan those in force now
  const planOverrides = new OverrideService(db, auth);
  const runner = new JobRunner(pool, config.STOP_GRACE_MS);
  // What serves finished jobs' results, on the interactive pool (a planner waits for them); the service tells
  // each, once, of a completed, re-planned or deleted job and of shutdown.
  let results!: JobResults;
  const jobs = new JobService(
    repo,
    runner,
    paths,
    logger,
    {
      concurrency: config.JOB_CONCURRENCY,
      progressIntervalMs: config.PROGRESS_INTERVAL_MS,
      updateIntervalMs: config.UPDATE_INTERVAL_MS,
      maxQueuedPerUser: config.MAX_QUEUED_PER_USER,
      maxQueued: config.MAX_QUEUED,
      overrides: planOverrides,
    },
    (service) => Object.values((results = jobResults(service, repo, interactive, paths, logger, planOverrides))),
  );
  const { server, io } = createApp({
    auth,
    overrides: planOverrides,
    interactive,
    uploadsPerMinute: config.UPLOADS_PER_MINUTE,
    replansPerMinute: config.REPLANS_PER_MINUTE,
    loginPerMinute: config.LOGIN_PER_MINUTE,
    jobs,
    results,
    pool,
    paths,
    logger,
    version: config.version,
    maxUploadBytes: Math.round(config.MAX_UPLOAD_MB * 1024 * 1024),
    serveClient: config.SERVE_CLIENT,
    metrics: config.METRICS === 'on',
    allowedHosts: allowedHosts(config.ALLOWED_HOSTS, config.HOST),
    trustProxy: config.TRUST_PROXY,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  jobs.enqueue(report.requeued);
  const watchdog = new Watchdog(
    jobs,
    {
      stallAfterMs: config.STALL_AFTER,
      silentAfterMs: config.SILENT_AFTER,
      timeoutMs: config.JOB_TIMEOUT,
      intervalMs: Math.max(50, config.WATCHDOG_INTERVAL),
      retentionDays: config.RETENTION_DAYS,
      pruneQuarantine: (now) => pruneQuarantine(paths, config.QUARANTINE_DAYS, logger, now),
    },
    logger,
  );
  watchdog.start();
  const sessionSweep = setInterval(
    () => auth?.sweepSessions().catch((err: unknown) => logger.error({ err }, 'session sweep failed')),
    60_000,
  );
  sessionSweep.unref();
  const setupToken = await auth?.newSetupToken();
  const setupUrl = setupToken
    ? `http://${isLoopback(config.HOST) ? host : '127.0.0.1'}:${port}/#/setup?token=${setupToken}`
    : null;
  // The link is a secret (whoever opens it first becomes admin): main.ts prints it on the console;
  // JSON logs are shipped and kept, so they only say that it was printed.
  if (setupUrl) logger.warn('No users yet: a one-time first-admin setup link was printed on the console (stdout).');

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    jobs,
    pool,
    auth,
    setupUrl,
    watchdog,
    db,
    paths,
    close() {
      closing ??= (async () => {
        watchdog.stop();
        clearInterval(sessionSweep);
        await jobs.shutdown();
        await new Promise<void>((resolve) => io.close(() => resolve())); // also closes the HTTP server
        await Promise.all([pool.destroy(), interactive.destroy()]);
        await db.close();
      })();
      return closing;
    },
  };
}
