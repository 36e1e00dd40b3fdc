/**
 * createApp(deps): the express app and the typed socket.io server on one HTTP server. Never listens:
 * main.ts (and the tests, on port 0) do.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import { Server } from 'socket.io';
import type { JobService } from './jobs/job.service.js';
import { JobSeries } from './jobs/job-series.js';
import type { WorkerPool } from './jobs/worker-pool.js';
import type { Logger } from './logger.js';
import type { StoragePaths } from './storage/paths.js';
import { appRoot } from './storage/app-root.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { jobRoutes } from './http/jobs.routes.js';
import { miscRoutes } from './http/misc.routes.js';
import { createUploadReceiver } from './http/upload.js';
import { registerSocketHandlers, type IoServer } from './socket/handlers.js';

export interface AppDeps {
  jobs: JobService;
  pool: WorkerPool;
  paths: StoragePaths;
  logger: Logger;
  version: string;
  maxUploadBytes: number;
  serveClient: boolean;
}

export function createApp(deps: AppDeps): { app: express.Express; server: http.Server; io: IoServer } {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const receive = createUploadReceiver(deps.paths, deps.maxUploadBytes);

  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(miscRoutes({ jobs: deps.jobs, pool: deps.pool, paths: deps.paths, version: deps.version, receive }));
  api.use(jobRoutes({ jobs: deps.jobs, series: new JobSeries(deps.pool), paths: deps.paths, receive }));
  api.use(notFoundHandler);
  app.use('/api', api);

  const clientDir = path.join(appRoot(), 'dist', 'client');
  if (deps.serveClient && existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(path.join(clientDir, 'index.html')));
  } else if (deps.serveClient) {
    app.get('/', (_req, res) => res.type('text').send('Sparecast API is running. Build the dashboard with `npm run build`.'));
  }
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));

  const server = http.createServer(app);
  const io: IoServer = new Server(server, {
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true },
  });
  registerSocketHandlers(io, deps.jobs, deps.logger);
  return { app, server, io };
}
