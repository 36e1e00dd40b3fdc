/**
 * The parts that serve a finished job's results, made together: server.ts hands them to the service (which
 * tells each of a completed, re-planned or deleted job and of shutdown) and to the routes.
 */
import type { Logger } from '../../logger.js';
import type { StoragePaths } from '../../storage/paths.js';
import type { JobRepo } from '../job.repo.js';
import type { JobService } from '../job.service.js';
import type { WorkerPool } from '../worker-pool.js';
import type { OverrideSource } from '../override-source.js';
import { JobFrontier } from './job-frontier.js';
import { JobInventory } from './job-inventory.js';
import { JobReplan } from './job-replan.js';
import { JobSeries } from './job-series.js';
import { JobSites } from './job-sites.js';
import { JobTracking } from './job-tracking.js';
import { JobWorklist } from './job-worklist.js';
import { PlanWorkbooks } from './plan-workbooks.js';

export interface JobResults {
  series: JobSeries;
  sites: JobSites;
  workbooks: PlanWorkbooks;
  inventory: JobInventory;
  frontier: JobFrontier;
  replanner: JobReplan;
  tracking: JobTracking;
  worklist: JobWorklist;
}

/** Every part, on the interactive pool; each is a JobFeature. */
export function jobResults(
  jobs: JobService,
  repo: JobRepo,
  interactive: WorkerPool,
  paths: StoragePaths,
  logger: Logger,
  /** the overrides a re-plan applies (those in force when it runs) */
  overrides: OverrideSource | null = null,
): JobResults {
  const inventory = new JobInventory();
  const tracking = new JobTracking(jobs, repo, interactive, paths, logger);
  return {
    series: new JobSeries(interactive, paths, logger),
    sites: new JobSites(interactive),
    workbooks: new PlanWorkbooks(interactive, paths),
    inventory,
    frontier: new JobFrontier(interactive, paths),
    replanner: new JobReplan(jobs, interactive, paths, overrides),
    tracking,
    worklist: new JobWorklist(jobs, tracking, inventory, interactive, paths),
  };
}
