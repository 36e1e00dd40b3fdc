/**
 * Users, sessions, personal API tokens and the audit trail, all in SQLite. Secrets (cookies, tokens,
 * the setup link) are random and stored only as SHA-256 digests; passwords as scrypt hashes.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import { AppError } from '../contract/errors.js';
import type { AuditEntryDto, AuthUserDto, Role, TokenDto, UserDto } from '../contract/auth.js';
import type { Database } from '../db/database.js';
import type { AuditRow, UserRow } from '../db/auth.models.js';
import { digest, hashPassword, newSecret, passwordProblem, verifyPassword } from './password.js';

export interface AuthOptions {
  sessionTtlMs: number;
  lockoutThreshold: number;
  lockoutMs: number;
}

export interface Principal extends AuthUserDto {
  /** Set when authenticated by cookie (not by token). */
  sessionId?: string;
}

const now = () => new Date().toISOString();
const newId = () => randomBytes(8).toString('hex');
const toUser = (u: UserRow): UserDto => ({ id: u.id, username: u.username, role: u.role, created_at: u.created_at, locked: !!u.locked_until && u.locked_until > now() });
const USERNAME = /^[A-Za-z0-9._@-]{2,64}$/;

export class AuthService {
  readonly events = new EventEmitter<{ 'session-ended': [{ sessionId: string }]; 'user-ended': [{ userId: string }] }>();
  private setupDigest: string | null = null;

  constructor(
    private readonly db: Database,
    private readonly opts: AuthOptions,
  ) {}

  private get m() {
    return this.db.auth;
  }

  // ---- first admin -----------------------------------------------------------------------------------

  async userCount(): Promise<number> {
    return this.m.User.count();
  }

  /** A one-time setup secret while there are no users (null once there are). */
  async newSetupToken(): Promise<string | null> {
    if ((await this.userCount()) > 0) return null;
    const token = newSecret(24);
    this.setupDigest = digest(token);
    return token;
  }

  async completeSetup(token: string, username: string, password: string): Promise<UserDto> {
    if (!this.setupDigest || digest(token) !== this.setupDigest || (await this.userCount()) > 0)
      throw new AppError(403, 'SETUP_CLOSED', 'This setup link is not valid (it works once, and only while there are no users).');
    const user = await this.addUser(username, password, 'admin');
    this.setupDigest = null;
    return user;
  }

  // ---- sign-in and sessions --------------------------------------------------------------------------

  /** Checks a password; returns a new session cookie value. Locks the account after repeated failures. */
  async login(username: string, password: string, ip: string | null): Promise<{ user: UserDto; cookie: string; expiresAt: Date }> {
    const u = (await this.m.User.findOne({ where: { username } }))?.get({ plain: true });
    const fail = new AppError(401, 'BAD_CREDENTIALS', 'Wrong username or password.');
    if (!u) {
      await verifyPassword(password, 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'); // same cost either way
      throw fail;
    }
    if (u.locked_until && u.locked_until > now())
      throw new AppError(423, 'ACCOUNT_LOCKED', 'Too many failed sign-ins: this account is locked for a while. Try again later or ask an admin to reset it.');
    if (!(await verifyPassword(password, u.password_hash))) {
      const failed = u.failed_logins + 1;
      const lock = failed >= this.opts.lockoutThreshold;
      await this.db.writes.run(() =>
        this.m.User.update({ failed_logins: lock ? 0 : failed, locked_until: lock ? new Date(Date.now() + this.opts.lockoutMs).toISOString() : null }, { where: { id: u.id } }),
      );
      throw fail;
    }
    const cookie = newSecret();
    const expiresAt = new Date(Date.now() + this.opts.sessionTtlMs);
    await this.db.writes.run(async () => {
      await this.m.User.update({ failed_logins: 0, locked_until: null }, { where: { id: u.id } });
      await this.m.Session.create({ id: digest(cookie), user_id: u.id, created_at: now(), expires_at: expiresAt.toISOString(), ip });
    });
    return { user: toUser(u), cookie, expiresAt };
  }

  async logout(cookie: string): Promise<void> {
    const id = digest(cookie);
    await this.db.writes.run(() => this.m.Session.destroy({ where: { id } }));
    this.events.emit('session-ended', { sessionId: id });
  }

  async fromCookie(cookie: string | undefined): Promise<Principal | null> {
    if (!cookie) return null;
    const s = (await this.m.Session.findByPk(digest(cookie)))?.get({ plain: true });
    if (!s) return null;
    if (s.expires_at <= now()) {
      await this.db.writes.run(() => this.m.Session.destroy({ where: { id: s.id } }));
      return null;
    }
    const u = (await this.m.User.findByPk(s.user_id))?.get({ plain: true });
    return u ? { id: u.id, username: u.username, role: u.role, sessionId: s.id } : null;
  }

  async fromToken(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    const t = (await this.m.Token.findOne({ where: { token_hash: digest(token), revoked_at: null } }))?.get({ plain: true });
    if (!t) return null;
    const u = (await this.m.User.findByPk(t.user_id))?.get({ plain: true });
    if (!u) return null;
    void this.db.writes.run(() => this.m.Token.update({ last_used_at: now() }, { where: { id: t.id } }));
    return { id: u.id, username: u.username, role: u.role };
  }

  /** Deletes expired sessions and tells the socket layer to drop their connections. */
  async sweepSessions(): Promise<number> {
    const expired = await this.m.Session.findAll({ where: { expires_at: { [Op.lte]: now() } } });
    if (!expired.length) return 0;
    const ids = expired.map((s) => s.get('id') as string);
    await this.db.writes.run(() => this.m.Session.destroy({ where: { id: { [Op.in]: ids } } }));
    for (const sessionId of ids) this.events.emit('session-ended', { sessionId });
    return ids.length;
  }

  // ---- users ---------------------------------------------------------------------------------------------

  async listUsers(): Promise<UserDto[]> {
    return (await this.m.User.findAll({ order: [['username', 'ASC']] })).map((u) => toUser(u.get({ plain: true })));
  }

  async findUser(username: string): Promise<UserDto | null> {
    const u = await this.m.User.findOne({ where: { username } });
    return u ? toUser(u.get({ plain: true })) : null;
  }

  async addUser(username: string, password: string, role: Role): Promise<UserDto> {
    if (!USERNAME.test(username)) throw new AppError(400, 'VALIDATION_ERROR', 'A username has 2–64 letters, digits or . _ @ -');
    const weak = passwordProblem(password);
    if (weak) throw new AppError(400, 'WEAK_PASSWORD', weak);
    if (await this.m.User.findOne({ where: { username } })) throw new AppError(409, 'USER_EXISTS', `There is already a user "${username}".`);
    const row: UserRow = { id: newId(), username, password_hash: await hashPassword(password), role, failed_logins: 0, locked_until: null, created_at: now() };
    await this.db.writes.run(() => this.m.User.create(row));
    return toUser(row);
  }

  /** Changes role and/or password (which also unlocks and signs the user out everywhere). */
  async updateUser(id: string, patch: { role?: Role; password?: string }): Promise<UserDto> {
    const u = (await this.m.User.findByPk(id))?.get({ plain: true });
    if (!u) throw new AppError(404, 'USER_NOT_FOUND', 'No such user.');
    const changes: Partial<UserRow> = {};
    if (patch.role) changes.role = patch.role;
    if (patch.password !== undefined) {
      const weak = passwordProblem(patch.password);
      if (weak) throw new AppError(400, 'WEAK_PASSWORD', weak);
      Object.assign(changes, { password_hash: await hashPassword(patch.password), failed_logins: 0, locked_until: null });
    }
    if (patch.role && patch.role !== 'admin' && u.role === 'admin') await this.keepOneAdmin(id);
    await this.db.writes.run(async () => {
      await this.m.User.update(changes, { where: { id } });
      if (patch.password !== undefined || patch.role) await this.m.Session.destroy({ where: { user_id: id } });
    });
    if (patch.password !== undefined || patch.role) this.events.emit('user-ended', { userId: id });
    return toUser({ ...u, ...changes });
  }

  async removeUser(id: string): Promise<UserDto> {
    const u = (await this.m.User.findByPk(id))?.get({ plain: true });
    if (!u) throw new AppError(404, 'USER_NOT_FOUND', 'No such user.');
    if (u.role === 'admin') await this.keepOneAdmin(id);
    await this.db.writes.run(async () => {
      await this.m.Session.destroy({ where: { user_id: id } });
      await this.m.Token.update({ revoked_at: now() }, { where: { user_id: id, revoked_at: null } });
      await this.m.User.destroy({ where: { id } });
    });
    this.events.emit('user-ended', { userId: id });
    return toUser(u);
  }

  private async keepOneAdmin(leaving: string): Promise<void> {
    const admins = await this.m.User.count({ where: { role: 'admin', id: { [Op.ne]: leaving } } });
    if (admins === 0) throw new AppError(409, 'LAST_ADMIN', 'This is the last admin: make someone else admin first.');
  }

  // ---- personal API tokens ------------------------------------------------------------------------------

  async listTokens(userId: string): Promise<TokenDto[]> {
    const rows = await this.m.Token.findAll({ where: { user_id: userId }, order: [['created_at', 'DESC']] });
    return rows.map((r) => {
      const t = r.get({ plain: true });
      return { id: t.id, name: t.name, created_at: t.created_at, last_used_at: t.last_used_at, revoked: !!t.revoked_at };
    });
  }

  /** Returns the token once; only its digest is kept. */
  async createToken(userId: string, name: string): Promise<TokenDto & { token: string }> {
    const token = `sct_${newSecret()}`;
    const row = { id: newId(), user_id: userId, name: name.slice(0, 100) || 'token', token_hash: digest(token), created_at: now(), last_used_at: null, revoked_at: null };
    await this.db.writes.run(() => this.m.Token.create(row));
    return { id: row.id, name: row.name, created_at: row.created_at, last_used_at: null, revoked: false, token };
  }

  async revokeToken(userId: string, id: string, asAdmin: boolean): Promise<void> {
    const where = asAdmin ? { id } : { id, user_id: userId };
    const [n] = await this.db.writes.run(() => this.m.Token.update({ revoked_at: now() }, { where: { ...where, revoked_at: null } }));
    if (n !== 1) throw new AppError(404, 'TOKEN_NOT_FOUND', 'No such active token.');
  }

  // ---- audit --------------------------------------------------------------------------------------------

  async audit(entry: Omit<AuditRow, 'id' | 'at'>): Promise<void> {
    await this.db.writes.run(() => this.m.Audit.create({ ...entry, at: now() }));
  }

  async listAudit(f: { user?: string; action?: string; job?: string; page: number; page_size: number }): Promise<{ total: number; entries: AuditEntryDto[] }> {
    const where: Record<string, unknown> = {};
    if (f.user) where.username = f.user;
    // A prefix match as a range: LIKE would treat the "_" in action names as a wildcard.
    if (f.action) where.action = { [Op.gte]: f.action, [Op.lt]: `${f.action}\uffff` };
    if (f.job) where.job_id = f.job;
    const { count, rows } = await this.m.Audit.findAndCountAll({ where, order: [['id', 'DESC']], offset: (f.page - 1) * f.page_size, limit: f.page_size });
    return { total: count, entries: rows.map((r) => r.get({ plain: true }) as AuditEntryDto) };
  }
}
