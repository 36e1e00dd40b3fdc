import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type { AuditEntryDto, Role, TokenDto, UserDto } from '../../../server/contract/auth.js';
import { AUDIT_PAGE_SIZE, AuditStore, TokensStore, UsersStore } from '../../../client/src/lib/admin.svelte.js';
import { auditQuery, type AccountApi, type AuditQuery } from '../../../client/src/lib/api.js';
import type { Result } from '../../../client/src/lib/result.js';

const ok = <T>(data: T): Result<T> => ({ ok: true, data });

/** The admin endpoints over an in-memory user list. */
class FakeAdminApi implements Pick<
  AccountApi,
  'listUsers' | 'addUser' | 'updateUser' | 'removeUser' | 'listTokens' | 'createToken' | 'revokeToken' | 'audit'
> {
  users: UserDto[] = [{ id: 'u1', username: 'ada', role: 'admin', created_at: '2026-01-01T00:00:00Z', locked: false }];
  tokens: TokenDto[] = [];
  entries: AuditEntryDto[] = Array.from({ length: 60 }, (_, i) => ({
    id: 60 - i,
    at: '2026-01-01T00:00:00Z',
    user_id: 'u1',
    username: i % 2 ? 'ada' : 'pat',
    action: i % 3 ? 'job.upload' : 'auth.login',
    job_id: null,
    detail: null,
    ip: '127.0.0.1',
    via: i % 2 ? 'cookie' : 'token',
  }));
  queries: AuditQuery[] = [];

  async listUsers() {
    return ok({ users: this.users.map((u) => ({ ...u })) });
  }
  async addUser(u: { username: string; password: string; role: Role }): Promise<Result<UserDto>> {
    if (this.users.some((x) => x.username === u.username))
      return { ok: false, error: { code: 'USER_EXISTS', message: '' } };
    const user = {
      id: `u${this.users.length + 1}`,
      username: u.username,
      role: u.role,
      created_at: '2026-01-02T00:00:00Z',
      locked: false,
    };
    this.users.push(user);
    return ok(user);
  }
  async updateUser(id: string, patch: { role?: Role; password?: string }): Promise<Result<UserDto>> {
    const u = this.users.find((x) => x.id === id);
    if (!u) return { ok: false, error: { code: 'USER_NOT_FOUND', message: '' } };
    if (
      patch.role &&
      patch.role !== 'admin' &&
      u.role === 'admin' &&
      this.users.filter((x) => x.role === 'admin').length === 1
    )
      return { ok: false, error: { code: 'LAST_ADMIN', message: '' } };
    if (patch.role) u.role = patch.role;
    if (patch.password) u.locked = false;
    return ok({ ...u });
  }
  async removeUser(id: string): Promise<Result<void>> {
    this.users = this.users.filter((u) => u.id !== id);
    return ok(undefined);
  }
  async listTokens() {
    return ok({ tokens: this.tokens.map((t) => ({ ...t })) });
  }
  async createToken(name: string) {
    const t = {
      id: `t${this.tokens.length + 1}`,
      name,
      created_at: '2026-01-01T00:00:00Z',
      last_used_at: null,
      revoked: false,
    };
    this.tokens.push(t);
    return ok({ ...t, token: `sct_secret_${t.id}` });
  }
  async revokeToken(id: string): Promise<Result<void>> {
    const t = this.tokens.find((x) => x.id === id);
    if (t) t.revoked = true;
    return ok(undefined);
  }
  async audit(q: AuditQuery) {
    this.queries.push(q);
    const list = this.entries.filter(
      (e) => (!q.user || e.username === q.user) && (!q.action || e.action.startsWith(q.action)),
    );
    return ok({
      total: list.length,
      entries: list.slice((q.page - 1) * q.page_size, q.page * q.page_size),
      page: q.page,
      page_size: q.page_size,
    });
  }
}

describe('admin stores', () => {
  it('users: add, change role, reset password, remove; errors keep the list true', async () => {
    const api = new FakeAdminApi();
    const users = new UsersStore(api);
    await users.load();
    expect(users.users.map((u) => u.username)).toEqual(['ada']);
    expect(await users.add({ username: ' pat ', password: 'pat-password', role: 'planner' })).toBe(true);
    expect(users.notice).toEqual({ key: 'users.added', name: 'pat' });
    expect(users.users.map((u) => `${u.username}:${u.role}`)).toEqual(['ada:admin', 'pat:planner']);
    expect(await users.add({ username: 'pat', password: 'pat-password', role: 'viewer' })).toBe(false);
    expect(users.error?.code).toBe('USER_EXISTS');
    const pat = users.users[1]!;
    expect(await users.setRole(pat, 'viewer')).toBe(true);
    expect(users.notice).toEqual({ key: 'users.role.changed', name: 'pat', role: 'viewer' });
    expect(users.error).toBeNull();
    expect(await users.setRole(users.users[0]!, 'viewer')).toBe(false);
    expect(users.error?.code).toBe('LAST_ADMIN');
    expect(users.users[0]!.role).toBe('admin'); // the select snaps back to the truth
    expect(await users.resetPassword(pat, 'new-password')).toBe(true);
    expect(await users.remove(pat)).toBe(true);
    expect(users.users.map((u) => u.username)).toEqual(['ada']);
  });

  it('audit: filters from page 1, pages through, clears', async () => {
    const api = new FakeAdminApi();
    const audit = new AuditStore(api);
    await audit.load();
    expect(audit.total).toBe(60);
    expect(audit.pages).toBe(Math.ceil(60 / AUDIT_PAGE_SIZE));
    await audit.goTo(2);
    expect(audit.page).toBe(2);
    await audit.filter({ user: ' pat ', action: 'job.' });
    expect(audit.page).toBe(1);
    expect(api.queries.at(-1)).toMatchObject({ user: 'pat', action: 'job.', page: 1 });
    expect(audit.entries.every((e) => e.username === 'pat' && e.action.startsWith('job.'))).toBe(true);
    await audit.goTo(99);
    expect(audit.page).toBe(audit.pages);
    await audit.clear();
    expect(audit.total).toBe(60);
    expect(auditQuery({ user: '', action: ' job.stop ', job: 'abc', page: 2, page_size: 25 })).toBe(
      'action=job.stop&job=abc&page=2&page_size=25',
    );
  });

  it('tokens: the secret is shown once, then only the name; revoke', async () => {
    const api = new FakeAdminApi();
    const tokens = new TokensStore(api);
    await tokens.load();
    expect(await tokens.create('  cli ')).toBe(true);
    expect(tokens.fresh?.token).toBe('sct_secret_t1');
    expect(tokens.tokens).toEqual([expect.objectContaining({ name: 'cli', revoked: false })]);
    expect(JSON.stringify(tokens.tokens)).not.toContain('sct_');
    tokens.dismiss();
    expect(tokens.fresh).toBeNull();
    await tokens.revoke('t1');
    expect(tokens.tokens[0]!.revoked).toBe(true);
  });
});
