import { roleAtLeast, type MeDto, type Role } from '$contract/auth.js';
import { isFinal, type JobDto, type JobStatus } from '$contract/dto.js';
import { actionsFor, type ActionSpec } from './actions.js';

/**
 * What the signed-in person may do, mirroring the server's checks (server/jobs/job.commands.ts) so
 * the pages hide what would only be refused with 403:
 * viewer: see and download; planner: also upload, preview, sample, rerun, stop, and delete or
 * force-delete the jobs they created; admin: everything, plus users and the audit log.
 */
export interface Permissions {
  /** Upload, preview, try the sample, run again. */
  run: boolean;
  stop: boolean;
  /** Users and the audit log. */
  admin: boolean;
  /** Set, import and remove overrides (server/http/overrides.routes.ts: planners and admins). */
  override: boolean;
  /** Delete (finished) or force-delete (running) this job. */
  deleteJob(job: Pick<JobDto, 'created_by'>): boolean;
  /** Send or remove this job's actuals: as for Delete (server/http/tracking.routes.ts). */
  actuals(job: Pick<JobDto, 'created_by'>): boolean;
}

export interface Who {
  username: string;
  role: Role;
}

export function permissionsFor(user: Who | null): Permissions {
  const role = user?.role;
  const planner = !!role && roleAtLeast(role, 'planner');
  const admin = role === 'admin';
  const own = (job: Pick<JobDto, 'created_by'>) =>
    admin || (planner && job.created_by !== null && job.created_by === user!.username);
  return {
    run: planner,
    stop: planner,
    admin,
    override: planner,
    deleteJob: own,
    actuals: own,
  };
}

/** The signed-in user of a /api/auth/me answer (AUTH=off: the local admin). */
export const userOf = (me: MeDto | null): Who | null => me?.user ?? null;

/** nobody may do anything: before /api/auth/me answered, or signed out. */
export const NO_PERMISSIONS: Permissions = permissionsFor(null);

/** The History row's buttons for this job and this person: the status's buttons minus what the role may not do. */
export function jobActionsFor(job: Pick<JobDto, 'status' | 'created_by'>, can: Permissions): ActionSpec[] {
  return actionsFor(job.status).filter((a) => {
    switch (a.action) {
      case 'download':
        return true;
      case 'stop':
        return can.stop;
      case 'delete':
      case 'force-delete':
        return can.deleteJob(job);
    }
  });
}

/** A row may be ticked for bulk delete when it is finished and this person may delete it. */
export const canSelect = (job: { status: JobStatus; created_by: string | null }, can: Permissions): boolean =>
  can.deleteJob(job) && isFinal(job.status);
