/**
 * /api/health, /api/preview (look at a file before running it) and /api/sample (one-click demo).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { HealthDto } from '../contract/dto.js';
import { AppError } from '../contract/errors.js';
import { engine } from '../forecast/index.js';
import { InputError } from '../forecast/types.js';
import type { JobService } from '../jobs/job.service.js';
import type { WorkerPool } from '../jobs/worker-pool.js';
import { appRoot } from '../storage/app-root.js';
import { removeQuietly, type StoragePaths } from '../storage/paths.js';
import { checkUploadedFile, parseConfigField, type createUploadReceiver } from './upload.js';

export interface MiscRoutesDeps {
  jobs: JobService;
  pool: WorkerPool;
  paths: StoragePaths;
  version: string;
  receive: ReturnType<typeof createUploadReceiver>;
}

export const SAMPLE_FILE = 'sample-demand.csv';

export function miscRoutes({ jobs, pool, paths, version, receive }: MiscRoutesDeps): Router {
  const r = Router();

  r.get('/health', (_req, res) => {
    const body: HealthDto = { ok: true, version, pool: pool.stats() };
    res.json(body);
  });

  r.post('/preview', async (req, res) => {
    const upload = await receive(req, res);
    try {
      await checkUploadedFile(upload);
      const date_format = parseConfigField(JSON.stringify({ date_format: upload.fields.date_format || 'auto' })).date_format;
      const preview = await engine.previewDemand(upload.tmpPath, upload.originalName, { date_format }).catch((err: unknown) => {
        if (err instanceof InputError) throw new AppError(400, err.code, err.message);
        throw err;
      });
      res.json({ ...preview, filename: upload.originalName });
    } finally {
      await removeQuietly(upload.tmpPath);
    }
  });

  r.post('/sample', async (req, res) => {
    const body = (req.body ?? {}) as { config?: unknown };
    const config = parseConfigField(JSON.stringify(body.config ?? { forecast_horizon: 30 }));
    const tmp = paths.tmpFile('sample');
    await fs.copyFile(path.join(appRoot(), 'server', 'assets', SAMPLE_FILE), tmp);
    try {
      const { size } = await fs.stat(tmp);
      res.status(201).json(await jobs.create({ tmpPath: tmp, originalName: SAMPLE_FILE, size, config }));
    } finally {
      await removeQuietly(tmp);
    }
  });

  return r;
}
