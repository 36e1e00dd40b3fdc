/**
 * Users, sessions, API tokens and the audit trail in SQLite. The only auth module that sees
 * Sequelize: it answers with plain domain records. Writes go through the one write queue; changes
 * that belong together (a sign-in, removing a user) run as one queued step.
 */
import { Op, type WhereOptions } from 'sequelize';
import type { AuditAction, AuditEntryDto, Role } from '../contract/auth.js';
import type { Database } from '../db/database.js';
import type { AuditRow, SessionRow, TokenRow, UserRow } from '../db/auth.models.js';

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  /** Failed sign-ins in a row since the last good one. */
  failedLogins: number;
  /** ISO time until which sign-in is refused, or null. */
  lockedUntil: string | null;
  createdAt: string;
}

export interface Session {
  /** SHA-256 digest of the cookie value. */
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  ip: string | null;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 digest of the secret. */
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** An audit line to record (id and time are assigned on insert; no `via`: not signed in, or the CLI). */
export type AuditInput = Omit<AuditEntryDto, 'id' | 'at' | 'via' | 'action'> & {
  action: AuditAction;
  via?: AuditEntryDto['via'];
};

export interface AuditFilter {
  user?: string;
  action?: string;
  job?: string;
  page: number;
  page_size: number;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  role: r.role,
  failedLogins: r.failed_logins,
  lockedUntil: r.locked_until,
  createdAt: r.created_at,
});

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  ip: r.ip,
});

const toToken = (r: TokenRow): ApiToken => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  tokenHash: r.token_hash,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/** What may change on a user; a changed password or role also ends their sessions. */
export type UserChanges = Partial<Pick<User, 'role' | 'passwordHash' | 'failedLogins' | 'lockedUntil'>>;

function userColumns(c: UserChanges): Partial<UserRow> {
  const row: Partial<UserRow> = {};
  if (c.role !== undefined) row.role = c.role;
  if (c.passwordHash !== undefined) row.password_hash = c.passwordHash;
  if (c.failedLogins !== undefined) row.failed_logins = c.failedLogins;
  if (c.lockedUntil !== undefined) row.locked_until = c.lockedUntil;
  return row;
}

export class AuthRepo {
  constructor(private readonly db: Database) {}

  private get m() {
    return this.db.auth;
  }

  // ---- users ---------------------------------------------------------------------------------------

  async countUsers(): Promise<number> {
    return this.m.User.count();
  }

  /** Admins other than `except` (so the last admin cannot leave). */
  async countAdminsExcept(except: string): Promise<number> {
    return this.m.User.count({ where: { role: 'admin', id: { [Op.ne]: except } } });
  }

  async userById(id: string): Promise<User | null> {
    const m = await this.m.User.findByPk(id);
    return m ? toUser(m.get({ plain: true })) : null;
  }

  async userByName(username: string): Promise<User | null> {
    const m = await this.m.User.findOne({ where: { username } });
    return m ? toUser(m.get({ plain: true })) : null;
  }

  /** Every user, by username. */
  async users(): Promise<User[]> {
    const rows = await this.m.User.findAll({ order: [['username', 'ASC']] });
    return rows.map((m) => toUser(m.get({ plain: true })));
  }

  async insertUser(u: User): Promise<void> {
    const row: UserRow = {
      id: u.id,
      username: u.username,
      password_hash: u.passwordHash,
      role: u.role,
      failed_logins: u.failedLogins,
      locked_until: u.lockedUntil,
      created_at: u.createdAt,
    };
    await this.db.writes.run(() => this.m.User.create(row));
  }

  /** Updates the user; with `endSessions` their sessions, with `revokeTokensAt` their tokens, go in the same step. */
  async updateUser(id: string, changes: UserChanges, endSessions = false, revokeTokensAt: string | null = null) {
    await this.db.writes.run(async () => {
      await this.m.User.update(userColumns(changes), { where: { id } });
      if (endSessions) await this.m.Session.destroy({ where: { user_id: id } });
      if (revokeTokensAt)
        await this.m.Token.update({ revoked_at: revokeTokensAt }, { where: { user_id: id, revoked_at: null } });
    });
  }

  /** Removes the user, their sessions, and revokes their tokens (kept for the audit trail). */
  async deleteUser(id: string, revokedAt: string): Promise<void> {
    await this.db.writes.run(async () => {
      await this.m.Session.destroy({ where: { user_id: id } });
      await this.m.Token.update({ revoked_at: revokedAt }, { where: { user_id: id, revoked_at: null } });
      await this.m.User.destroy({ where: { id } });
    });
  }

  // ---- sessions ------------------------------------------------------------------------------------

  /**
   * Opens a session. The lock mark stays: other addresses may still be locked out (only a password
   * reset clears it).
   */
  async openSession(s: Session): Promise<void> {
    await this.db.writes.run(async () => {
      const row: SessionRow = {
        id: s.id,
        user_id: s.userId,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
        ip: s.ip,
      };
      await this.m.Session.create(row);
    });
  }

  async session(id: string): Promise<Session | null> {
    const m = await this.m.Session.findByPk(id);
    return m ? toSession(m.get({ plain: true })) : null;
  }

  async deleteSessions(ids: string[]): Promise<void> {
    await this.db.writes.run(() => this.m.Session.destroy({ where: { id: { [Op.in]: ids } } }));
  }

  /** Ids of sessions that expired at or before `iso`. */
  async expiredSessions(iso: string): Promise<string[]> {
    const rows = await this.m.Session.findAll({ where: { expires_at: { [Op.lte]: iso } } });
    return rows.map((m) => m.get({ plain: true }).id);
  }

  // ---- API tokens ----------------------------------------------------------------------------------

  /** The unrevoked token with this digest, if any. */
  async activeToken(tokenHash: string): Promise<ApiToken | null> {
    const m = await this.m.Token.findOne({ where: { token_hash: tokenHash, revoked_at: null } });
    return m ? toToken(m.get({ plain: true })) : null;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.db.writes.run(() => this.m.Token.update({ last_used_at: at }, { where: { id } }));
  }

  /** A user's tokens, newest first. */
  async tokens(userId: string): Promise<ApiToken[]> {
    const rows = await this.m.Token.findAll({ where: { user_id: userId }, order: [['created_at', 'DESC']] });
    return rows.map((m) => toToken(m.get({ plain: true })));
  }

  async insertToken(t: ApiToken): Promise<void> {
    const row: TokenRow = {
      id: t.id,
      user_id: t.userId,
      name: t.name,
      token_hash: t.tokenHash,
      created_at: t.createdAt,
      last_used_at: t.lastUsedAt,
      revoked_at: t.revokedAt,
    };
    await this.db.writes.run(() => this.m.Token.create(row));
  }

  /** Revokes an active token (only the owner's unless `ownerId` is null); returns whether one was. */
  async revokeToken(id: string, ownerId: string | null, at: string): Promise<boolean> {
    const where: WhereOptions<TokenRow> =
      ownerId === null ? { id, revoked_at: null } : { id, user_id: ownerId, revoked_at: null };
    const [n] = await this.db.writes.run(() => this.m.Token.update({ revoked_at: at }, { where }));
    return n === 1;
  }

  // ---- audit ---------------------------------------------------------------------------------------

  async insertAudit(entry: AuditInput, at: string): Promise<void> {
    const row: AuditRow = { ...entry, via: entry.via ?? null, at };
    await this.db.writes.run(() => this.m.Audit.create(row));
  }

  /** One page of the audit trail, newest first. */
  async audit(f: AuditFilter): Promise<{ total: number; entries: AuditEntryDto[] }> {
    const where: WhereOptions<AuditRow> = {};
    if (f.user) Object.assign(where, { username: f.user });
    // A prefix match as a range: LIKE would treat the "_" in action names as a wildcard.
    if (f.action) Object.assign(where, { action: { [Op.gte]: f.action, [Op.lt]: `${f.action}\uffff` } });
    if (f.job) Object.assign(where, { job_id: f.job });
    const { count, rows } = await this.m.Audit.findAndCountAll({
      where,
      order: [['id', 'DESC']],
      offset: (f.page - 1) * f.page_size,
      limit: f.page_size,
    });
    return { total: count, entries: rows.map((m) => auditEntry(m.get({ plain: true }))) };
  }
}

function auditEntry(r: AuditRow): AuditEntryDto {
  return {
    id: r.id ?? 0,
    at: r.at,
    user_id: r.user_id,
    username: r.username,
    action: r.action,
    job_id: r.job_id,
    detail: r.detail,
    ip: r.ip,
    via: r.via ?? null,
  };
}
