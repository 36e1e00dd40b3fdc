/**
 * `npm run user` manages users in the same SQLite file; the server takes them as they are.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signIn } from '../helpers/auth.js';
import { bootServer, tempStorage, type TestServer } from '../helpers/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const storage = tempStorage();
let s: TestServer | null = null;
afterAll(() => s?.stop());

// Async on purpose: the server under test runs in this process and must keep serving meanwhile.
async function user(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'server/cli/user.ts'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, STORAGE_DIR: storage, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      },
    );
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: `${err.stdout}${err.stderr}` };
  }
}

describe('npm run user', () => {
  it('adds, resets and removes users; the server signs them in; the audit names the shell', async () => {
    const added = await user('add', 'ops', '--role', 'admin');
    expect(added.code).toBe(0);
    const password = /password: (\S+)/.exec(added.out)![1];
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect((await user('add', 'ops', '--password', 'another-pass-1')).code).toBe(1); // exists
    expect((await user('add', 'weak', '--password', 'short')).out).toMatch(/at least 8 characters/);
    expect((await user('remove', 'ops')).out).toMatch(/last admin/);

    s = await bootServer({ storage, env: { AUTH: 'on' } });
    expect(s.setupUrl).toBeNull(); // there is a user already: no setup link
    const admin = await signIn(s.url, 'ops', password);
    expect((await admin.json('GET', '/api/users')).status).toBe(200);
    const reset = await user('reset', 'ops', '--password', 'brand-new-pass-1');
    expect(reset.code).toBe(0);
    expect((await admin.json('GET', '/api/users')).status).toBe(401); // reset signs out everywhere
    const again = await signIn(s.url, 'ops', 'brand-new-pass-1');
    const audit = await again.json<{ entries: { username: string; action: string }[] }>('GET', '/api/audit?user=cli');
    expect(audit.body.entries.map((e) => e.action)).toEqual(['user.update', 'user.add']);
    expect((await user('frobnicate')).code).toBe(2);
  });
});
