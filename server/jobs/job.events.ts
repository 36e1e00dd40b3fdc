import { EventEmitter } from 'node:events';
import type { JobDto, JobProgressDto, LogLine } from '../contract/dto.js';

/** What the job service tells the outside world; the socket layer forwards it to browsers. */
export interface JobEventMap {
  created: [JobDto];
  updated: [JobDto];
  deleted: [{ id: string }];
  /** A COMPLETED job's inventory plan was made again at other settings (jobs/results/job-replan.ts). */
  replanned: [{ id: string }];
  progress: [JobProgressDto];
  log: [{ id: string; lines: LogLine[] }];
  /** Server-internal: every thread a stopped job used has ended (or returned to the pool). */
  released: [{ id: string; /** From the Stop request, when a Stop caused it. */ ms?: number }];
}

export class JobEvents extends EventEmitter<JobEventMap> {}
