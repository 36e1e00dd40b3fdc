/**
 * /api/health, /api/preview (look at a file before running it) and /api/sample (one-click demo).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { HealthDto, PreviewDto } from '../contract/dto.js';
import { AppError, isErrorCode } from '../contract/errors.js';
import type { JobCommands } from '../jobs/job.commands.js';
import { requireRole } from './auth-middleware.js';
import { actorOf } from './request.js';
import { WorkerInputError, type WorkerPool } from '../jobs/worker-pool.js';
import { appRoot } from '../storage/app-root.js';
import { removeQuietly, type StoragePaths } from '../storage/paths.js';
import type { StorageProblem } from './storage-health.js';
import {
  checkUploadedFile,
  discardUpload,
  parseConfigValue,
  parseDateFormatField,
  type createUploadReceiver,
} from './upload.js';

export interface MiscRoutesDeps {
  commands: JobCommands;
  pool: WorkerPool;
  /** A small pool for what a person waits on (preview, chart history), apart from job threads. */
  interactive: WorkerPool;
  paths: StoragePaths;
  version: string;
  receive: ReturnType<typeof createUploadReceiver>;
  /** The storage check shared with the upload gate (storage-health.ts). */
  storage: () => Promise<StorageProblem | null>;
}

const SAMPLE_FILE = 'sample-demand.csv';
const PREVIEW_TIMEOUT_MS = 120_000;

export function miscRoutes({ commands, pool, interactive, paths, version, receive, storage }: MiscRoutesDeps): Router {
  const r = Router({ caseSensitive: true });
  r.get('/health', async (_req, res) => {
    const problem = await storage();
    const body: HealthDto = { ok: !problem, version, pool: pool.stats(), ...(problem ? { problem } : {}) };
    res.status(problem ? 503 : 200).json(body);
  });

  r.post('/preview', requireRole('planner'), async (req, res) => {
    const upload = await receive(req, res);
    try {
      // A bad parts file is its own answer, next to the demand file's preview (which does not need it),
      // except for replaced_by links that loop: a 400, as at upload.
      let partsError: PreviewDto['parts_file_error'] = null;
      await checkUploadedFile(upload, (err) => {
        // replacements that loop (or chain absurdly) are refused, as at upload: no plan could use them
        if (err.code === 'SUPERSESSION_CYCLE' || err.code === 'SUPERSESSION_TOO_LONG') throw err;
        partsError = { filename: upload.parts?.originalName ?? '', code: err.code, message: err.message };
      });
      const date_format = parseDateFormatField(upload.fields.date_format);
      // Parsing a big file takes seconds: do it on the interactive thread, never on the event loop.
      const task = {
        kind: 'preview' as const,
        filePath: upload.tmpPath,
        originalName: upload.originalName,
        date_format,
        parts:
          upload.parts && !partsError
            ? { filePath: upload.parts.tmpPath, originalName: upload.parts.originalName }
            : null,
      };
      const r = await interactive.call(task, { timeoutMs: PREVIEW_TIMEOUT_MS }).catch((err: unknown) => {
        // The worker protocol carries the engine's code as a string; all of them are in the closed set.
        if (err instanceof WorkerInputError)
          throw new AppError(400, isErrorCode(err.code) ? err.code : 'INVALID_INPUT', err.message);
        throw err;
      });
      const body: PreviewDto = { ...r.preview, filename: upload.originalName };
      if (partsError) body.parts_file_error = partsError;
      res.json(body);
    } finally {
      await discardUpload(upload);
    }
  });

  r.post('/sample', requireRole('planner'), async (req, res) => {
    const body = (req.body ?? {}) as { config?: unknown };
    const config = parseConfigValue(body.config ?? { forecast_horizon: 30 });
    const tmp = paths.tmpFile('sample');
    await fs.copyFile(path.join(appRoot(), 'server', 'assets', SAMPLE_FILE), tmp);
    try {
      const { size } = await fs.stat(tmp);
      res
        .status(201)
        .json(
          await commands.create(actorOf(req), { tmpPath: tmp, originalName: SAMPLE_FILE, size, config }, 'job.sample'),
        );
    } finally {
      await removeQuietly(tmp);
    }
  });

  return r;
}
