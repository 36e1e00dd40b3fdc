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

export async function ensureStorage(p: StoragePaths): Promise<void> {
  for (const d of [p.root, p.uploads, p.outputs, p.tmp]) await fs.mkdir(d, { recursive: true });
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

/**
 * A display file name: no directories, no control characters, bounded length. A long name keeps its
 * extension (it decides how the file is read) and is cut on whole characters.
 */
export function cleanFilename(originalName: string): string {
  const base = originalName.split(/[\\/]/).pop() ?? 'upload';
  // eslint-disable-next-line no-control-regex
  const cleaned = [...base.replace(/[\u0000-\u001f\u007f]/g, '').trim()];
  if (cleaned.length > MAX_NAME) {
    const ext = [...path.extname(base.trim())];
    const keep = ext.length > 1 && ext.length <= 10 ? ext : [];
    cleaned.splice(MAX_NAME - keep.length, cleaned.length, ...keep);
  }
  return cleaned.join('') || 'upload';
}
