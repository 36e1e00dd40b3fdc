/**
 * The planners' overrides (contract/overrides.ts) in SQLite: listed for everyone signed in, set (one per part,
 * site and kind: a new one replaces the old, and says so), removed and imported by planners and admins, every
 * change in the audit trail. Jobs and re-plans read the ones in force (inForce) when they start.
 */
import { Op, type WhereOptions } from 'sequelize';
import { roleAtLeast } from '../contract/auth.js';
import { AppError } from '../contract/errors.js';
import {
  inForce,
  todayUtc,
  type OverrideDto,
  type OverrideFields,
  type OverrideImportDto,
  type OverrideListDto,
  type OverrideListQuery,
  type OverrideSetDto,
} from '../contract/overrides.js';
import { viaOf, type AuthService } from '../auth/auth.service.js';
import type { Database } from '../db/database.js';
import type { OverrideRow } from '../db/override.model.js';
import type { Actor } from './job.commands.js';
import type { AppliedOverride, OverrideSource } from './override-source.js';

export type { AppliedOverride, OverrideSource };

export class OverrideService implements OverrideSource {
  constructor(
    private readonly db: Database,
    private readonly auth: AuthService | null,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Today (UTC), the day expiries are held against. */
  today(): string {
    return todayUtc(this.clock());
  }

  async list(q: OverrideListQuery): Promise<OverrideListDto> {
    const where: WhereOptions<OverrideRow> = {};
    if (q.part !== undefined) Object.assign(where, { partnumber: q.part });
    if (q.site !== undefined) Object.assign(where, { site_code: q.site });
    if (q.kind !== undefined) Object.assign(where, { kind: q.kind });
    if (!q.include_expired)
      Object.assign(where, { [Op.or]: [{ expires_on: null }, { expires_on: { [Op.gte]: this.today() } }] });
    const { count, rows } = await this.db.Override.findAndCountAll({
      where,
      order: [
        ['partnumber', 'ASC'],
        ['site_code', 'ASC'],
        ['kind', 'ASC'],
      ],
      offset: (q.page - 1) * q.page_size,
      limit: q.page_size,
    });
    const today = this.today();
    return { total: count, overrides: rows.map((m) => dtoOf(m.get({ plain: true }), today)) };
  }

  /** The overrides in force today, oldest first: what a job or a re-plan starting now applies. */
  async inForce(): Promise<AppliedOverride[]> {
    const today = this.today();
    const rows = await this.db.Override.findAll({ order: [['id', 'ASC']] });
    return rows
      .map((m) => m.get({ plain: true }))
      .filter((r) => inForce(r, today))
      .map((r) => ({
        id: r.id ?? 0,
        partnumber: r.partnumber,
        site_code: r.site_code,
        kind: r.kind,
        value: r.value,
        reason: r.reason,
        expires_on: r.expires_on,
        created_by: r.created_by_name,
        created_at: r.created_at,
      }));
  }

  /** Sets one override, replacing the one of the same part, site and kind (expired or not). */
  async set(actor: Actor, o: OverrideFields): Promise<OverrideSetDto> {
    this.need(actor);
    const [created, old] = await this.write(actor, [o]);
    const today = this.today();
    const dto = dtoOf(created[0], today);
    const replaced = old[0] ? dtoOf(old[0], today) : null;
    await this.record(
      actor,
      'override.set',
      `${describe(o)}${replaced ? ` (replaces ${replaced.value})` : ''}: ${o.reason}`,
    );
    return { override: dto, replaced };
  }

  /** Sets every row of a file at once, or none (one transaction). */
  async importMany(actor: Actor, filename: string, rows: OverrideFields[]): Promise<OverrideImportDto> {
    this.need(actor);
    const [, old] = await this.write(actor, rows);
    const replaced = old.filter(Boolean).length;
    await this.record(actor, 'override.import', `${filename}: ${rows.length} overrides (${replaced} replaced)`);
    return { filename, rows: rows.length, replaced };
  }

  async remove(actor: Actor, id: number): Promise<OverrideDto> {
    this.need(actor);
    const row = await this.db.writes.run(async () => {
      const m = await this.db.Override.findByPk(id);
      if (!m) return null;
      const r = m.get({ plain: true });
      await m.destroy();
      return r;
    });
    if (!row) throw new AppError(404, 'OVERRIDE_NOT_FOUND', `No override with id ${id}.`);
    await this.record(actor, 'override.remove', `${describe(row)} (was: ${row.reason})`);
    return dtoOf(row, this.today());
  }

  /** Inserts the rows in one transaction, each replacing its part, site and kind; returns them and the old. */
  private write(actor: Actor, list: OverrideFields[]): Promise<[OverrideRow[], (OverrideRow | null)[]]> {
    const at = this.clock().toISOString();
    const by = this.auth ? { created_by: actor.user.id, created_by_name: actor.user.username } : null;
    return this.db.writes.run(() =>
      this.db.sequelize.transaction(async (transaction) => {
        const created: OverrideRow[] = [];
        const old: (OverrideRow | null)[] = [];
        for (const o of list) {
          const key = { partnumber: o.partnumber, site_code: o.site_code, kind: o.kind };
          const prev = await this.db.Override.findOne({ where: key, transaction });
          old.push(prev ? prev.get({ plain: true }) : null);
          if (prev) await prev.destroy({ transaction });
          const row: OverrideRow = {
            ...o,
            created_by: by?.created_by ?? null,
            created_by_name: by?.created_by_name ?? null,
            created_at: at,
          };
          const m = await this.db.Override.create(row, { transaction });
          created.push(m.get({ plain: true }));
        }
        return [created, old] as [OverrideRow[], (OverrideRow | null)[]];
      }),
    );
  }

  private need(actor: Actor): void {
    if (!roleAtLeast(actor.user.role, 'planner'))
      throw new AppError(403, 'FORBIDDEN', `Your role (${actor.user.role}) may not change overrides.`);
  }

  private async record(actor: Actor, action: 'override.set' | 'override.remove' | 'override.import', detail: string) {
    await this.auth?.audit({
      user_id: actor.user.id,
      username: actor.user.username,
      action,
      job_id: null,
      detail: detail.slice(0, 2000),
      ip: actor.ip,
      via: viaOf(actor.user),
    });
  }
}

function describe(o: Pick<OverrideFields, 'partnumber' | 'site_code' | 'kind' | 'value' | 'expires_on'>): string {
  const site = o.site_code ? `@ ${o.site_code}` : '@ every site';
  return `${o.kind} ${o.partnumber} ${site} = ${o.value}${o.expires_on ? ` until ${o.expires_on}` : ''}`;
}

function dtoOf(r: OverrideRow, today: string): OverrideDto {
  return {
    id: r.id ?? 0,
    partnumber: r.partnumber,
    site_code: r.site_code || null,
    kind: r.kind,
    value: r.value,
    reason: r.reason,
    expires_on: r.expires_on,
    created_by: r.created_by_name,
    created_at: r.created_at,
    in_force: inForce(r, today),
  };
}
