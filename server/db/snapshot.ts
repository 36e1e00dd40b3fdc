/**
 * A consistent copy of the live database while the server keeps writing: SQLite's `VACUUM INTO` reads
 * one transaction's view of the file (WAL included) and writes a compact new file.
 */
import sqlite3 from 'sqlite3';
import { backedUpFiles } from '../storage/job-files.js';

function open(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}

function all<T>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) =>
    db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
  );
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

/** Writes a snapshot of `source` to `target` (which must not exist). */
export async function snapshotDatabase(source: string, target: string): Promise<void> {
  const db = await open(source, sqlite3.OPEN_READONLY);
  try {
    await all(db, 'PRAGMA busy_timeout = 5000');
    await all(db, 'VACUUM INTO ?', [target]);
  } finally {
    await close(db);
  }
}

export interface StoredFiles {
  uploads: string[];
  outputs: string[];
  /** outputs a job may have or not (a plan's re-plan inputs: none on jobs from before re-planning) */
  optional: string[];
}

/** The stored file names a database's jobs refer to (storage/job-files.ts says which). */
export async function filesReferenced(file: string): Promise<StoredFiles> {
  const db = await open(file, sqlite3.OPEN_READONLY);
  try {
    // a database from before the inventory plan has no parts_name / plan_name columns, one from before
    // tracking no actuals_name
    const cols = new Set((await all<{ name: string }>(db, 'PRAGMA table_info(jobs)')).map((c) => c.name));
    const pick = (c: string) => (cols.has(c) ? c : `NULL AS ${c}`);
    const rows = await all<
      Record<'output_name' | 'parts_name' | 'plan_name' | 'actuals_name', string | null> & {
        id: string;
        upload_name: string;
      }
    >(
      db,
      `SELECT id, upload_name, output_name, ${pick('parts_name')}, ${pick('plan_name')}, ${pick('actuals_name')} FROM jobs`,
    );
    const out: StoredFiles = { uploads: [], outputs: [], optional: [] };
    const seen = new Set<string>();
    for (const r of rows) {
      const row = {
        ...r,
        parts: r.parts_name ? { name: r.parts_name } : null,
        actuals: r.actuals_name ? { name: r.actuals_name } : null,
      };
      for (const f of backedUpFiles(row)) {
        if (seen.has(`${f.area}/${f.name}`)) continue;
        seen.add(`${f.area}/${f.name}`);
        out[f.area].push(f.name);
        if (f.optional) out.optional.push(f.name);
      }
    }
    return out;
  } finally {
    await close(db);
  }
}

/** `PRAGMA integrity_check` of a database file: 'ok' or the first problem. */
export async function integrityCheck(file: string): Promise<string> {
  const db = await open(file, sqlite3.OPEN_READONLY);
  try {
    const rows = await all<Record<string, string>>(db, 'PRAGMA integrity_check');
    return Object.values(rows[0] ?? { ok: 'ok' })[0] ?? 'ok';
  } finally {
    await close(db);
  }
}
