/**
 * A completed job held against what happened: POST /api/jobs/:id/actuals (multipart `file`, read by the demand
 * reader), DELETE /api/jobs/:id/actuals, GET /api/jobs/:id/tracking (jobs/results/job-tracking.ts) and its
 * per-series rows (GET …/tracking/rows, paged like the plan rows), and the exceptions worklist (GET
 * …/exceptions, JSON pages or a CSV/XLSX download, reasons in the request's language). Sending or
 * removing actuals takes the role of running a job, and someone else's job only as an admin (as for Delete);
 * both are in the audit trail. Reading the tracking is for every signed-in role.
 */
import { Router, type Request } from 'express';
import { AppError } from '../contract/errors.js';
import { describeZodError, jobIdSchema } from '../contract/schemas.js';
import { trackingRowsQuerySchema, type TrackingRowsDto } from '../contract/tracking.js';
import { pickLang, WORKLIST_COLUMNS, worklistQuerySchema } from '../contract/worklist.js';
import type { JobCommands } from '../jobs/job.commands.js';
import type { JobTracking } from '../jobs/results/job-tracking.js';
import type { JobWorklist } from '../jobs/results/job-worklist.js';
import { queryTrackingRows } from '../jobs/results/tracking-query.js';
import { filterWorklist, worklistPage } from '../jobs/results/worklist.js';
import { sendCsv } from './table-csv.js';
import { removeQuietly } from '../storage/paths.js';
import { requireRole } from './auth-middleware.js';
import { actorOf } from './request.js';
import { checkUploadedFile, discardUpload, type createUploadReceiver } from './upload.js';

export interface TrackingRoutesDeps {
  commands: JobCommands;
  tracking: JobTracking;
  worklist: JobWorklist;
  receive: ReturnType<typeof createUploadReceiver>;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function jobId(req: Request): string {
  const r = jobIdSchema.safeParse(req.params.id);
  if (!r.success) throw new AppError(404, 'JOB_NOT_FOUND', `No job with id ${String(req.params.id).slice(0, 64)}.`);
  return r.data;
}

export function trackingRoutes({ commands, tracking, worklist, receive }: TrackingRoutesDeps): Router {
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

  r.get('/jobs/:id/exceptions', requireRole('viewer'), async (req, res) => {
    const q = worklistQuerySchema.safeParse(req.query);
    if (!q.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(q.error));
    const id = jobId(req);
    const lang = pickLang(q.data.lang, req.get('accept-language'));
    const { list } = await worklist.list(id, lang);
    if (q.data.format === 'json') {
      res.set('Cache-Control', 'private, no-store');
      res.json(worklistPage(list, q.data, lang));
      return;
    }
    const rows = filterWorklist(list.rows, q.data);
    const name = `exceptions-${id}-${lang}`;
    if (q.data.format === 'csv') {
      await sendCsv(res, `${name}.csv`, WORKLIST_COLUMNS, rows);
      return;
    }
    const file = await worklist.xlsx(id, rows, lang);
    res.set('Cache-Control', 'private, no-store');
    res.type(XLSX_TYPE);
    res.attachment(`${name}.xlsx`);
    try {
      await new Promise<void>((resolve, reject) =>
        res.sendFile(file, (err) => (err && !res.headersSent ? reject(err) : resolve())),
      );
    } finally {
      // made for this request only
      await removeQuietly(file);
    }
  });

  return r;
}
