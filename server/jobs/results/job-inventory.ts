/**
 * The inventory plan of a finished job for its Inventory view: the plan CSV (written when the job completed)
 * read once per job into rows and kept for a few jobs; plan-query.ts filters, sorts, pages and totals them
 * per request. A deleted or re-planned job's plan is forgotten.
 */
import type { PlanRowDto } from '../../contract/inventory.js';
import { readPlan } from '../../forecast/index.js';
import type { JobFeature } from '../job-feature.js';

const CACHED_JOBS = 8;

/** The plans of the last few jobs asked for, read once each. */
export class JobInventory implements JobFeature {
  private readonly cache = new Map<string, Promise<PlanRowDto[]>>();

  rows(jobId: string, planFile: string): Promise<PlanRowDto[]> {
    let p = this.cache.get(jobId);
    if (p) {
      // most recently used last
      this.cache.delete(jobId);
      this.cache.set(jobId, p);
      return p;
    }
    p = readPlan(planFile);
    this.cache.set(jobId, p);
    // a failed read is not kept: the next request tries again
    p.catch(() => this.cache.get(jobId) === p && this.cache.delete(jobId));
    while (this.cache.size > CACHED_JOBS) this.cache.delete(this.cache.keys().next().value!);
    return p;
  }

  forget(jobId: string): void {
    this.cache.delete(jobId);
  }

  /** its plan file was replaced */
  replanned(jobId: string): void {
    this.cache.delete(jobId);
  }

  close(): void {
    this.cache.clear();
  }

  get size(): number {
    return this.cache.size;
  }
}
