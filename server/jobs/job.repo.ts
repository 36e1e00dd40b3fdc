/**
 * Job rows in SQLite. Writes go through the one write queue; status changes are compare-and-set.
 */
import { Op, type WhereOptions } from 'sequelize';
import type { JobStatus } from '../contract/dto.js';
import type { ListQuery } from '../contract/schemas.js';
import type { Database } from '../db/database.js';
import type { JobRow } from '../db/job.model.js';
import { predecessors } from './job.state.js';

export type JobPatch = Partial<Omit<JobRow, 'id' | 'seq' | 'status'>>;

export class JobRepo {
  constructor(private readonly db: Database) {}

  async insert(row: Omit<JobRow, 'seq'>): Promise<JobRow> {
    return this.db.writes.run(async () => {
      const max = (await this.db.Job.max('seq')) as number | null;
      const created = await this.db.Job.create({ ...row, seq: (max ?? 0) + 1 });
      return created.get({ plain: true });
    });
  }

  async find(id: string): Promise<JobRow | null> {
    const m = await this.db.Job.findByPk(id);
    return m ? m.get({ plain: true }) : null;
  }

  async list(q: ListQuery): Promise<{ total: number; rows: JobRow[] }> {
    const where: WhereOptions<JobRow> = {};
    if (q.status.length) Object.assign(where, { status: { [Op.in]: q.status } });
    if (q.q) Object.assign(where, { filename: { [Op.like]: `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` } });
    const { count, rows } = await this.db.Job.findAndCountAll({
      where,
      order: [['seq', q.sort === 'created_asc' ? 'ASC' : 'DESC']],
      offset: (q.page - 1) * q.page_size,
      limit: q.page_size,
    });
    return { total: count, rows: rows.map((r) => r.get({ plain: true })) };
  }

  /** Rows in the given statuses, oldest first. */
  async byStatus(statuses: JobStatus[]): Promise<JobRow[]> {
    const rows = await this.db.Job.findAll({ where: { status: { [Op.in]: statuses } }, order: [['seq', 'ASC']] });
    return rows.map((r) => r.get({ plain: true }));
  }

  /** The most recently finished COMPLETED jobs (for run-time estimates). */
  async recentCompleted(limit: number): Promise<JobRow[]> {
    const rows = await this.db.Job.findAll({ where: { status: 'COMPLETED' }, order: [['seq', 'DESC']], limit });
    return rows.map((r) => r.get({ plain: true }));
  }

  /** Finished jobs whose completed_at is before `isoBefore`. */
  async finishedBefore(isoBefore: string): Promise<JobRow[]> {
    const rows = await this.db.Job.findAll({
      where: { status: { [Op.in]: ['COMPLETED', 'FAILED', 'CANCELLED'] }, completed_at: { [Op.lt]: isoBefore } },
      order: [['seq', 'ASC']],
    });
    return rows.map((r) => r.get({ plain: true }));
  }

  async all(): Promise<JobRow[]> {
    const rows = await this.db.Job.findAll({ order: [['seq', 'ASC']] });
    return rows.map((r) => r.get({ plain: true }));
  }

  /**
   * Moves the job to `to` only if its current status may lead there (and, when given, is one of
   * `from`). Returns the updated row, or null when the job was missing or already elsewhere.
   */
  async transition(id: string, to: JobStatus, patch: JobPatch = {}, from?: JobStatus[]): Promise<JobRow | null> {
    const allowed = predecessors(to).filter((s) => !from || from.includes(s));
    return this.db.writes.run(async () => {
      const [n] = await this.db.Job.update({ ...patch, status: to }, { where: { id, status: { [Op.in]: allowed } } });
      if (n !== 1) return null;
      const m = await this.db.Job.findByPk(id);
      return m ? m.get({ plain: true }) : null;
    });
  }

  /** Updates a job only while it is in one of `statuses` (progress must never touch a finished job). */
  async patchIf(id: string, statuses: JobStatus[], patch: JobPatch): Promise<boolean> {
    return this.db.writes.run(async () => {
      const [n] = await this.db.Job.update(patch, { where: { id, status: { [Op.in]: statuses } } });
      return n === 1;
    });
  }

  /** Deletes the row only if it is in one of `statuses`; returns whether it did. */
  async removeIf(id: string, statuses: JobStatus[]): Promise<boolean> {
    return this.db.writes.run(async () => {
      const n = await this.db.Job.destroy({ where: { id, status: { [Op.in]: statuses } } });
      return n === 1;
    });
  }
}
