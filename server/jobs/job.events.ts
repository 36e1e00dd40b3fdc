import { EventEmitter } from 'node:events';
import type { JobDto, JobProgressDto, LogLine } from '../contract/dto.js';

/** What the job service tells the outside world; the socket layer forwards it to browsers. */
export interface JobEventMap {
  created: [JobDto];
  updated: [JobDto];
  deleted: [{ id: string }];
  progress: [JobProgressDto];
  log: [{ id: string; lines: LogLine[] }];
}

export class JobEvents extends EventEmitter<JobEventMap> {}
