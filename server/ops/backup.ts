/**
 * Backup and restore of a storage folder. A backup is a consistent database snapshot (taken while the
 * server runs) plus the uploads and outputs that snapshot's jobs refer to, with a manifest of sizes and
 * SHA-256 checksums. Restore checks every checksum and the database's integrity before it writes, and
 * only into an empty folder, so it can never mix two installations.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { filesReferenced, integrityCheck, snapshotDatabase } from '../db/snapshot.js';
import { storagePaths } from '../storage/paths.js';
import { checkSize } from '../storage/whole-file.js';

type Dir = 'uploads' | 'outputs';

export interface ManifestFile {
  dir: Dir;
  name: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: 1;
  release: string;
  created_at: string;
  database: { bytes: number; sha256: string };
  files: ManifestFile[];
  /** Referenced by the snapshot but gone before they could be copied (a job deleted meanwhile). */
  missing: { dir: Dir; name: string }[];
}

const DB_FILE = 'sparecast.sqlite';
const MANIFEST = 'manifest.json';

/** Thrown for a backup or restore that must not go ahead; the message says why and what to do. */
export class BackupError extends Error {}

async function sha256(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Entries of a folder that count as content (a keep file such as .gitkeep does not). */
async function contentOf(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return names.filter((n) => !n.startsWith('.'));
}

export async function backup(storageDir: string, outDir: string, release: string): Promise<BackupManifest> {
  const paths = storagePaths(storageDir);
  await fs.access(paths.db).catch(() => {
    throw new BackupError(`No database at ${paths.db}: is STORAGE_DIR right?`);
  });
  if ((await contentOf(outDir)).length) throw new BackupError(`${outDir} is not empty; back up into a new folder.`);
  await fs.mkdir(path.join(outDir, 'uploads'), { recursive: true });
  await fs.mkdir(path.join(outDir, 'outputs'), { recursive: true });
  const dbCopy = path.join(outDir, DB_FILE);
  await snapshotDatabase(paths.db, dbCopy);

  const refs = await filesReferenced(dbCopy);
  const optional = new Set(refs.optional);
  const files: ManifestFile[] = [];
  const missing: BackupManifest['missing'] = [];
  for (const dir of ['uploads', 'outputs'] as const) {
    for (const name of refs[dir]) {
      const from = dir === 'uploads' ? paths.upload(name) : paths.output(name);
      const to = path.join(outDir, dir, name);
      try {
        await fs.copyFile(from, to);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        if (!optional.has(name)) missing.push({ dir, name });
        continue;
      }
      files.push({ dir, name, ...(await sha256(to)) });
    }
  }
  const manifest: BackupManifest = {
    format: 1,
    release,
    created_at: new Date().toISOString(),
    database: await sha256(dbCopy),
    files,
    missing,
  };
  const tmp = path.join(outDir, `.${MANIFEST}.tmp`);
  const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  await fs.writeFile(tmp, text);
  await checkSize(tmp, text.length, 'the backup manifest');
  await fs.rename(tmp, path.join(outDir, MANIFEST));
  return manifest;
}

async function readManifest(fromDir: string): Promise<BackupManifest> {
  const text = await fs.readFile(path.join(fromDir, MANIFEST), 'utf8').catch(() => {
    throw new BackupError(`${fromDir} has no ${MANIFEST}: not a Sparecast backup (or an unfinished one).`);
  });
  const m = JSON.parse(text) as BackupManifest;
  if (m.format !== 1) throw new BackupError(`Unknown backup format ${String(m.format)}.`);
  return m;
}

async function verify(file: string, want: { bytes: number; sha256: string }, label: string): Promise<void> {
  const got = await sha256(file).catch(() => null);
  if (!got) throw new BackupError(`The backup lacks ${label}.`);
  if (got.sha256 !== want.sha256 || got.bytes !== want.bytes)
    throw new BackupError(`${label} does not match its checksum in the manifest: the backup is damaged.`);
}

/** Restores a backup into an empty storage folder; returns the manifest it restored. */
export async function restore(fromDir: string, storageDir: string): Promise<BackupManifest> {
  const manifest = await readManifest(fromDir);
  const present = await contentOf(storageDir);
  if (present.length)
    throw new BackupError(
      `${storageDir} is not empty (${present.slice(0, 5).join(', ')}): restore only into an empty folder.`,
    );
  await verify(path.join(fromDir, DB_FILE), manifest.database, DB_FILE);
  for (const f of manifest.files) await verify(path.join(fromDir, f.dir, f.name), f, `${f.dir}/${f.name}`);
  const integrity = await integrityCheck(path.join(fromDir, DB_FILE));
  if (integrity !== 'ok') throw new BackupError(`The backup's database fails its integrity check: ${integrity}`);

  const paths = storagePaths(storageDir);
  for (const d of [paths.uploads, paths.outputs, paths.tmp]) await fs.mkdir(d, { recursive: true });
  for (const f of manifest.files) {
    const to = f.dir === 'uploads' ? paths.upload(f.name) : paths.output(f.name);
    await fs.copyFile(path.join(fromDir, f.dir, f.name), to);
  }
  // The database last: a restore cut short leaves no database, so the server refuses to start on it.
  const tmp = path.join(storageDir, `.${DB_FILE}.restoring`);
  await fs.copyFile(path.join(fromDir, DB_FILE), tmp);
  await checkSize(tmp, manifest.database.bytes, 'the restored database');
  await fs.rename(tmp, paths.db);
  return manifest;
}
