/**
 * Every path under STORAGE_DIR is made here, from server-generated names only, so a user's file
 * name can never reach the file system.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface StoragePaths {
  root: string;
  db: string;
  uploads: string;
  outputs: string;
  tmp: string;
  /** Stray files, kept for QUARANTINE_DAYS (storage/quarantine.ts); made when first needed. */
  quarantine: string;
  upload(name: string): string;
  output(name: string): string;
  tmpFile(prefix: string): string;
}

const SAFE = /^[A-Za-z0-9._-]+$/;

function inside(dir: string, name: string): string {
  if (!SAFE.test(name) || name.startsWith('.')) throw new Error(`unsafe storage name: ${name}`);
  return path.join(dir, name);
}

export function storagePaths(root: string): StoragePaths {
  const uploads = path.join(root, 'uploads');
  const outputs = path.join(root, 'outputs');
  const tmp = path.join(root, 'tmp');
  return {
    root,
    db: path.join(root, 'sparecast.sqlite'),
    uploads,
    outputs,
    tmp,
    quarantine: path.join(root, 'quarantine'),
    upload: (name) => inside(uploads, name),
    output: (name) => inside(outputs, name),
    tmpFile: (prefix) => inside(tmp, `${prefix}-${randomBytes(6).toString('hex')}.part`),
  };
}

/** Uploads, forecasts and the database are the company's data: only the server's own user reads them. */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/**
 * Makes the storage folders, 0700 (also folders an older release made 0755: inside a 0700 folder a
 * 0644 file is out of others' reach too), and the database files 0600. Everything created later
 * follows the 077 umask startServer sets.
 */
export async function ensureStorage(p: StoragePaths): Promise<void> {
  for (const d of [p.root, p.uploads, p.outputs, p.tmp]) {
    await fs.mkdir(d, { recursive: true, mode: PRIVATE_DIR });
    await fs.chmod(d, PRIVATE_DIR);
  }
  if (await fs.stat(p.quarantine).catch(() => null)) await fs.chmod(p.quarantine, PRIVATE_DIR);
  for (const f of [p.db, `${p.db}-wal`, `${p.db}-shm`, `${p.db}-journal`])
    await fs.chmod(f, PRIVATE_FILE).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
}

/** Removes a file, ignoring "not there". */
export async function removeQuietly(file: string | null | undefined): Promise<void> {
  if (!file) return;
  await fs.rm(file, { force: true });
}

/** Lower-case extension of a user's file name, limited to what we accept. */
export function uploadExtension(originalName: string): '.csv' | '.xlsx' | '.txt' | '.tsv' | null {
  const ext = path.extname(originalName).toLowerCase();
  return ext === '.csv' || ext === '.xlsx' || ext === '.txt' || ext === '.tsv' ? ext : null;
}

const MAX_NAME = 200;

// C0 controls and DEL, and the bidi controls (embeddings and overrides U+202A–U+202E, isolates
// U+2066–U+2069, marks U+200E/U+200F) that make "invoice<U+202E>vsc.exe" show as "invoiceexe.csv".
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A name people will read (a file or token name): without the characters that hide or reorder text. */
export function cleanDisplayName(text: string): string {
  return text.replace(HIDDEN, '').trim();
}

/**
 * A display file name: no directories, no control or bidi characters, bounded length. A long name keeps
 * its extension (it decides how the file is read) and is cut on whole characters.
 */
export function cleanFilename(originalName: string): string {
  const base = originalName.split(/[\\/]/).pop() ?? 'upload';
  const cleaned = [...cleanDisplayName(base)];
  if (cleaned.length > MAX_NAME) {
    const ext = [...path.extname(base.trim())];
    const keep = ext.length > 1 && ext.length <= 10 ? ext : [];
    cleaned.splice(MAX_NAME - keep.length, cleaned.length, ...keep);
  }
  return cleaned.join('') || 'upload';
}
