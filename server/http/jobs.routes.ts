/**
 * /api/jobs: upload, list, read, stop, rerun, delete, download (the inventory plan: inventory.routes.ts).
 */
import { promises as fs } from 'node:fs';
import { Router, type Request, type Response } from 'express';
import { AppError } from '../contract/errors.js';
import {
  jobIdSchema,
  listQuerySchema,
  jobConfigSchema,
  describeZodError,
  jobNameSchema,
  jobPatchSchema,
  seriesKeysQuerySchema,
} from '../contract/schemas.js';
import type { JobConfig, JobSitesDto, SeriesDto, SeriesKeysDto } from '../contract/dto.js';
import type { JobService } from '../jobs/job.service.js';
import type { JobCommands } from '../jobs/job.commands.js';
import type { JobDownloads } from '../jobs/results/job-downloads.js';
import { requireRole } from './auth-middleware.js';
import { actorOf } from './request.js';
import { storageError } from './errors.js';
import type { JobSeries, SeriesSource } from '../jobs/results/job-series.js';
import type { JobSites } from '../jobs/results/job-sites.js';
import { removeQuietly, type StoragePaths } from '../storage/paths.js';
import { inventoryRoutes } from './inventory.routes.js';
import type { JobFrontier } from '../jobs/results/job-frontier.js';
import type { JobInventory } from '../jobs/results/job-inventory.js';
import type { PlanWorkbooks } from '../jobs/results/plan-workbooks.js';
import { checkUploadedFile, discardUpload, parseConfigField, type createUploadReceiver } from './upload.js';

export interface JobRoutesDeps {
  jobs: JobService;
  commands: JobCommands;
  /** the checked files behind downloads, reruns and charts */
  downloads: JobDownloads;
  series: JobSeries;
  sites: JobSites;
  paths: StoragePaths;
  workbooks: PlanWorkbooks;
  inventory: JobInventory;
  frontier: JobFrontier;
  receive: ReturnType<typeof createUploadReceiver>;
}

/** The `name` of a job being created (a form or JSON field); VALIDATION_ERROR when it is not one. */
function parseName(raw: unknown): string | null {
  const r = jobNameSchema.safeParse(raw);
  if (!r.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(r.error));
  return r.data;
}

function jobId(req: Request): string {
  const r = jobIdSchema.safeParse(req.params.id);
  if (!r.success) throw new AppError(404, 'JOB_NOT_FOUND', `No job with id ${String(req.params.id).slice(0, 64)}.`);
  return r.data;
}

export function jobRoutes(deps: JobRoutesDeps): Router {
  const { jobs, commands, downloads, series, sites, workbooks, inventory, frontier, paths, receive } = deps;
  const r = Router({ caseSensitive: true });
  const viewer = requireRole('viewer');
  const planner = requireRole('planner');

  r.post('/jobs', planner, async (req: Request, res: Response) => {
    const upload = await receive(req, res);
    try {
      const config = parseConfigField(upload.fields.config);
      needsCosts(config, upload.parts !== null);
      const name = parseName(upload.fields.name);
      await checkUploadedFile(upload);
      const job = await commands.create(
        actorOf(req),
        {
          tmpPath: upload.tmpPath,
          originalName: upload.originalName,
          size: upload.size,
          config,
          name,
          parts: upload.parts,
        },
        'job.upload',
      );
      res.status(201).json(job);
    } finally {
      await discardUpload(upload); // moved into uploads/ on success; removed on any failure
    }
  });

  r.get('/jobs', viewer, async (req, res) => {
    const q = listQuerySchema.safeParse(req.query);
    if (!q.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(q.error));
    res.json(await jobs.list(q.data));
  });

  r.get('/jobs/:id', viewer, async (req, res) => {
    res.json(await jobs.get(jobId(req)));
  });

  // what a person may change afterwards: the job's name
  r.patch('/jobs/:id', planner, async (req, res) => {
    const id = jobId(req);
    const body = jobPatchSchema.safeParse(req.body ?? {});
    if (!body.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(body.error));
    res.json(await commands.rename(actorOf(req), id, body.data.name));
  });

  r.get('/jobs/:id/log', viewer, async (req, res) => {
    const id = jobId(req);
    res.json({ id, lines: await jobs.log(id) });
  });

  r.post('/jobs/:id/stop', planner, async (req, res) => {
    res.json(await commands.stop(actorOf(req), jobId(req)));
  });

  r.post('/jobs/:id/rerun', planner, async (req, res) => {
    const id = jobId(req);
    const { job, file, parts } = await downloads.upload(id);
    const body = (req.body ?? {}) as { config?: unknown; name?: unknown };
    // a new name, or the source job's
    const name = body.name === undefined ? job.name : parseName(body.name);
    let config: JobConfig = job.config;
    if (body.config !== undefined) {
      const c = jobConfigSchema.safeParse(body.config);
      if (!c.success) throw new AppError(400, 'INVALID_CONFIG', `Invalid config: ${describeZodError(c.error)}`);
      config = c.data;
    }
    needsCosts(config, job.parts !== null);
    // copies, not links: the new job's files live and die with it, apart from this one's
    const tmp = paths.tmpFile('rerun');
    const partsTmp = parts && job.parts ? paths.tmpFile('rerun-parts') : null;
    try {
      try {
        await fs.copyFile(file, tmp);
        if (parts && partsTmp) await fs.copyFile(parts, partsTmp);
      } catch (err) {
        // A full disk or unwritable tmp/ is not a lost upload: say which it is.
        throw (
          storageError(err) ??
          new AppError(
            410,
            'OUTPUT_MISSING',
            `The uploaded ${partsTmp ? 'files' : 'file'} of this job ${partsTmp ? 'are' : 'is'} no longer on the server; upload again.`,
          )
        );
      }
      const partsFile =
        job.parts && partsTmp ? { tmpPath: partsTmp, originalName: job.parts.filename, size: job.parts.size } : null;
      res
        .status(201)
        .json(
          await commands.create(
            actorOf(req),
            { tmpPath: tmp, originalName: job.filename, size: job.file_size, config, name, parts: partsFile },
            'job.rerun',
            id,
          ),
        );
    } finally {
      await Promise.all([removeQuietly(tmp), removeQuietly(partsTmp)]);
    }
  });

  r.delete('/jobs/:id', planner, async (req, res) => {
    const force = req.query.force === 'true' || req.query.force === '1';
    await commands.remove(actorOf(req), jobId(req), force);
    res.status(204).end();
  });

  r.get('/jobs/:id/download', viewer, async (req, res) => {
    const { file, name } = await downloads.output(jobId(req));
    res.type('text/csv');
    res.attachment(name);
    // A forecast is business data: no shared cache or browser disk cache keeps a copy.
    res.set('Cache-Control', 'private, no-store');
    res.sendFile(file, { cacheControl: false });
  });

  r.get('/jobs/:id/sites', viewer, async (req, res) => {
    const id = jobId(req);
    const { job, file } = await downloads.upload(id);
    const body: JobSitesDto = { id, sites: await sites.sites(id, file, job.filename, job.config) };
    res.json(body);
  });

  // The job's series, from its index: a bounded read per request (see jobs/results/job-series.ts).
  const seriesSource = async (id: string): Promise<SeriesSource> => {
    await downloads.output(id); // a completed job whose forecast is still there
    return series.source(await jobs.find(id));
  };

  r.get('/jobs/:id/series/keys', viewer, async (req, res) => {
    const id = jobId(req);
    const q = seriesKeysQuerySchema.safeParse(req.query);
    if (!q.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(q.error));
    const body: SeriesKeysDto = await series.keys(await seriesSource(id), q.data.q, q.data.limit);
    res.json(body);
  });

  r.get('/jobs/:id/series', viewer, async (req, res) => {
    const id = jobId(req);
    const partnumber = typeof req.query.partnumber === 'string' ? req.query.partnumber : '';
    const site = typeof req.query.site_code === 'string' ? req.query.site_code : '';
    if (!partnumber || !site) throw new AppError(400, 'VALIDATION_ERROR', 'Give both partnumber and site_code.');
    const body: SeriesDto | null = await series.series(await seriesSource(id), partnumber, site);
    if (!body) throw new AppError(404, 'NOT_FOUND', `Job ${id} has no forecast for part ${partnumber} at ${site}.`);
    res.json(body);
  });

  r.use(inventoryRoutes({ downloads, workbooks, plans: inventory, frontier, jobId }));

  return r;
}

/** A budget or fill-rate plan spends money: without a parts file there is no unit cost to spend it on. */
function needsCosts(config: JobConfig, hasParts: boolean): void {
  const mode = config.plan_mode ?? 'service_level';
  if (mode !== 'service_level' && !hasParts)
    throw new AppError(
      400,
      'NO_COSTS',
      `plan_mode ${mode} needs unit costs: send a parts file with a unit_cost column, or plan by service_level.`,
    );
}
