/**
 * Manage users from the shell (works while the server runs; same SQLite file):
 *
 *   npm run user -- add <username> [--role viewer|planner|admin] [--password P]
 *   npm run user -- reset <username> [--password P]      (new password, unlocks, signs out everywhere)
 *   npm run user -- role <username> <viewer|planner|admin>
 *   npm run user -- remove <username>
 *   npm run user -- list
 *
 * Without --password a strong one is generated and printed once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AuthService } from '../auth/auth.service.js';
import { AuthRepo } from '../auth/auth.repo.js';
import { newSecret } from '../auth/password.js';
import { loadConfig } from '../config.js';
import { ROLES, type AuditAction, type Role } from '../contract/auth.js';
import { AppError } from '../contract/errors.js';
import { openDatabase } from '../db/database.js';
import { appRoot } from '../storage/app-root.js';
import { ensureStorage, storagePaths } from '../storage/paths.js';

const USAGE =
  'usage: npm run user -- add <name> [--role R] [--password P] | reset <name> [--password P] | role <name> <R> | remove <name> | list';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string', default: 'planner' }, password: { type: 'string' } },
  });
  const [cmd, name, arg] = positionals;
  const pkg = JSON.parse(readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string };
  const config = loadConfig({ ...process.env, AUTH: 'on' }, pkg.version);
  const paths = storagePaths(config.storageDir);
  await ensureStorage(paths);
  const db = await openDatabase(paths.db);
  const auth = new AuthService(new AuthRepo(db), {
    sessionTtlMs: config.SESSION_TTL,
    lockoutThreshold: config.LOCKOUT_AFTER,
    lockoutMs: config.LOCKOUT_FOR,
  });
  const isRole = (r: string | undefined): r is Role => ROLES.includes(r as Role);
  const mustFind = async (n: string | undefined) => {
    const u = n ? await auth.findUser(n) : null;
    if (!u) throw new AppError(404, 'USER_NOT_FOUND', `No user "${n ?? ''}".`);
    return u;
  };
  const record = (action: AuditAction, detail: string) =>
    auth.audit({ user_id: null, username: 'cli', action, job_id: null, detail, ip: 'shell' });
  try {
    switch (cmd) {
      case 'add': {
        if (!name || !isRole(values.role)) return usage();
        const password = values.password ?? newSecret(12);
        const u = await auth.addUser(name, password, values.role);
        await record('user.add', `${u.username} (${u.role})`);
        console.log(`added ${u.username} (${u.role})${values.password ? '' : `, password: ${password}`}`);
        return 0;
      }
      case 'reset': {
        const u = await mustFind(name);
        const password = values.password ?? newSecret(12);
        await auth.updateUser(u.id, { password });
        await record('user.update', `${u.username} password reset`);
        console.log(`reset ${u.username}${values.password ? '' : `, new password: ${password}`}`);
        return 0;
      }
      case 'role': {
        const u = await mustFind(name);
        if (!isRole(arg)) return usage();
        await auth.updateUser(u.id, { role: arg });
        await record('user.update', `${u.username} role=${arg}`);
        console.log(`${u.username} is now ${arg}`);
        return 0;
      }
      case 'remove': {
        const u = await mustFind(name);
        await auth.removeUser(u.id);
        await record('user.remove', u.username);
        console.log(`removed ${u.username}`);
        return 0;
      }
      case 'list':
        for (const u of await auth.listUsers())
          console.log(`${u.username.padEnd(24)} ${u.role.padEnd(8)} ${u.locked ? 'locked' : ''}`);
        return 0;
      default:
        return usage();
    }
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

function usage(): number {
  console.error(USAGE);
  return 2;
}

process.exitCode = await main();
