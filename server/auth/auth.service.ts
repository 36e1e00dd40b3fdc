/**
 * Users, sessions, personal API tokens and the audit trail, all in SQLite. Secrets (cookies, tokens,
 * the setup link) are random and stored only as SHA-256 digests; passwords as scrypt hashes.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { AppError } from '../contract/errors.js';
import type { AuditEntryDto, AuditVia, AuthUserDto, Role, TokenDto, UserDto } from '../contract/auth.js';
import type { AuditFilter, AuditInput, AuthRepo, Session, User, UserChanges } from './auth.repo.js';
import type { Logger } from '../logger.js';
import { cleanDisplayName } from '../storage/paths.js';
import { Lockout } from './lockout.js';
import {
  digest,
  dummyHash,
  hashPassword,
  needsRehash,
  newSecret,
  passwordProblem,
  verifyPassword,
} from './password.js';

export interface AuthOptions {
  sessionTtlMs: number;
  lockoutThreshold: number;
  lockoutMs: number;
  /** Where bookkeeping writes that may fail without failing the request (a token's last use) are logged. */
  logger?: Logger;
}

export interface Principal extends AuthUserDto {
  /** Set when authenticated by cookie. */
  sessionId?: string;
  /** Set when authenticated by a personal API token. */
  tokenId?: string;
}

/** How a principal signed in, for the audit trail (null: neither, e.g. AUTH=off). */
export function viaOf(p: Principal): AuditVia | null {
  if (p.tokenId) return 'token';
  return p.sessionId ? 'cookie' : null;
}

/** What ended, for the socket layer to drop the connections it authenticated. */
interface AuthEvents {
  'session-ended': [{ sessionId: string }];
  'user-ended': [{ userId: string }];
  'token-ended': [{ tokenId: string }];
}

const now = () => new Date().toISOString();
const newId = () => randomBytes(8).toString('hex');
const toUser = (u: User): UserDto => ({
  id: u.id,
  username: u.username,
  role: u.role,
  created_at: u.createdAt,
  locked: !!u.lockedUntil && u.lockedUntil > now(),
});
const USERNAME = /^[A-Za-z0-9._@-]{2,64}$/;

export class AuthService {
  readonly events = new EventEmitter<AuthEvents>();
  /** Counts ended sessions, tokens and users, so a sign-in check that raced one can tell. */
  endings = 0;
  private setupDigest: string | null = null;
  private readonly lockout: Lockout;

  constructor(
    private readonly repo: AuthRepo,
    private readonly opts: AuthOptions,
  ) {
    this.lockout = new Lockout({ threshold: opts.lockoutThreshold, lockMs: opts.lockoutMs });
  }

  // ---- first admin -----------------------------------------------------------------------------------

  async userCount(): Promise<number> {
    return this.repo.countUsers();
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
      throw new AppError(
        403,
        'SETUP_CLOSED',
        'This setup link is not valid (it works once, and only while there are no users).',
      );
    const user = await this.addUser(username, password, 'admin');
    this.setupDigest = null;
    return user;
  }

  // ---- sign-in and sessions --------------------------------------------------------------------------

  /**
   * Checks a password; returns a new session cookie value. Failures lock the (name, address) pair
   * alike for names that exist and names that do not (lockout.ts); a hash made at an older scrypt
   * cost is made again now that we have the password.
   */
  async login(
    username: string,
    password: string,
    ip: string | null,
  ): Promise<{ user: UserDto; cookie: string; expiresAt: Date }> {
    const u = await this.repo.userByName(username);
    let locked = this.lockout.lockedUntil(username, ip) !== null;
    // A reset (here, or by `npm run user -- reset` in another process) clears the stored lock mark.
    if (locked && u && u.lockedUntil === null) {
      this.lockout.clearUser(username);
      locked = false;
    }
    if (locked)
      throw new AppError(
        423,
        'ACCOUNT_LOCKED',
        'Too many failed sign-ins from this address: signing in here is paused for a while. ' +
          'Try again later or ask an admin to reset the password.',
      );
    // Same cost either way: the time taken does not tell whether the name exists.
    const ok = await verifyPassword(password, u?.passwordHash ?? (await dummyHash()));
    if (!u || !ok) {
      const until = this.lockout.fail(username, ip);
      // The mark shows "locked" in the user list; it never stops a sign-in by itself.
      if (u && until !== null) {
        const iso = new Date(until).toISOString();
        if (!u.lockedUntil || u.lockedUntil < iso) await this.repo.updateUser(u.id, { lockedUntil: iso });
      }
      throw new AppError(401, 'BAD_CREDENTIALS', 'Wrong username or password.');
    }
    this.lockout.clear(username, ip);
    if (needsRehash(u.passwordHash)) await this.repo.updateUser(u.id, { passwordHash: await hashPassword(password) });
    const cookie = newSecret();
    const expiresAt = new Date(Date.now() + this.opts.sessionTtlMs);
    const session = { id: digest(cookie), userId: u.id, createdAt: now(), expiresAt: expiresAt.toISOString(), ip };
    await this.repo.openSession(session);
    return { user: toUser(u), cookie, expiresAt };
  }

  async logout(cookie: string): Promise<void> {
    const id = digest(cookie);
    await this.repo.deleteSessions([id]);
    this.end('session-ended', { sessionId: id });
  }

  async fromCookie(cookie: string | undefined): Promise<Principal | null> {
    if (!cookie) return null;
    const s = await this.liveSession(digest(cookie));
    if (!s) return null;
    const u = await this.repo.userById(s.userId);
    return u ? { id: u.id, username: u.username, role: u.role, sessionId: s.id } : null;
  }

  /**
   * Whether what signed `p` in still holds: its session is there and unexpired (a socket asks before each
   * command; tokens, whose revocation drops their sockets at once, always hold). Ends nothing itself: the
   * socket answers first, then sweepSessions drops the rest.
   */
  async stillValid(p: Principal): Promise<boolean> {
    if (!p.sessionId) return true;
    const s = await this.repo.session(p.sessionId);
    return !!s && s.expiresAt > now();
  }

  /** The session `id` if it has not expired; an expired one is deleted and its sockets are dropped. */
  private async liveSession(id: string): Promise<Session | null> {
    const s = await this.repo.session(id);
    if (!s) return null;
    if (s.expiresAt > now()) return s;
    // the session is over whether or not the row goes now (the sweep retries a failed delete)
    await this.repo
      .deleteSessions([s.id])
      .catch((err: unknown) => this.opts.logger?.warn({ err }, 'could not delete an expired session'));
    this.end('session-ended', { sessionId: s.id });
    return null;
  }

  async fromToken(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    const t = await this.repo.activeToken(digest(token));
    if (!t) return null;
    const u = await this.repo.userById(t.userId);
    if (!u) return null;
    // bookkeeping only: a full disk must not fail the request, nor crash the process
    this.repo
      .touchToken(t.id, now())
      .catch((err: unknown) => this.opts.logger?.warn({ err, tokenId: t.id }, 'could not record a token use'));
    return { id: u.id, username: u.username, role: u.role, tokenId: t.id };
  }

  /** Deletes expired sessions and tells the socket layer to drop their connections. */
  async sweepSessions(): Promise<number> {
    const ids = await this.repo.expiredSessions(now());
    if (!ids.length) return 0;
    await this.repo.deleteSessions(ids);
    for (const sessionId of ids) this.end('session-ended', { sessionId });
    return ids.length;
  }

  // ---- users ---------------------------------------------------------------------------------------------

  async listUsers(): Promise<UserDto[]> {
    return (await this.repo.users()).map(toUser);
  }

  async findUser(username: string): Promise<UserDto | null> {
    const u = await this.repo.userByName(username);
    return u ? toUser(u) : null;
  }

  async addUser(username: string, password: string, role: Role): Promise<UserDto> {
    if (!USERNAME.test(username))
      throw new AppError(400, 'VALIDATION_ERROR', 'A username has 2–64 letters, digits or . _ @ -');
    const weak = passwordProblem(password);
    if (weak) throw new AppError(400, 'WEAK_PASSWORD', weak);
    if (await this.repo.userByName(username))
      throw new AppError(409, 'USER_EXISTS', `There is already a user "${username}".`);
    const user: User = {
      id: newId(),
      username,
      passwordHash: await hashPassword(password),
      role,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: now(),
    };
    await this.repo.insertUser(user);
    return toUser(user);
  }

  /**
   * Changes role and/or password. Either signs the user out everywhere; a password reset also unlocks
   * the account and revokes their API tokens (a reset is what one does when a secret may have leaked).
   */
  async updateUser(id: string, patch: { role?: Role; password?: string }): Promise<UserDto> {
    const u = await this.repo.userById(id);
    if (!u) throw new AppError(404, 'USER_NOT_FOUND', 'No such user.');
    const changes: UserChanges = {};
    if (patch.role) changes.role = patch.role;
    if (patch.password !== undefined) {
      const weak = passwordProblem(patch.password);
      if (weak) throw new AppError(400, 'WEAK_PASSWORD', weak);
      Object.assign(changes, { passwordHash: await hashPassword(patch.password), failedLogins: 0, lockedUntil: null });
    }
    if (patch.role && patch.role !== 'admin' && u.role === 'admin') await this.keepOneAdmin(id);
    const signOut = patch.password !== undefined || !!patch.role;
    await this.repo.updateUser(id, changes, signOut, patch.password !== undefined ? now() : null);
    if (patch.password !== undefined) this.lockout.clearUser(u.username);
    if (signOut) this.end('user-ended', { userId: id });
    return toUser({ ...u, ...changes });
  }

  async removeUser(id: string): Promise<UserDto> {
    const u = await this.repo.userById(id);
    if (!u) throw new AppError(404, 'USER_NOT_FOUND', 'No such user.');
    if (u.role === 'admin') await this.keepOneAdmin(id);
    await this.repo.deleteUser(id, now());
    this.end('user-ended', { userId: id });
    return toUser(u);
  }

  private async keepOneAdmin(leaving: string): Promise<void> {
    const admins = await this.repo.countAdminsExcept(leaving);
    if (admins === 0) throw new AppError(409, 'LAST_ADMIN', 'This is the last admin: make someone else admin first.');
  }

  // ---- personal API tokens ------------------------------------------------------------------------------

  async listTokens(userId: string): Promise<TokenDto[]> {
    return (await this.repo.tokens(userId)).map((t) => ({
      id: t.id,
      name: t.name,
      created_at: t.createdAt,
      last_used_at: t.lastUsedAt,
      revoked: !!t.revokedAt,
    }));
  }

  /** Returns the token once; only its digest is kept. */
  async createToken(userId: string, name: string): Promise<TokenDto & { token: string }> {
    const token = `sct_${newSecret()}`;
    const t = {
      id: newId(),
      userId,
      name: cleanDisplayName(name).slice(0, 100) || 'token',
      tokenHash: digest(token),
      createdAt: now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.repo.insertToken(t);
    return { id: t.id, name: t.name, created_at: t.createdAt, last_used_at: null, revoked: false, token };
  }

  async revokeToken(userId: string, id: string, asAdmin: boolean): Promise<void> {
    const revoked = await this.repo.revokeToken(id, asAdmin ? null : userId, now());
    if (!revoked) throw new AppError(404, 'TOKEN_NOT_FOUND', 'No such active token.');
    this.end('token-ended', { tokenId: id });
  }

  /** Tells the socket layer to drop what just ended. */
  private end<E extends keyof AuthEvents>(event: E, ...args: AuthEvents[E]): void {
    this.endings++;
    (this.events.emit as (e: E, ...a: AuthEvents[E]) => boolean)(event, ...args);
  }

  // ---- audit --------------------------------------------------------------------------------------------

  async audit(entry: AuditInput): Promise<void> {
    await this.repo.insertAudit(entry, now());
  }

  async listAudit(f: AuditFilter): Promise<{ total: number; entries: AuditEntryDto[] }> {
    return this.repo.audit(f);
  }
}
