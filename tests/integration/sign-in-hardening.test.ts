/**
 * Sign-in (issue 14): a lockout that tells nobody which names exist and that nobody at another address
 * can use to lock a person out; TRUST_PROXY for the client's address and the Secure cookie behind a TLS
 * proxy; hashes of an older scrypt cost made again at the next sign-in.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setupAdmin, signIn } from '../helpers/auth.js';
import { bootServer, tempStorage, type TestServer } from '../helpers/server.js';

let s: TestServer | null = null;
afterEach(async () => {
  await s?.stop();
  s = null;
});

function login(username: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${s!.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: s!.url, ...headers },
    body: JSON.stringify({ username, password }),
  });
}

const answer = async (r: Response) => ({ status: r.status, body: await r.text() });

describe('lockout', () => {
  it('answers alike for real and unknown names, and locks only the address that failed', async () => {
    s = await bootServer({
      env: { AUTH: 'on', LOCKOUT_AFTER: '3', LOGIN_PER_MINUTE: '1000', TRUST_PROXY: 'loopback' },
    });
    const admin = await setupAdmin(s.url, s.setupUrl!);
    await admin.json('POST', '/api/users', { username: 'planner1', password: 'planner1-password', role: 'planner' });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });

    for (const name of ['planner1', 'ghost']) {
      const tries = [];
      for (let i = 0; i < 4; i++) tries.push(await answer(await login(name, 'wrong-password', from('10.0.0.66'))));
      expect(tries.map((t) => t.status)).toEqual([401, 401, 401, 423]);
    }
    // Same words for both: nothing tells which name is an account.
    const real = await answer(await login('planner1', 'wrong-password', from('10.0.0.66')));
    const ghost = await answer(await login('ghost', 'wrong-password', from('10.0.0.66')));
    expect(real).toEqual(ghost);

    // The person at their own desk still signs in; the locked address stays locked even with the password.
    expect((await login('planner1', 'planner1-password', from('10.0.0.7'))).status).toBe(200);
    expect((await login('planner1', 'planner1-password', from('10.0.0.66'))).status).toBe(423);
    // An admin sees the account under attack, and a password reset lets the locked address try again.
    const users = await admin.json<{ users: { id: string; username: string; locked: boolean }[] }>('GET', '/api/users');
    const p1 = users.body.users.find((u) => u.username === 'planner1')!;
    expect(p1.locked).toBe(true);
    await admin.json('PATCH', `/api/users/${p1.id}`, { password: 'planner1-new-password' });
    expect((await login('planner1', 'planner1-new-password', from('10.0.0.66'))).status).toBe(200);
  });
});

describe('display names', () => {
  it('keeps bidi controls out of token names and of the names failed sign-ins put in the audit trail', async () => {
    s = await bootServer({ env: { AUTH: 'on' } });
    const admin = await setupAdmin(s.url, s.setupUrl!);
    const t = await admin.json<{ name: string }>('POST', '/api/tokens', { name: 'nightly\u202Etxt.exe' });
    expect(t.body.name).toBe('nightlytxt.exe');
    expect((await login('eve\u202Enimda', 'wrong-password')).status).toBe(401);
    const audit = await admin.json<{ entries: { action: string; username: string }[] }>(
      'GET',
      '/api/audit?action=auth.login_failed',
    );
    expect(audit.body.entries.map((e) => e.username)).toEqual(['evenimda']);
  });
});

describe('TRUST_PROXY', () => {
  it('marks the cookie Secure only when a trusted proxy says the browser used https', async () => {
    s = await bootServer({ env: { AUTH: 'on', TRUST_PROXY: 'loopback' } });
    await setupAdmin(s.url, s.setupUrl!);
    const viaTls = await login('admin', 'admin-pass-1', { 'x-forwarded-proto': 'https' });
    expect(viaTls.status).toBe(200);
    expect(viaTls.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const plain = await login('admin', 'admin-pass-1');
    expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    await s.stop();

    // Without TRUST_PROXY the header is anyone's to send: not believed.
    s = await bootServer({ env: { AUTH: 'on' } });
    await setupAdmin(s.url, s.setupUrl!);
    const forged = await login('admin', 'admin-pass-1', { 'x-forwarded-proto': 'https' });
    expect(forged.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  });
});

describe('password hashes of an older release', () => {
  it('verify, and are made again at N = 2^17 at the next sign-in', async () => {
    const fixture = path.resolve(import.meta.dirname, '../fixtures/storage/v0.1.0');
    const storage = tempStorage();
    for (const f of ['sparecast.sqlite', 'uploads', 'outputs'])
      cpSync(path.join(fixture, f), path.join(storage, f), { recursive: true });
    s = await bootServer({ storage, env: { AUTH: 'on' } });
    const hash = async () =>
      (
        (await s!.db.sequelize.query("SELECT password_hash FROM users WHERE username = 'admin'", { plain: true })) as {
          password_hash: string;
        }
      ).password_hash;
    expect(await hash()).toMatch(/^scrypt\$16384\$/);
    await signIn(s.url, 'admin', 'admin-pass-1');
    expect(await hash()).toMatch(/^scrypt\$131072\$8\$1\$/);
    await signIn(s.url, 'admin', 'admin-pass-1');
    expect((await login('admin', 'wrong-password')).status).toBe(401);
  });
});
