/**
 * POST /api/jobs/:id/inventory/plan: re-plan a completed job's inventory plan at other job-wide settings
 * (jobs/results/job-replan.ts). The same role as running a job, and someone else's job only as an admin (as for
 * Delete); recorded in the audit trail as job.replan. At most REPLANS_PER_MINUTE per user: re-plans
 * share the interactive thread with previews and charts.
 */
import { Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../contract/errors.js';
import { replanSchema } from '../contract/inventory.js';
import { describeZodError, jobIdSchema } from '../contract/schemas.js';
import { requireRole } from './auth-middleware.js';
import type { JobCommands } from '../jobs/job.commands.js';
import type { JobReplan } from '../jobs/results/job-replan.js';
import { actorOf } from './request.js';

export interface ReplanRoutesDeps {
  commands: JobCommands;
  replanner: JobReplan;
  /** Re-plans per user per minute. */
  perMinute: number;
}

export function replanRoutes({ commands, replanner, perMinute }: ReplanRoutesDeps): Router {
  const r = Router({ caseSensitive: true });
  const limit = rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => req.user?.id ?? ipKeyGenerator(req.ip ?? ''),
    // a single local user (AUTH=off) is not rate-limited, as for uploads
    skip: (req) => req.via === 'off',
    handler: (_req, _res, next) =>
      next(new AppError(429, 'RATE_LIMITED', `Too many re-plans in a minute (at most ${perMinute}); wait a moment.`)),
  });
  r.post('/jobs/:id/inventory/plan', requireRole('planner'), limit, async (req, res) => {
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
