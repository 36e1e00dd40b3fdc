import type { AuthStore } from './auth.svelte.js';

/** The live connection as the session sees it: opened only once signed in. */
export interface LiveLink {
  connect(): void;
  disconnect(): void;
}

export interface SessionNav {
  /** To the sign-in page; `remember`: come back to the current page afterwards. */
  toSignIn(remember: boolean): void;
}

/**
 * Glues sign-in state, the socket and the router together:
 * - the socket connects only when signed in (or AUTH=off), and again after each sign-in;
 * - a 401 from REST or a socket refused with UNAUTHORIZED → the sign-in page, then back;
 * - the server dropping the socket ('io server disconnect': sign-out elsewhere, expiry, removal,
 *   role or password change) → ask /api/auth/me; still signed in → reconnect, else → sign-in page.
 */
export class Session {
  private checking: Promise<void> | null = null;
  private readonly ready: (() => void)[] = [];

  constructor(
    private readonly auth: AuthStore,
    private readonly link: LiveLink,
    private readonly nav: SessionNav,
    private readonly retryMs = 3_000,
  ) {}

  /** Runs `fn` after every successful sign-in (and at start when already signed in). */
  onSignedIn(fn: () => void): void {
    this.ready.push(fn);
  }

  /** First load: who am I? Retries while the server cannot be reached. */
  async start(): Promise<void> {
    for (;;) {
      const signedIn = await this.auth.load();
      if (this.auth.phase !== 'unreachable') {
        if (signedIn) this.enter();
        return;
      }
      await new Promise((r) => setTimeout(r, this.retryMs));
    }
  }

  async signIn(username: string, password: string): Promise<boolean> {
    const ok = await this.auth.signIn(username, password);
    if (ok) this.enter();
    return ok;
  }

  async setup(token: string, username: string, password: string): Promise<boolean> {
    const ok = await this.auth.setup(token, username, password);
    if (ok) this.enter();
    return ok;
  }

  async signOut(): Promise<void> {
    this.link.disconnect();
    // Navigate before the user is cleared, so the pages do not first ask to come back here.
    await this.auth.signOut(() => this.nav.toSignIn(false));
  }

  /** REST answered 401 UNAUTHORIZED. */
  unauthorized(): void {
    if (!this.auth.authOn) return;
    this.auth.lost();
    this.link.disconnect();
    this.nav.toSignIn(true);
  }

  /** The socket handshake failed. Only UNAUTHORIZED concerns us; anything else reconnects by itself. */
  connectError(err: { message: string }): void {
    if (err.message === 'UNAUTHORIZED') this.unauthorized();
  }

  /** The socket closed; a close by the server means our session may have ended. */
  disconnected(reason: string): Promise<void> {
    if (reason !== 'io server disconnect' || !this.auth.authOn) return Promise.resolve();
    this.checking ??= (async () => {
      const stillIn = await this.auth.load();
      if (stillIn) this.link.connect();
      else {
        this.auth.lost();
        this.auth.expired = true;
        this.nav.toSignIn(true);
      }
    })().finally(() => (this.checking = null));
    return this.checking;
  }

  private enter(): void {
    this.link.connect();
    for (const fn of this.ready) fn();
  }
}
