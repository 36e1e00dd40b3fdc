import './runes-shim.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthStore } from '../../../client/src/lib/auth.svelte.js';
import { Session } from '../../../client/src/lib/session.js';
import { FakeAuthApi } from './fakes.js';

describe('AuthStore', () => {
  let api: FakeAuthApi;
  let auth: AuthStore;
  beforeEach(() => {
    api = new FakeAuthApi();
    auth = new AuthStore(api);
  });

  it('before the server answers: loading, sign-in assumed needed, nothing allowed', () => {
    expect(auth.phase).toBe('loading');
    expect(auth.authOn).toBe(true);
    expect(auth.signedIn).toBe(false);
    expect(auth.can).toMatchObject({ run: false, stop: false, admin: false });
  });

  it('AUTH=off: the local admin, no sign-in at all, everything allowed', async () => {
    api.mode = 'off';
    expect(await auth.load()).toBe(true);
    expect(auth.authOn).toBe(false);
    expect(auth.user?.username).toBe('local');
    expect(auth.can).toMatchObject({ run: true, stop: true, admin: true });
    auth.lost(); // a stray 401 cannot sign the local admin out
    expect(auth.signedIn).toBe(true);
  });

  it('signs in, exposes the role, signs out', async () => {
    expect(await auth.load()).toBe(false);
    expect(auth.phase).toBe('ready');
    expect(await auth.signIn(' pat ', 'pat-pass')).toBe(true);
    expect(api.calls).toContain('login:pat');
    expect(auth.user).toMatchObject({ username: 'pat', role: 'planner' });
    expect(auth.can).toMatchObject({ run: true, stop: true, admin: false });
    expect(auth.can.deleteJob({ created_by: 'pat' })).toBe(true);
    expect(auth.can.deleteJob({ created_by: 'ada' })).toBe(false);
    await auth.signOut();
    expect(auth.signedIn).toBe(false);
    expect(auth.expired).toBe(false);
    expect(api.session).toBeNull();
  });

  it('keeps a failed sign-in’s error for the form and stays signed out', async () => {
    await auth.load();
    expect(await auth.signIn('pat', 'nope')).toBe(false);
    expect(auth.error?.code).toBe('BAD_CREDENTIALS');
    expect(auth.signedIn).toBe(false);
    expect(await auth.signIn('pat', 'pat-pass')).toBe(true);
    expect(auth.error).toBeNull();
  });

  it('first-admin setup signs the new admin in', async () => {
    api.setupToken = 'tok';
    await auth.load();
    expect(auth.setupRequired).toBe(true);
    expect(await auth.setup('bad', 'boss', 'boss-password')).toBe(false);
    expect(auth.error?.code).toBe('SETUP_CLOSED');
    expect(await auth.setup('tok', 'boss', 'boss-password')).toBe(true);
    expect(auth.user).toMatchObject({ username: 'boss', role: 'admin' });
    expect(auth.setupRequired).toBe(false);
    expect(auth.can.admin).toBe(true);
  });

  it('a lost session marks the sign-in page “session ended”', async () => {
    api.session = api.users[2]!;
    expect(await auth.load()).toBe(true);
    expect(auth.can).toMatchObject({ run: false, stop: false, admin: false });
    auth.lost();
    expect(auth.signedIn).toBe(false);
    expect(auth.expired).toBe(true);
  });

  it('an unreachable server on first load is reported, not taken for “signed out”', async () => {
    api.down = true;
    expect(await auth.load()).toBe(false);
    expect(auth.phase).toBe('unreachable');
    api.down = false;
    await auth.load();
    expect(auth.phase).toBe('ready');
  });
});

describe('Session: socket and sign-in page follow the session', () => {
  let api: FakeAuthApi;
  let auth: AuthStore;
  let link: { connects: number; disconnects: number; connect(): void; disconnect(): void };
  let nav: { to: boolean[]; toSignIn(remember: boolean): void };
  let session: Session;
  let resumed: number;

  beforeEach(() => {
    api = new FakeAuthApi();
    auth = new AuthStore(api);
    link = {
      connects: 0,
      disconnects: 0,
      connect() {
        this.connects++;
      },
      disconnect() {
        this.disconnects++;
      },
    };
    nav = {
      to: [],
      toSignIn(remember) {
        this.to.push(remember);
      },
    };
    session = new Session(auth, link, nav, 1);
    resumed = 0;
    session.onSignedIn(() => resumed++);
  });

  it('does not open the socket until signed in; opens it after sign-in', async () => {
    await session.start();
    expect(link.connects).toBe(0);
    expect(resumed).toBe(0);
    expect(await session.signIn('vera', 'vera-pass')).toBe(true);
    expect(link.connects).toBe(1);
    expect(resumed).toBe(1);
  });

  it('AUTH=off or an existing session: connects at start', async () => {
    api.mode = 'off';
    await session.start();
    expect(link.connects).toBe(1);
    expect(resumed).toBe(1);
  });

  it('retries /api/auth/me while the server is unreachable', async () => {
    api.down = true;
    const started = session.start();
    await new Promise((r) => setTimeout(r, 10));
    api.down = false;
    api.session = api.users[0]!;
    await started;
    expect(api.calls.filter((c) => c === 'me').length).toBeGreaterThan(1);
    expect(link.connects).toBe(1);
  });

  it('a 401 or a refused socket → sign-in page (coming back afterwards), socket closed', async () => {
    api.session = api.users[1]!;
    await session.start();
    session.connectError({ message: 'xhr poll error' }); // the server is restarting: not our business
    expect(nav.to).toEqual([]);
    session.connectError({ message: 'UNAUTHORIZED' });
    expect(auth.signedIn).toBe(false);
    expect(auth.expired).toBe(true);
    expect(link.disconnects).toBe(1);
    expect(nav.to).toEqual([true]);
    await session.signIn('pat', 'pat-pass');
    session.unauthorized();
    expect(nav.to).toEqual([true, true]);
  });

  it('a server disconnect after the session ended → sign-in page; while still signed in → reconnect', async () => {
    api.session = api.users[1]!;
    await session.start();
    await session.disconnected('transport close'); // network: socket.io reconnects by itself
    expect(api.calls.filter((c) => c === 'me')).toHaveLength(1);
    await session.disconnected('io server disconnect');
    expect(link.connects).toBe(2); // still signed in: back online
    api.session = null; // signed out in another tab, removed, or role changed
    await session.disconnected('io server disconnect');
    expect(auth.signedIn).toBe(false);
    expect(auth.expired).toBe(true);
    expect(nav.to).toEqual([true]);
    expect(link.connects).toBe(2);
  });

  it('signing out closes the socket first and shows a plain sign-in page', async () => {
    api.session = api.users[0]!;
    await session.start();
    await session.signOut();
    expect(link.disconnects).toBe(1);
    expect(api.calls).toContain('logout');
    expect(nav.to).toEqual([false]);
    expect(auth.expired).toBe(false);
  });

  it('with AUTH=off nothing ever sends anyone to a sign-in page', async () => {
    api.mode = 'off';
    await session.start();
    session.unauthorized();
    session.connectError({ message: 'UNAUTHORIZED' });
    await session.disconnected('io server disconnect');
    expect(nav.to).toEqual([]);
    expect(auth.signedIn).toBe(true);
  });
});
