/**
 * The planners' overrides: GET /api/overrides (every signed-in role), POST /api/overrides and
 * DELETE /api/overrides/:id (planners and admins; every change in the audit trail). A POST for a part, site
 * and kind that has one already replaces it (its answer names the one replaced).
 */
import { Router } from 'express';
import { AppError, isErrorCode } from '../contract/errors.js';
import { checkOverride, overrideBodySchema, overrideIdSchema, overrideListQuerySchema } from '../contract/overrides.js';
import { describeZodError } from '../contract/schemas.js';
import type { OverrideService } from '../jobs/override.service.js';
import { WorkerInputError, type WorkerPool } from '../jobs/worker-pool.js';
import { removeQuietly } from '../storage/paths.js';
import { requireRole } from './auth-middleware.js';
import { actorOf } from './request.js';
import { checkOverridesUpload, discardUpload, type createUploadReceiver } from './upload.js';

export interface OverrideRoutesDeps {
  overrides: OverrideService;
  /** the thread a person waits on (a big file is read there, not on the event loop) */
  interactive: WorkerPool;
  receive: ReturnType<typeof createUploadReceiver>;
}

const IMPORT_TIMEOUT_MS = 120_000;

export function overrideRoutes({ overrides, interactive, receive }: OverrideRoutesDeps): Router {
  const r = Router({ caseSensitive: true });

  r.get('/overrides', requireRole('viewer'), async (req, res) => {
    const q = overrideListQuerySchema.safeParse(req.query);
    if (!q.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(q.error));
    res.json(await overrides.list(q.data));
  });

  r.post('/overrides', requireRole('planner'), async (req, res) => {
    const body = overrideBodySchema.safeParse(req.body ?? {});
    if (!body.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(body.error));
    const checked = checkOverride(body.data, overrides.today());
    if (!checked.ok) throw new AppError(400, checked.problem.code, checked.problem.message);
    res.status(201).json(await overrides.set(actorOf(req), checked.override));
  });

  // many at once: multipart `file` (CSV or XLSX), every row valid or none set (one transaction)
  r.post('/overrides/import', requireRole('planner'), async (req, res) => {
    const upload = await receive(req, res);
    try {
      await removeQuietly(upload.parts?.tmpPath); // one file only
      await checkOverridesUpload(upload);
      const task = {
        kind: 'overrides-file' as const,
        filePath: upload.tmpPath,
        originalName: upload.originalName,
        today: overrides.today(),
      };
      const r = await interactive.call(task, { timeoutMs: IMPORT_TIMEOUT_MS }).catch((err: unknown) => {
        if (err instanceof WorkerInputError) {
          const code = err.code === 'INVALID_INPUT' ? 'OVERRIDES_FILE_INVALID' : err.code;
          throw new AppError(400, isErrorCode(code) ? code : 'INVALID_INPUT', err.message);
        }
        throw err;
      });
      res.status(201).json(await overrides.importMany(actorOf(req), upload.originalName, r.rows));
    } finally {
      await discardUpload(upload);
    }
  });

  r.delete('/overrides/:id', requireRole('planner'), async (req, res) => {
    const id = overrideIdSchema.safeParse(req.params.id);
    if (!id.success)
      throw new AppError(404, 'OVERRIDE_NOT_FOUND', `No override with id ${String(req.params.id).slice(0, 64)}.`);
    res.json(await overrides.remove(actorOf(req), id.data));
  });

  return r;
}
