/**
 * The job state machine. Every status change goes through `canTransition`, and the repository
 * applies it as a compare-and-set in SQL so that racing changes (Stop vs completion) end in exactly
 * one final state.
 */
import type { JobStatus } from '../contract/dto.js';

const NEXT: Record<JobStatus, readonly JobStatus[]> = {
  QUEUED: ['PROCESSING', 'CANCELLED', 'FAILED'],
  // PROCESSING → QUEUED: requeued at shutdown or after a crash.
  PROCESSING: ['COMPLETED', 'FAILED', 'CANCELLED', 'QUEUED'],
  COMPLETED: [],
  FAILED: [],
  CANCELLED: [],
};

/** True when a job in `from` may move to `to`. */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return NEXT[from].includes(to);
}

/** Every status from which `to` may be reached (the WHERE of the compare-and-set). */
export function predecessors(to: JobStatus): JobStatus[] {
  return (Object.keys(NEXT) as JobStatus[]).filter((s) => NEXT[s].includes(to));
}

export const CANCELLED_BY_USER = 'Cancelled by user';
export const INTERRUPTED_BY_RESTART = 'Interrupted by server restart';
