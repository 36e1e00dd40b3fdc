/// <reference types="svelte" />
import type { AuditEntryDto, Role, TokenDto, UserDto } from '$contract/auth.js';
import type { ClientError } from './result.js';
import type { AccountApi, AuditQuery, NewTokenDto, NewUser } from './api.js';

/** A short success line after an action, e.g. "User ana was added." */
export interface Notice {
  key: 'users.added' | 'users.role.changed' | 'users.reset.done' | 'users.removed';
  name: string;
  role?: Role;
}

/** Admin → Users: list, add, change role, reset password (also unlocks), remove. */
export class UsersStore {
  users = $state<UserDto[]>([]);
  loading = $state(false);
  busy = $state(false);
  error = $state<ClientError | null>(null);
  notice = $state<Notice | null>(null);

  /** changed: after each change made here (each is in the audit trail, which the page then re-reads) */
  constructor(
    private readonly api: Pick<AccountApi, 'listUsers' | 'addUser' | 'updateUser' | 'removeUser'>,
    private readonly changed?: () => void,
  ) {}

  async load(): Promise<void> {
    this.loading = true;
    const r = await this.api.listUsers();
    this.loading = false;
    if (r.ok) this.users = r.data.users;
    else this.error = r.error;
  }

  /** Resolves true when added (the form then clears itself). */
  add(user: NewUser): Promise<boolean> {
    return this.act(() => this.api.addUser({ ...user, username: user.username.trim() }), {
      key: 'users.added',
      name: user.username.trim(),
    });
  }

  setRole(user: UserDto, role: Role): Promise<boolean> {
    if (role === user.role) return Promise.resolve(true);
    return this.act(() => this.api.updateUser(user.id, { role }), {
      key: 'users.role.changed',
      name: user.username,
      role,
    });
  }

  resetPassword(user: UserDto, password: string): Promise<boolean> {
    return this.act(() => this.api.updateUser(user.id, { password }), { key: 'users.reset.done', name: user.username });
  }

  remove(user: UserDto): Promise<boolean> {
    return this.act(() => this.api.removeUser(user.id), { key: 'users.removed', name: user.username });
  }

  private async act(
    call: () => Promise<{ ok: true } | { ok: false; error: ClientError }>,
    notice: Notice,
  ): Promise<boolean> {
    this.busy = true;
    this.error = null;
    this.notice = null;
    const r = await call();
    this.busy = false;
    if (!r.ok) {
      this.error = r.error;
      // The list may be stale (e.g. the user was removed meanwhile): show the truth.
      await this.load();
      return false;
    }
    this.notice = notice;
    this.changed?.();
    await this.load();
    return true;
  }
}

export const AUDIT_PAGE_SIZE = 25;

/** Admin → Audit log: filter by user, action (prefix) and job; paged, newest first. */
export class AuditStore {
  entries = $state<AuditEntryDto[]>([]);
  total = $state(0);
  page = $state(1);
  user = $state('');
  action = $state('');
  job = $state('');
  loading = $state(false);
  error = $state<ClientError | null>(null);
  private seq = 0;

  constructor(private readonly api: Pick<AccountApi, 'audit'>) {}

  get pages(): number {
    return Math.max(1, Math.ceil(this.total / AUDIT_PAGE_SIZE));
  }

  get query(): AuditQuery {
    return { user: this.user, action: this.action, job: this.job, page: this.page, page_size: AUDIT_PAGE_SIZE };
  }

  async load(): Promise<void> {
    const mine = ++this.seq;
    this.loading = true;
    const r = await this.api.audit(this.query);
    if (mine !== this.seq) return;
    this.loading = false;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.error = null;
    this.entries = r.data.entries;
    this.total = r.data.total;
  }

  /** Applies new filters from the first page. */
  filter(f: { user?: string; action?: string; job?: string }): Promise<void> {
    if (f.user !== undefined) this.user = f.user.trim();
    if (f.action !== undefined) this.action = f.action.trim();
    if (f.job !== undefined) this.job = f.job.trim();
    this.page = 1;
    return this.load();
  }

  clear(): Promise<void> {
    return this.filter({ user: '', action: '', job: '' });
  }

  goTo(page: number): Promise<void> {
    this.page = Math.min(Math.max(1, page), this.pages);
    return this.load();
  }
}

/** My API tokens: list, create (the secret is shown once), revoke. */
export class TokensStore {
  tokens = $state<TokenDto[]>([]);
  /** The token just created: its secret is shown until dismissed, never again. */
  fresh = $state<NewTokenDto | null>(null);
  busy = $state(false);
  error = $state<ClientError | null>(null);

  constructor(private readonly api: Pick<AccountApi, 'listTokens' | 'createToken' | 'revokeToken'>) {}

  async load(): Promise<void> {
    const r = await this.api.listTokens();
    if (r.ok) this.tokens = r.data.tokens;
    else this.error = r.error;
  }

  async create(name: string): Promise<boolean> {
    this.busy = true;
    this.error = null;
    const r = await this.api.createToken(name.trim());
    this.busy = false;
    if (!r.ok) {
      this.error = r.error;
      return false;
    }
    this.fresh = r.data;
    await this.load();
    return true;
  }

  async revoke(id: string): Promise<void> {
    this.busy = true;
    this.error = null;
    const r = await this.api.revokeToken(id);
    this.busy = false;
    if (!r.ok) this.error = r.error;
    if (this.fresh?.id === id) this.fresh = null;
    await this.load();
  }

  dismiss(): void {
    this.fresh = null;
  }
}
