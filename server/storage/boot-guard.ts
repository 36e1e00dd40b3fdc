/**
 * Before the database is opened: a missing or empty database next to stored files means the files'
 * records are lost (a truncated or deleted sparecast.sqlite), not that the files are strays. Starting
 * would reconcile them away and reopen first-admin setup, so the server refuses and touches nothing.
 */
import { promises as fs } from 'node:fs';
import type { StoragePaths } from './paths.js';

export class StorageRefusedError extends Error {
  override readonly name = 'StorageRefusedError';
}

const count = async (dir: string) => (await fs.readdir(dir).catch(() => [] as string[])).length;

/** True when the database file is missing or 0 bytes: SQLite would start a new, empty one. */
async function databaseIsNew(file: string): Promise<boolean> {
  const st = await fs.stat(file).catch(() => null);
  return !st || (st.isFile() && st.size === 0);
}

/** Throws StorageRefusedError (saying what to do) when a new database would meet stored files. */
export async function refuseNewDatabaseOverFiles(paths: StoragePaths): Promise<void> {
  if (!(await databaseIsNew(paths.db))) return;
  const uploads = await count(paths.uploads);
  const outputs = await count(paths.outputs);
  if (uploads + outputs === 0) return;
  const state = (await fs.stat(paths.db).catch(() => null)) ? 'is empty (0 bytes)' : 'is missing';
  throw new StorageRefusedError(
    `Refusing to start: the database ${paths.db} ${state}, but ${paths.root} still holds ` +
      `${uploads} file(s) in uploads/ and ${outputs} file(s) in outputs/ that it would no longer know. ` +
      `Restore sparecast.sqlite from a backup into ${paths.root}, or, to start fresh, move the uploads/ and ` +
      `outputs/ folders out of ${paths.root}. Nothing was changed.`,
  );
}
