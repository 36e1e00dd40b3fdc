/**
 * The job lifecycle, shared by the server's state machine and the client's buttons: which status may
 * follow which. The final and active sets derive from it, so no other file spells them.
 */
import { JOB_STATUSES, type JobStatus } from './schemas.js';

const NEXT: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
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

/** Statuses a job never leaves: Stop answers 409 there, plain Delete is allowed. */
export const FINAL_STATUSES: readonly JobStatus[] = JOB_STATUSES.filter((s) => NEXT[s].length === 0);
/** Statuses of a job that still waits or runs. */
export const ACTIVE_STATUSES: readonly JobStatus[] = JOB_STATUSES.filter((s) => NEXT[s].length > 0);

/** True when the job can no longer change (Stop answers 409, plain Delete is allowed). */
export function isFinal(status: JobStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** True while a Stop would cancel the job. */
export function isStoppable(status: JobStatus): boolean {
  return canTransition(status, 'CANCELLED');
}
