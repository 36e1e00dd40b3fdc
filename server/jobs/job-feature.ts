/**
 * What serves a finished job's results (jobs/results/: series index, plan cache, workbooks, re-plan, sites)
 * as the service sees it: told once when a job completes, is re-planned or is deleted, and at shutdown.
 * The list is made in server.ts; adding one there is all it takes for it to forget a deleted job.
 */
import type { HistorySource } from '../forecast/index.js';
import type { Job } from './job.js';

export interface JobFeature {
  /** A job is deleted: cancel its work in flight and drop what is cached; resolves once no file of it can appear. */
  forget(id: string): Promise<void> | void;
  /** Shutdown: cancel every work in flight. */
  close(): Promise<void> | void;
  /** A job was announced COMPLETED (background work on its results starts here). */
  completed?(job: Job, history: HistorySource): void;
  /** A re-plan replaced the job's plan file. */
  replanned?(id: string): void;
}
