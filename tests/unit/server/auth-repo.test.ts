import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthRepo, type User } from '../../../server/auth/auth.repo.js';
import { openDatabase, type Database } from '../../../server/db/database.js';
import { ensureStorage, storagePaths } from '../../../server/storage/paths.js';
import { tempStorage } from '../../helpers/server.js';

let db: Database;
let dir = '';
let repo: AuthRepo;
const at = '2026-01-01T00:00:00.000Z';
const user = (id: string, role: User['role'] = 'planner'): User => ({
  id,
  username: `name-${id}`,
  passwordHash: 'hash',
  role,
  failedLogins: 0,
  lockedUntil: null,
  createdAt: at,
});

beforeEach(async () => {
  dir = tempStorage();
  const paths = storagePaths(dir);
  await ensureStorage(paths);
  db = await openDatabase(paths.db);
  repo = new AuthRepo(db);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('AuthRepo', () => {
  it('answers with domain records, not rows', async () => {
    await repo.insertUser(user('u1', 'admin'));
    expect(await repo.userByName('name-u1')).toEqual(user('u1', 'admin'));
    await repo.updateUser('u1', { failedLogins: 3, lockedUntil: at });
    expect(await repo.userById('u1')).toMatchObject({ failedLogins: 3, lockedUntil: at });
    expect(await repo.countAdminsExcept('u1')).toBe(0);
  });

  it('opens sessions, ends them with the user, and scopes token revocation to the owner', async () => {
    await repo.insertUser(user('u1'));
    await repo.insertUser(user('u2'));
    await repo.openSession({ id: 's1', userId: 'u1', createdAt: at, expiresAt: at, ip: null });
    expect(await repo.expiredSessions(at)).toEqual(['s1']);
    const token = { id: 't1', userId: 'u1', name: 'ci', tokenHash: 'h1', createdAt: at, lastUsedAt: null };
    await repo.insertToken({ ...token, revokedAt: null });
    expect(await repo.activeToken('h1')).toEqual({ ...token, revokedAt: null });
    expect(await repo.revokeToken('t1', 'u2', at)).toBe(false);
    await repo.deleteUser('u1', at);
    expect(await repo.session('s1')).toBeNull();
    expect(await repo.activeToken('h1')).toBeNull();
    expect((await repo.tokens('u1'))[0].revokedAt).toBe(at);
  });
});
