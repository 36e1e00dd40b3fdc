/**
 * A completed job held against what happened: POST /api/jobs/:id/actuals (multipart `file`, read by the demand
 * reader), DELETE /api/jobs/:id/actuals, GET /api/jobs/:id/tracking (jobs/results/job-tracking.ts) and its
 * per-series rows (GET …/tracking/rows, paged like the plan rows). Sending or
 * removing actuals takes the role of running a job, and someone else's job only as an admin (as for Delete);
 * both are in the audit trail. Reading the tracking is for every signed-in role.
 */
import { Router, type Request } from 'express';
import { AppError } from '../contract/errors.js';
import { describeZodError, jobIdSchema } from '../contract/schemas.js';
import { trackingRowsQuerySchema, type TrackingRowsDto } from '../contract/tracking.js';
import type { JobCommands } from '../jobs/job.commands.js';
import type { JobTracking } from '../jobs/results/job-tracking.js';
import { queryTrackingRows } from '../jobs/results/tracking-query.js';
import { removeQuietly } from '../storage/paths.js';
import { requireRole } from './auth-middleware.js';
import { actorOf } from './request.js';
import { checkUploadedFile, discardUpload, type createUploadReceiver } from './upload.js';

export interface TrackingRoutesDeps {
  commands: JobCommands;
  tracking: JobTracking;
  receive: ReturnType<typeof createUploadReceiver>;
}

function jobId(req: Request): string {
  const r = jobIdSchema.safeParse(req.params.id);
  if (!r.success) throw new AppError(404, 'JOB_NOT_FOUND', `No job with id ${String(req.params.id).slice(0, 64)}.`);
  return r.data;
}

export function trackingRoutes({ commands, tracking, receive }: TrackingRoutesDeps): Router {
  const r = Router({ caseSensitive: true });

  r.post('/jobs/:id/actuals', requireRole('planner'), async (req, res) => {
    const id = jobId(req);
    const upload = await receive(req, res);
    try {
      // one file only: a parts file sent along has no meaning here
      await removeQuietly(upload.parts?.tmpPath);
      const file = { ...upload, parts: null };
      await checkUploadedFile(file);
      const out = await commands.actuals(actorOf(req), id, 'job.actuals', upload.originalName, () =>
        tracking.attach(id, { tmpPath: upload.tmpPath, originalName: upload.originalName, size: upload.size }),
      );
      res.status(201).json(out);
    } finally {
      await discardUpload(upload);
    }
  });

  r.delete('/jobs/:id/actuals', requireRole('planner'), async (req, res) => {
    const id = jobId(req);
    await commands.actuals(actorOf(req), id, 'job.actuals_delete', 'actuals removed', () => tracking.detach(id));
    res.status(204).end();
  });

  r.get('/jobs/:id/tracking', requireRole('viewer'), async (req, res) => {
    res.json(await tracking.get(jobId(req)));
  });

  r.get('/jobs/:id/tracking/rows', requireRole('viewer'), async (req, res) => {
    const q = trackingRowsQuerySchema.safeParse(req.query);
    if (!q.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(q.error));
    const t = await tracking.tracked(jobId(req));
    const body: TrackingRowsDto = t
      ? queryTrackingRows(t.rows, t.labels, q.data)
      : { state: 'none', total: 0, page: q.data.page, page_size: q.data.page_size, periods: [], rows: [] };
    res.json(body);
  });

  return r;
}
