/**
 * createApp(deps): the express app and the typed socket.io server on one HTTP server. Never listens:
 * main.ts (and the tests, on port 0) do.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from './contract/errors.js';
import type { AuthService } from './auth/auth.service.js';
import { authRoutes } from './http/auth.routes.js';
import { allowedHostOnly, identify, sameOriginOnly } from './http/auth-middleware.js';
import { JobCommands } from './jobs/job.commands.js';
import { JobDownloads } from './jobs/results/job-downloads.js';
import { Server } from 'socket.io';
import type { JobService } from './jobs/job.service.js';
import type { JobResults } from './jobs/results/job-results.js';
import type { WorkerPool } from './jobs/worker-pool.js';
import type { Logger } from './logger.js';
import type { StoragePaths } from './storage/paths.js';
import { appRoot } from './storage/app-root.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { hostAllowed, originVerdict, type HostAllowList } from './http/origin.js';
import { jobRoutes } from './http/jobs.routes.js';
import { replanRoutes } from './http/replan.routes.js';
import { trackingRoutes } from './http/tracking.routes.js';
import { overrideRoutes } from './http/overrides.routes.js';
import type { OverrideService } from './jobs/override.service.js';
import { metricsHandler } from './http/metrics.js';
import { miscRoutes } from './http/misc.routes.js';
import { refuseWhenDiskFull, storageHealth } from './http/storage-health.js';
import { createUploadReceiver } from './http/upload.js';
import { registerSocketHandlers, type IoServer } from './socket/handlers.js';

export interface AppDeps {
  jobs: JobService;
  results: JobResults;
  /** the planners' overrides of the plan */
  overrides: OverrideService;
  pool: WorkerPool;
  interactive: WorkerPool;
  paths: StoragePaths;
  logger: Logger;
  version: string;
  maxUploadBytes: number;
  serveClient: boolean;
  /** null with AUTH=off. */
  auth: AuthService | null;
  uploadsPerMinute: number;
  /** Re-plans per user per minute (REPLANS_PER_MINUTE). */
  replansPerMinute: number;
  loginPerMinute: number;
  /** GET /metrics on or off. */
  metrics: boolean;
  /** Host names the pages, the API and the socket answer to (ALLOWED_HOSTS). */
  allowedHosts: HostAllowList;
  /** express `trust proxy` (TRUST_PROXY): req.ip and req.secure from X-Forwarded-* of these hops. */
  trustProxy?: boolean | number | string;
}

export function createApp(deps: AppDeps): { app: express.Express; server: http.Server; io: IoServer } {
  const app = express();
  // `/Metrics` or `/API/…` is not `/metrics` or `/api/…`: a proxy's case-sensitive rules (nginx
  // `location /metrics { deny all; }`) must not be walked around. Set before the first route.
  app.set('case sensitive routing', true);
  app.disable('x-powered-by');
  app.set('etag', false);
  // Behind a TLS proxy: the client's address for lockouts, limits and the audit; Secure cookies.
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          // 'self' covers the page's own ws:/wss: origin (CSP Level 3), and no other host.
          'connect-src': ["'self'"],
          // Served over plain http on an office network: do not ask browsers to upgrade.
          'upgrade-insecure-requests': null,
        },
      },
      strictTransportSecurity: false,
    }),
  );
  // Before any route: the pages and the API alike answer only to our own host names.
  app.use(allowedHostOnly(deps.allowedHosts));
  const receive = createUploadReceiver(deps.paths, deps.maxUploadBytes);
  const commands = new JobCommands(deps.jobs, deps.auth);
  const uploads = rateLimit({
    windowMs: 60_000,
    limit: deps.uploadsPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => req.user?.id ?? ipKeyGenerator(req.ip ?? ''),
    // Only what sends a file: POST /jobs, /preview, /sample — not Stop or rerun under /jobs/:id (a Stop
    // must never be refused for uploads; reruns are bounded by the queue caps). A single local user
    // (AUTH=off) is not rate-limited.
    skip: (req) => req.method !== 'POST' || req.path !== '/' || req.via === 'off',
    handler: (_req, _res, next) =>
      next(new AppError(429, 'RATE_LIMITED', 'Too many uploads in a minute; wait a moment.')),
  });

  const api = express.Router({ caseSensitive: true });
  // Answers carry jobs, series, users and audit lines: never kept by a shared or a disk cache.
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    next();
  });
  api.use(identify(deps.auth));
  api.use(sameOriginOnly);
  api.use(express.json({ limit: '1mb' }));
  api.use(authRoutes(deps.auth, { loginPerMinute: deps.loginPerMinute }));
  api.use(['/jobs', '/preview', '/sample'], uploads);
  // a full disk refuses new jobs up front, as /api/health reports it (not after a 201 and a lost job)
  const storage = storageHealth(deps.paths);
  api.use(refuseWhenDiskFull(storage));
  api.use(
    miscRoutes({
      storage,
      commands,
      pool: deps.pool,
      interactive: deps.interactive,
      paths: deps.paths,
      version: deps.version,
      receive,
    }),
  );
  // what serves a finished job's results: made in server.ts, where the service is told of them
  const { series, sites, workbooks, inventory, frontier, replanner, tracking, worklist } = deps.results;
  // the checked files behind downloads, reruns and charts (it keeps nothing of a job: not a JobFeature)
  const downloads = new JobDownloads(deps.jobs, deps.paths);
  api.use(
    jobRoutes({
      jobs: deps.jobs,
      commands,
      downloads,
      series,
      sites,
      workbooks,
      inventory,
      frontier,
      paths: deps.paths,
      receive,
    }),
  );
  api.use(replanRoutes({ commands, replanner, perMinute: deps.replansPerMinute }));
  api.use(trackingRoutes({ commands, tracking, worklist, receive }));
  api.use(overrideRoutes({ overrides: deps.overrides, interactive: deps.interactive, receive }));
  api.use(notFoundHandler);
  app.use('/api', api);

  let io: IoServer | null = null;
  if (deps.metrics) {
    const socketClients = () => io?.engine.clientsCount ?? 0;
    app.get('/metrics', metricsHandler({ jobs: deps.jobs, pool: deps.pool, auth: deps.auth, socketClients }));
  }

  const clientDir = path.join(appRoot(), 'dist', 'client');
  if (deps.serveClient && existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/).*/i, (_req, res) => res.sendFile(path.join(clientDir, 'index.html')));
  } else if (deps.serveClient) {
    app.get('/', (_req, res) =>
      res.type('text').send('Sparecast API is running. Build the dashboard with `npm run build`.'),
    );
  }
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));

  const server = http.createServer(app);
  io = new Server(server, {
    serveClient: false,
    // Recovered connections go through the sign-in check again (a session may have ended meanwhile).
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    // The handshake follows the REST rules: our host names only, and never from another origin's page
    // (a browser sends our cookie along with a WebSocket from any page of the same site).
    allowRequest: (req, done) => {
      if (!hostAllowed(req.headers.host, deps.allowedHosts)) return done('HOST_NOT_ALLOWED', false);
      if (originVerdict(req.headers) === 'cross') return done('CSRF', false);
      done(null, true);
    },
  });
  registerSocketHandlers(io, { jobs: deps.jobs, commands, auth: deps.auth }, deps.logger);
  return { app, server, io };
}
