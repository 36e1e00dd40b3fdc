/**
 * What a person may do to jobs, checked once for REST and socket alike, and recorded in the audit
 * trail: create (upload, sample, rerun), stop, delete, force delete.
 */
import { roleAtLeast, type AuditAction } from '../contract/auth.js';
import { isFinal, type JobDto } from '../contract/dto.js';
import { AppError } from '../contract/errors.js';
import { cancelledBy } from '../contract/stages.js';
import { viaOf, type AuthService, type Principal } from '../auth/auth.service.js';
import type { NewJob } from './job-intake.js';
import type { JobService } from './job.service.js';

export interface Actor {
  user: Principal;
  ip: string | null;
}

export class JobCommands {
  constructor(
    private readonly jobs: JobService,
    private readonly auth: AuthService | null,
  ) {}

  async create(
    actor: Actor,
    job: Omit<NewJob, 'by'>,
    action: 'job.upload' | 'job.sample' | 'job.rerun',
    from?: string,
  ): Promise<JobDto> {
    this.need(actor, 'planner', 'run forecasts');
    const dto = await this.jobs.intake.create({
      ...job,
      by: this.auth ? { id: actor.user.id, username: actor.user.username } : null,
    });
    await this.record(actor, action, dto.id, from ? `${dto.filename} (from job ${from})` : dto.filename);
    return dto;
  }

  async stop(actor: Actor, id: string): Promise<JobDto> {
    this.need(actor, 'planner', 'stop jobs');
    const dto = await this.jobs.stop(id, this.auth ? cancelledBy(actor.user.username) : undefined);
    await this.record(actor, 'job.stop', id, dto.filename);
    return dto;
  }

  async remove(actor: Actor, id: string, force: boolean): Promise<void> {
    this.need(actor, 'planner', 'delete jobs');
    const job = await this.jobs.find(id);
    if (this.auth && actor.user.role !== 'admin' && job.owner?.id !== actor.user.id) {
      throw new AppError(403, 'FORBIDDEN', 'Only an admin can delete a job someone else started.');
    }
    await this.jobs.remove(id, force);
    const action = force && !isFinal(job.status) ? 'job.force_delete' : 'job.delete';
    await this.record(actor, action, id, job.filename);
  }

  /** Names a job (null: no name). Someone else's job only as an admin, as for Delete. */
  async rename(actor: Actor, id: string, name: string | null): Promise<JobDto> {
    this.need(actor, 'planner', 'rename jobs');
    const job = await this.jobs.find(id);
    if (this.auth && actor.user.role !== 'admin' && job.owner?.id !== actor.user.id)
      throw new AppError(403, 'FORBIDDEN', 'Only an admin can rename a job someone else started.');
    const dto = await this.jobs.rename(id, name);
    await this.record(actor, 'job.rename', id, name ?? '(no name)');
    return dto;
  }

  /**
   * Re-plans a completed job's inventory plan (`work`), recorded with the settings it changed. Someone
   * else's job only as an admin, as for Delete: a re-plan rewrites the plan its owner reads.
   */
  async replan<T>(actor: Actor, id: string, detail: string, work: () => Promise<T>): Promise<T> {
    this.need(actor, 'planner', 're-plan inventory');
    const job = await this.jobs.find(id);
    if (this.auth && actor.user.role !== 'admin' && job.owner?.id !== actor.user.id)
      throw new AppError(403, 'FORBIDDEN', 'Only an admin can re-plan a job someone else started.');
    const out = await work();
    await this.record(actor, 'job.replan', id, detail);
    return out;
  }

  /**
   * Sends (`job.actuals`) or removes (`job.actuals_delete`) a completed job's actuals (`work`). Someone else's
   * job only as an admin, as for Delete: the tracking its owner reads changes.
   */
  async actuals<T>(
    actor: Actor,
    id: string,
    action: 'job.actuals' | 'job.actuals_delete',
    detail: string,
    work: () => Promise<T>,
  ): Promise<T> {
    this.need(actor, 'planner', 'send actuals');
    const job = await this.jobs.find(id);
    if (this.auth && actor.user.role !== 'admin' && job.owner?.id !== actor.user.id)
      throw new AppError(403, 'FORBIDDEN', 'Only an admin can change the actuals of a job someone else started.');
    const out = await work();
    await this.record(actor, action, id, detail);
    return out;
  }

  private need(actor: Actor, role: 'planner' | 'admin', what: string): void {
    if (!roleAtLeast(actor.user.role, role))
      throw new AppError(403, 'FORBIDDEN', `Your role (${actor.user.role}) may not ${what}.`);
  }

  private async record(actor: Actor, action: AuditAction, jobId: string, detail: string): Promise<void> {
    await this.auth?.audit({
      user_id: actor.user.id,
      username: actor.user.username,
      action,
      job_id: jobId,
      detail,
      ip: actor.ip,
      via: viaOf(actor.user),
    });
  }
}
