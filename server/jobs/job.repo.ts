/**
 * Jobs in SQLite. The only module that sees Sequelize rows: it answers with Job domain objects
 * (JSON columns parsed once, the config validated). Writes go through the one write queue; status
 * changes are compare-and-set with the source statuses the state machine allows.
 */
import { col, fn, Op, where, type WhereOptions } from 'sequelize';
import type { JobMetrics, LogLine, PartitionCounts } from '../contract/dto.js';
import {
  jobConfigSchema,
  describeZodError,
  type JobConfig,
  type JobStatus,
  type ListQuery,
} from '../contract/schemas.js';
import { FINAL_STATUSES } from '../contract/status.js';
import type { Database } from '../db/database.js';
import type { JobModel, JobRow } from '../db/job.model.js';
import { EMPTY_PARTITIONS, type Job, type JobPatch, type NewJobRecord, type StoredActuals } from './job.js';
import { predecessors } from './job.state.js';

/** A JSON column, or the fallback when it is empty or unreadable (a half-written row must still list). */
function json<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Row → Job. A config that fails its schema is a corrupt row: say which, rather than run it wrongly. */
export function toJob(row: JobRow): Job {
  const config = jobConfigSchema.safeParse(json<unknown>(row.config, {}));
  if (!config.success) throw new Error(`job ${row.id}: stored config is invalid (${describeZodError(config.error)})`);
  return {
    id: row.id,
    seq: row.seq,
    filename: row.filename,
    name: row.name ?? null,
    upload_name: row.upload_name,
    file_size: row.file_size,
    output_name: row.output_name,
    parts:
      row.parts_name === null
        ? null
        : { name: row.parts_name, filename: row.parts_filename ?? row.parts_name, size: row.parts_size ?? 0 },
    plan_name: row.plan_name ?? null,
    actuals:
      row.actuals_name == null
        ? null
        : {
            name: row.actuals_name,
            filename: row.actuals_filename ?? row.actuals_name,
            size: row.actuals_size ?? 0,
            uploaded_at: row.actuals_at ?? '',
          },
    actuals_job: row.actuals_job ?? null,
    status: row.status,
    progress: row.progress,
    stopped_progress: row.stopped_progress ?? null,
    stage: row.stage,
    error_message: row.error_message,
    config: config.data,
    partitions: json<PartitionCounts>(row.partitions, { ...EMPTY_PARTITIONS }),
    rows: row.rows,
    metrics: json<JobMetrics | null>(row.metrics, null),
    log: json<LogLine[]>(row.log, []),
    attempts: row.attempts,
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    owner: row.created_by === null ? null : { id: row.created_by, username: row.created_by_name ?? '' },
  };
}

type RowPatch = Partial<Omit<JobRow, 'id' | 'seq' | 'status'>>;

/** Job patch → column values (JSON columns serialized). */
function toRowPatch(patch: JobPatch): RowPatch {
  const { partitions, metrics, log, ...plain } = patch;
  const row: RowPatch = { ...plain };
  if (partitions !== undefined) row.partitions = JSON.stringify(partitions);
  if (metrics !== undefined) row.metrics = metrics === null ? null : JSON.stringify(metrics);
  if (log !== undefined) row.log = JSON.stringify(log);
  return row;
}

const plain = (m: JobModel): Job => toJob(m.get({ plain: true }));

export class JobRepo {
  constructor(private readonly db: Database) {}

  /** Inserts a job after every other (its seq is the next one). */
  async insert(job: NewJobRecord): Promise<Job> {
    const row: Omit<JobRow, 'seq'> = {
      id: job.id,
      filename: job.filename,
      name: job.name,
      upload_name: job.upload_name,
      file_size: job.file_size,
      output_name: job.output_name,
      parts_name: job.parts?.name ?? null,
      parts_filename: job.parts?.filename ?? null,
      parts_size: job.parts?.size ?? null,
      plan_name: job.plan_name,
      actuals_name: job.actuals?.name ?? null,
      actuals_filename: job.actuals?.filename ?? null,
      actuals_size: job.actuals?.size ?? null,
      actuals_at: job.actuals?.uploaded_at ?? null,
      actuals_job: job.actuals_job,
      status: job.status,
      progress: job.progress,
      stopped_progress: job.stopped_progress,
      stage: job.stage,
      error_message: job.error_message,
      config: JSON.stringify(job.config),
      partitions: JSON.stringify(job.partitions),
      rows: job.rows,
      metrics: job.metrics === null ? null : JSON.stringify(job.metrics),
      log: JSON.stringify(job.log),
      attempts: job.attempts,
      created_at: job.created_at,
      started_at: job.started_at,
      completed_at: job.completed_at,
      created_by: job.owner?.id ?? null,
      created_by_name: job.owner?.username ?? null,
    };
    return this.db.writes.run(async () => {
      const max = await this.db.Job.max<number | null, JobModel>('seq');
      return plain(await this.db.Job.create({ ...row, seq: (max ?? 0) + 1 }));
    });
  }

  /** The job, or null when there is none with this id. */
  async find(id: string): Promise<Job | null> {
    const m = await this.db.Job.findByPk(id);
    return m ? plain(m) : null;
  }

  /** How many jobs there are in each status. */
  async countByStatus(): Promise<Partial<Record<JobStatus, number>>> {
    const rows = await this.db.Job.count({ group: ['status'] });
    return Object.fromEntries(rows.map((r) => [String(r.status), r.count]));
  }

  /** One page of jobs, filtered by status and a filename substring. */
  async list(q: ListQuery): Promise<{ total: number; jobs: Job[] }> {
    const all: WhereOptions<JobRow>[] = [];
    if (q.status.length) all.push({ status: { [Op.in]: q.status } });
    // instr, not LIKE: SQLite's LIKE has no escape character unless told, so "50%" or "a_b" matched
    // anything; lower() on both sides keeps LIKE's ASCII case-insensitivity.
    // the file name or the name a person gave the job
    if (q.q)
      all.push({
        [Op.or]: ['filename', 'name'].map((c) => where(fn('instr', fn('lower', col(c)), fn('lower', q.q)), Op.gt, 0)),
      });
    const { count, rows } = await this.db.Job.findAndCountAll({
      where: { [Op.and]: all },
      order: [['seq', q.sort === 'created_asc' ? 'ASC' : 'DESC']],
      offset: (q.page - 1) * q.page_size,
      limit: q.page_size,
    });
    return { total: count, jobs: rows.map(plain) };
  }

  /** The most recently finished COMPLETED jobs (for run-time estimates). */
  async recentCompleted(limit: number): Promise<Job[]> {
    const rows = await this.db.Job.findAll({ where: { status: 'COMPLETED' }, order: [['seq', 'DESC']], limit });
    return rows.map(plain);
  }

  /** Finished jobs whose completed_at is before `isoBefore`, oldest first. */
  async finishedBefore(isoBefore: string): Promise<Job[]> {
    const rows = await this.db.Job.findAll({
      where: { status: { [Op.in]: [...FINAL_STATUSES] }, completed_at: { [Op.lt]: isoBefore } },
      order: [['seq', 'ASC']],
    });
    return rows.map(plain);
  }

  /** Every job, oldest first. */
  async all(): Promise<Job[]> {
    const rows = await this.db.Job.findAll({ order: [['seq', 'ASC']] });
    return rows.map(plain);
  }

  /**
   * Moves the job to `to` only if canTransition allows it from its current status (and, when
   * given, that status is one of `from`). Returns the updated job, or null when the job was missing
   * or already elsewhere.
   */
  async transition(id: string, to: JobStatus, patch: JobPatch = {}, from?: readonly JobStatus[]): Promise<Job | null> {
    const allowed = predecessors(to).filter((s) => !from || from.includes(s));
    if (!allowed.length) return null;
    return this.db.writes.run(async () => {
      const values = { ...toRowPatch(patch), status: to };
      const [n] = await this.db.Job.update(values, { where: { id, status: { [Op.in]: allowed } } });
      if (n !== 1) return null;
      const m = await this.db.Job.findByPk(id);
      return m ? plain(m) : null;
    });
  }

  /** Updates a job only while it is in `status` (progress must never touch a finished job). */
  async patchWhile(id: string, status: JobStatus, patch: JobPatch): Promise<boolean> {
    return this.db.writes.run(async () => {
      const [n] = await this.db.Job.update(toRowPatch(patch), { where: { id, status } });
      return n === 1;
    });
  }

  /** A re-plan's settings and metrics, only while the job is COMPLETED; the updated job or null. */
  async patchCompleted(id: string, config: JobConfig, metrics: JobMetrics | null): Promise<Job | null> {
    return this.db.writes.run(async () => {
      const values = { config: JSON.stringify(config), metrics: metrics === null ? null : JSON.stringify(metrics) };
      const [n] = await this.db.Job.update(values, { where: { id, status: 'COMPLETED' } });
      if (n !== 1) return null;
      const m = await this.db.Job.findByPk(id);
      return m ? plain(m) : null;
    });
  }

  /** Sets the name a person gave the job (null: none); the updated job, or null when there is none. */
  async rename(id: string, name: string | null): Promise<Job | null> {
    return this.db.writes.run(async () => {
      const [n] = await this.db.Job.update({ name }, { where: { id } });
      if (n !== 1) return null;
      const m = await this.db.Job.findByPk(id);
      return m ? plain(m) : null;
    });
  }

  /**
   * Records a COMPLETED job's actuals (null: none); the job as it was before, or null when there is no such
   * completed job (deleted meanwhile).
   */
  async setActuals(id: string, actuals: StoredActuals | null): Promise<{ before: Job } | null> {
    return this.db.writes.run(async () => {
      const m = await this.db.Job.findByPk(id);
      if (!m || m.status !== 'COMPLETED') return null;
      const before = plain(m);
      await this.db.Job.update(
        {
          actuals_name: actuals?.name ?? null,
          actuals_filename: actuals?.filename ?? null,
          actuals_size: actuals?.size ?? null,
          actuals_at: actuals?.uploaded_at ?? null,
        },
        { where: { id, status: 'COMPLETED' } },
      );
      return { before };
    });
  }

  /**
   * Records the later job whose upload serves as a COMPLETED job's actuals (null: none), only while its source
   * is still `expected` (compare-and-set: a newer source found meanwhile is kept); whether it did.
   */
  async setActualsJob(id: string, source: string | null, expected: string | null): Promise<boolean> {
    return this.db.writes.run(async () => {
      const [n] = await this.db.Job.update(
        { actuals_job: source },
        { where: { id, status: 'COMPLETED', actuals_job: expected } },
      );
      return n === 1;
    });
  }

  /** The COMPLETED jobs whose actuals are the upload of job `source`. */
  async trackedBy(source: string): Promise<Job[]> {
    const rows = await this.db.Job.findAll({ where: { status: 'COMPLETED', actuals_job: source } });
    return rows.map(plain);
  }

  /** Every COMPLETED job, newest first. */
  async completed(): Promise<Job[]> {
    const rows = await this.db.Job.findAll({ where: { status: 'COMPLETED' }, order: [['seq', 'DESC']] });
    return rows.map(plain);
  }

  /** Deletes the job only if it is finished; returns whether it did. */
  async removeFinished(id: string): Promise<boolean> {
    return this.db.writes.run(async () => {
      const n = await this.db.Job.destroy({ where: { id, status: { [Op.in]: [...FINAL_STATUSES] } } });
      return n === 1;
    });
  }
}
