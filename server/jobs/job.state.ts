/**
 * The job state machine. Every status change goes through `canTransition` (the lifecycle table in
 * contract/status.ts, shared with the client), and the repository applies it as a compare-and-set
 * in SQL so that racing changes (Stop vs completion) end in exactly one final state.
 */
import { JOB_STATUSES, type JobStatus } from '../contract/schemas.js';
import { canTransition } from '../contract/status.js';

export { canTransition };

/** Every status from which `to` may be reached (the WHERE of the compare-and-set). */
export function predecessors(to: JobStatus): JobStatus[] {
  return JOB_STATUSES.filter((s) => canTransition(s, to));
}

export { CANCELLED_BY_USER } from '../contract/stages.js';
/** A job started twice that ended the process both times (reconcile.ts): not started a third time. */
export const CRASHED_TWICE =
  'Not started again: the server stopped twice while running this job, so the job itself may be what ' +
  'stops it (for example a file far larger than usual). Check the file before running the job again.';
