/**
 * /api/jobs/:id/inventory: the inventory plan of a completed job as CSV (the file as written) or XLSX, and
 * its rows and summary for the Inventory view (server/contract/inventory.ts).
 */
import { Router, type Request, type Response } from 'express';
import { AppError } from '../contract/errors.js';
import {
  inventoryRowsQuerySchema,
  type InventoryFrontierDto,
  type InventoryRowsDto,
  type InventorySummaryDto,
  type TransfersDto,
} from '../contract/inventory.js';
import { describeZodError, INVENTORY_DEFAULTS } from '../contract/schemas.js';
import { requireRole } from './auth-middleware.js';
import type { JobFrontier } from '../jobs/results/job-frontier.js';
import type { JobInventory } from '../jobs/results/job-inventory.js';
import { queryRows, summarize } from '../jobs/results/plan-query.js';
import type { JobDownloads } from '../jobs/results/job-downloads.js';
import { workbookJobOf, type PlanWorkbooks } from '../jobs/results/plan-workbooks.js';
import { readTransfers, TRANSFER_HEADER, transfersXlsx } from '../forecast/index.js';

export interface InventoryRoutesDeps {
  downloads: JobDownloads;
  workbooks: PlanWorkbooks;
  /** the plans' rows, cached (a deleted or re-planned job's are forgotten through the service) */
  plans: JobInventory;
  /** a service-level plan's frontier, made on the first summary (not waiting) or frontier request */
  frontier: JobFrontier;
  jobId: (req: Request) => string;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function inventoryRoutes({ downloads, workbooks, plans, frontier, jobId }: InventoryRoutesDeps): Router {
  const r = Router({ caseSensitive: true });
  const viewer = requireRole('viewer');

  const load = async (req: Request) => {
    const { job, file, name } = await downloads.plan(jobId(req));
    return { job, name, rows: await plans.rows(job.id, file) };
  };

  r.get('/jobs/:id/inventory', viewer, async (req: Request, res: Response) => {
    const format = req.query.format ?? 'csv';
    if (format !== 'csv' && format !== 'xlsx')
      throw new AppError(400, 'VALIDATION_ERROR', 'format must be csv or xlsx.');
    res.set('Cache-Control', 'private, no-store');
    if (format === 'csv') {
      const { file, name } = await downloads.plan(jobId(req));
      res.type('text/csv');
      res.attachment(`${name}.csv`);
      res.sendFile(file);
      return;
    }
    const { job, name } = await downloads.plan(jobId(req));
    // built once in a worker thread and kept next to the plan (jobs/results/plan-workbooks.ts)
    const xlsx = await workbooks.file(job, workbookJobOf(job));
    res.type(XLSX_TYPE);
    res.attachment(`${name}.xlsx`);
    await new Promise<void>((resolve, reject) =>
      res.sendFile(xlsx, (err: NodeJS.ErrnoException | undefined) => {
        // deleted between the build and the send: the same answer as a plan already gone
        if (err?.code === 'ENOENT' && !res.headersSent)
          reject(new AppError(410, 'OUTPUT_MISSING', 'The inventory plan of this job is no longer on the server.'));
        else if (err && !res.headersSent) reject(err);
        else resolve();
      }),
    );
  });

  /** The plan's transfers between sites: partnumber,from_site,to_site,qty,value (a header only when none). */
  r.get('/jobs/:id/inventory/transfers', viewer, async (req: Request, res: Response) => {
    const format = req.query.format ?? 'csv';
    if (format !== 'csv' && format !== 'xlsx' && format !== 'json')
      throw new AppError(400, 'VALIDATION_ERROR', 'format must be csv, xlsx or json.');
    const { file, name } = await downloads.transfers(jobId(req));
    res.set('Cache-Control', 'private, no-store');
    if (format === 'json') {
      const rows = file ? await readTransfers(file) : [];
      const body: TransfersDto = {
        rows,
        total_qty: rows.reduce((t, r) => t + r.qty, 0),
        total_value: Math.round(rows.reduce((t, r) => t + (r.value ?? 0), 0) * 100) / 100,
      };
      res.json(body);
      return;
    }
    if (format === 'csv') {
      res.type('text/csv');
      res.attachment(`${name}.csv`);
      if (file) res.sendFile(file);
      else res.send(`${TRANSFER_HEADER}\n`);
      return;
    }
    const body = await transfersXlsx(file ? await readTransfers(file) : []);
    res.type(XLSX_TYPE);
    res.attachment(`${name}.xlsx`);
    res.send(body);
  });

  r.get('/jobs/:id/inventory/rows', viewer, async (req, res) => {
    const q = inventoryRowsQuerySchema.safeParse(req.query);
    if (!q.success) throw new AppError(400, 'VALIDATION_ERROR', describeZodError(q.error));
    const { rows } = await load(req);
    const body: InventoryRowsDto = queryRows(rows, q.data);
    res.json(body);
  });

  r.get('/jobs/:id/inventory/summary', viewer, async (req, res) => {
    const { job, rows } = await load(req);
    const sl = job.config.service_level ?? INVENTORY_DEFAULTS.service_level;
    const inv = job.metrics?.inventory ?? null;
    // a service-level plan's frontier may still be in the making: the summary does not wait for it
    const peek = inv ? await frontier.peek(job) : null;
    const allocation = peek?.state === 'ready' ? peek.allocation : null;
    const body: InventorySummaryDto = {
      ...summarize(rows, sl, job.parts !== null, inv && allocation ? { ...inv, allocation } : inv),
      frontier_state: peek?.state ?? 'ready',
    };
    res.json(body);
  });

  r.get('/jobs/:id/inventory/frontier', viewer, async (req, res) => {
    // the plan's checks (404, 409 while not completed, no plan), without reading its rows
    const { job } = await downloads.plan(jobId(req));
    const a = job.metrics?.inventory ? await frontier.allocation(job) : null;
    const body: InventoryFrontierDto = {
      plan_point: a?.plan_point ?? null,
      frontier: a?.frontier ?? [],
      uniform: a?.uniform ?? [],
    };
    res.json(body);
  });

  return r;
}
