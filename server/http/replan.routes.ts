/**
 * POST /api/jobs/:id/inventory/plan: re-plan a completed job's inventory plan at other job-wide settings
 * (jobs/job-replan.ts). The same role as running a job; recorded in the audit trail as job.replan.
 */
import { Router } from 'express';
import { AppError } from '../contract/errors.js';
import { replanSchema } from '../contract/inventory.js';
import { describeZodError, jobIdSchema } from '../contract/schemas.js';
import { requireRole } from './auth-middleware.js';
import type { JobCommands } from '../jobs/job.commands.js';
import type { JobReplan } from '../jobs/job-replan.js';
import { actorOf } from './request.js';

export interface ReplanRoutesDeps {
  commands: JobCommands;
  replanner: JobReplan;
}

export function replanRoutes({ commands, replanner }: ReplanRoutesDeps): Router {
  const r = Router();
  r.post('/jobs/:id/inventory/plan', requireRole('planner'), async (req, res) => {
    const id = jobIdSchema.safeParse(req.params.id);
    if (!id.success) throw new AppError(404, 'JOB_NOT_FOUND', `No job with id ${String(req.params.id).slice(0, 64)}.`);
    const body = replanSchema.safeParse(req.body ?? {});
    if (!body.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(body.error));
    const change = body.data;
    const detail = Object.entries(change)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    const out = await commands.replan(actorOf(req), id.data, detail || 'same settings', () =>
      replanner.replan(id.data, change),
    );
    res.json(out);
  });
  return r;
}
