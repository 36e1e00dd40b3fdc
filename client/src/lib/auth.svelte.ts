/// <reference types="svelte" />
import type { AuthUserDto, MeDto } from '$contract/auth.js';
import type { ClientError } from './result.js';
import type { AccountApi } from './api.js';
import { permissionsFor, type Permissions } from './permissions.js';

export type AuthPhase = 'loading' | 'ready' | 'unreachable';

/**
 * Who is signed in (GET /api/auth/me), sign-in, first-admin setup and sign-out. With AUTH=off the
 * server answers a local admin: `authOn` is false and the pages show no sign-in at all.
 */
export class AuthStore {
  me = $state<MeDto | null>(null);
  phase = $state<AuthPhase>('loading');
  busy = $state(false);
  /** The last sign-in / setup failure, shown on its form. */
  error = $state<ClientError | null>(null);
  /** The session ended under the user (401, refused socket, server disconnect): the sign-in page says so. */
  expired = $state(false);
  /** The first admin was just created here: the dashboard says what comes next and where users are managed. */
  welcomeAdmin = $state(false);

  constructor(private readonly api: Pick<AccountApi, 'me' | 'login' | 'logout' | 'setup'>) {}

  /** False only when the server says AUTH=off (until it answers, assume sign-in is needed). */
  get authOn(): boolean {
    return this.me?.auth !== 'off';
  }

  get user(): AuthUserDto | null {
    return this.me?.user ?? null;
  }

  get signedIn(): boolean {
    return this.user !== null;
  }

  get setupRequired(): boolean {
    return !!this.me?.setup_required;
  }

  get can(): Permissions {
    return permissionsFor(this.user);
  }

  /** Asks the server who we are. Resolves true when signed in (or AUTH=off). */
  async load(): Promise<boolean> {
    const r = await this.api.me();
    if (!r.ok) {
      if (!this.me) this.phase = 'unreachable';
      return this.signedIn;
    }
    this.me = r.data;
    this.phase = 'ready';
    return this.signedIn;
  }

  async signIn(username: string, password: string): Promise<boolean> {
    return this.enter(() => this.api.login(username.trim(), password));
  }

  /** Creates the first admin with the one-time token from the server console, and signs in. */
  async setup(token: string, username: string, password: string): Promise<boolean> {
    const ok = await this.enter(() => this.api.setup(token, username.trim(), password));
    if (ok) this.welcomeAdmin = true;
    return ok;
  }

  private async enter(call: () => ReturnType<AccountApi['login']>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    const r = await call();
    this.busy = false;
    if (!r.ok) {
      this.error = r.error;
      return false;
    }
    this.me = { auth: 'on', user: r.data.user, setup_required: false };
    this.phase = 'ready';
    this.expired = false;
    return true;
  }

  /** `before` runs after the server forgot the session and just before the pages learn it (to navigate first). */
  async signOut(before?: () => void): Promise<void> {
    await this.api.logout();
    before?.();
    this.forget(false);
  }

  /** The server no longer knows our session. */
  lost(): void {
    if (!this.authOn) return;
    this.forget(this.signedIn);
  }

  private forget(expired: boolean): void {
    if (this.me) this.me = { ...this.me, user: null };
    this.welcomeAdmin = false;
    this.expired = expired;
    this.error = null;
  }
}
