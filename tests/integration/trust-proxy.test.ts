/**
 * TRUST_PROXY as deployed (issue 18): behind a proxy the lockout and the audit key on the address the
 * proxy sets, whatever a client writes into X-Forwarded-For itself; without one the header is ignored;
 * `on` (every hop trusted, so the client's own leftmost entry believed) is refused at start.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { setupAdmin } from '../helpers/auth.js';
import { bootServer, tempStorage, type TestServer } from '../helpers/server.js';

let s: TestServer | null = null;
afterEach(async () => {
  await s?.stop();
  s = null;
});

async function wrongPasswords(headers: (i: number) => Record<string, string>, n = 12): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${s!.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s!.url, ...headers(i) },
      body: JSON.stringify({ username: 'admin', password: 'wrong-password' }),
    });
    await res.text();
    statuses.push(res.status);
  }
  return statuses;
}

/** The client's own guesses, rotated so that each attempt would come from a new address if believed. */
const fake = (i: number) => `203.0.113.${i + 1}`;
const env = { AUTH: 'on', LOCKOUT_AFTER: '5', LOGIN_PER_MINUTE: '1000' };

async function failedFrom(admin: Awaited<ReturnType<typeof setupAdmin>>): Promise<string[]> {
  const audit = await admin.json<{ entries: { ip: string | null }[] }>('GET', '/api/audit?action=auth.login_failed');
  return [...new Set(audit.body.entries.map((e) => e.ip ?? ''))];
}

describe('TRUST_PROXY in a deployment', () => {
  it('behind a proxy (loopback) keys the lockout and the audit on the address the proxy adds', async () => {
    s = await bootServer({ env: { ...env, TRUST_PROXY: 'loopback' } });
    const admin = await setupAdmin(s.url, s.setupUrl!);
    // nginx on this machine appends the address it saw to what the client sent (the worst case)
    const statuses = await wrongPasswords((i) => ({ 'x-forwarded-for': `${fake(i)}, 198.51.100.7` }));
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual(Array(7).fill(423));
    expect(await failedFrom(admin)).toEqual(['198.51.100.7']);
    // another person behind the same proxy is not locked out
    const other = await wrongPasswords(() => ({ 'x-forwarded-for': '198.51.100.8' }), 1);
    expect(other).toEqual([401]);
  });

  it('without TRUST_PROXY ignores X-Forwarded-For: a direct client is locked whatever it sends', async () => {
    s = await bootServer({ env });
    const admin = await setupAdmin(s.url, s.setupUrl!);
    const statuses = await wrongPasswords((i) => ({ 'x-forwarded-for': fake(i), 'x-real-ip': fake(i) }));
    expect(statuses.slice(5)).toEqual(Array(7).fill(423));
    expect(await failedFrom(admin)).toEqual([expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/)]);
  });

  it('refuses to start with TRUST_PROXY=on, saying what to give instead', async () => {
    const storage = tempStorage();
    try {
      await expect(bootServer({ storage, env: { ...env, TRUST_PROXY: 'on' } })).rejects.toThrow(
        /TRUST_PROXY: .*would trust every hop.*number of proxies/,
      );
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  });
});
