/**
 * Backup and restore of a storage folder. A backup is a consistent database snapshot (taken while the
 * server runs) plus the uploads and outputs that snapshot's jobs refer to, with a manifest of sizes and
 * SHA-256 checksums. Restore checks every checksum and the database's integrity before it writes, and
 * only into an empty folder, so it can never mix two installations.
 */
import { createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { filesReferenced, integrityCheck, snapshotDatabase } from '../db/snapshot.js';
import { PRIVATE_DIR, PRIVATE_FILE, storagePaths } from '../storage/paths.js';
import { checkSize, writeAll } from '../storage/whole-file.js';

const DIRS = ['uploads', 'outputs'] as const;
type Dir = (typeof DIRS)[number];

/** A stored file's own name: what storage/paths.ts makes, so never a path, `..` or a dot file. */
const fileName = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/, 'not a plain file name');
const digest = { bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) };

/** The manifest as restore trusts it: known folders and plain names only (a backup may come from anyone). */
const manifestSchema = z.object({
  format: z.literal(1),
  release: z.string().max(100),
  created_at: z.string().max(100),
  database: z.object(digest),
  files: z.array(z.object({ dir: z.enum(DIRS), name: fileName, ...digest })).max(10_000_000),
  missing: z.array(z.object({ dir: z.enum(DIRS), name: fileName })).default([]),
});

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

/** A new file only: fails on anything already there, a (dangling) symbolic link included. */
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const READ = constants.O_RDONLY | constants.O_NOFOLLOW;

/** Opens a regular file to read, never through a symbolic link; null when it is not there. */
async function openToRead(file: string, label: string): Promise<fs.FileHandle | null> {
  const fh = await fs.open(file, READ).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    if (e.code === 'ELOOP') throw new BackupError(`${label} is a symbolic link; refused.`);
    throw e;
  });
  if (fh && !(await fh.stat()).isFile()) {
    await fh.close();
    throw new BackupError(`${label} is not a regular file; refused.`);
  }
  return fh;
}

/** Creates `file` (which must not exist) 0600 whatever the umask; refuses anything planted there. */
async function createPrivate(file: string): Promise<fs.FileHandle> {
  const fh = await fs.open(file, CREATE, PRIVATE_FILE).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EEXIST' || e.code === 'ELOOP')
      throw new BackupError(`${file} already exists (or is a symbolic link); refused.`);
    throw e;
  });
  await fh.chmod(PRIVATE_FILE);
  return fh;
}

/** Makes the folder `dir` (which must not exist) 0700 whatever the umask. */
async function mkdirPrivate(dir: string): Promise<void> {
  await fs.mkdir(dir, { mode: PRIVATE_DIR }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EEXIST') throw new BackupError(`${dir} already exists; refused.`);
    throw e;
  });
  await fs.chmod(dir, PRIVATE_DIR);
}

/**
 * Makes `dir` the private folder to write into: created 0700, or an existing real folder of this user
 * (not a symbolic link), made 0700. Nobody else can then plant anything in it.
 */
async function privateFolder(dir: string): Promise<void> {
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const st = await fs.lstat(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (!st) return mkdirPrivate(dir);
  if (st.isSymbolicLink()) throw new BackupError(`${dir} is a symbolic link; give the real folder's path.`);
  if (!st.isDirectory()) throw new BackupError(`${dir} is not a folder; refused.`);
  if (process.getuid && st.uid !== process.getuid()) throw new BackupError(`${dir} belongs to another user; refused.`);
  await fs.chmod(dir, PRIVATE_DIR);
}

async function sha256(file: string, label: string): Promise<{ bytes: number; sha256: string } | null> {
  const fh = await openToRead(file, label);
  if (!fh) return null;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of fh.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  } finally {
    await fh.close();
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Copies `from` into the new private file `to`; returns what was written (null: `from` is not there).
 * Neither end is followed through a symbolic link.
 */
async function copyPrivate(from: string, to: string, label: string): Promise<{ bytes: number; sha256: string } | null> {
  const src = await openToRead(from, label);
  if (!src) return null;
  try {
    const dst = await createPrivate(to);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of src.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        await writeAll(dst, chunk, label);
      }
      await dst.sync();
      await checkSize(dst, bytes, label);
    } finally {
      await dst.close();
    }
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await src.close();
  }
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
  // Entirely empty, dot files included: nothing planted beforehand is written through.
  const present = await fs.readdir(outDir).catch(() => []);
  if (present.length) throw new BackupError(`${outDir} is not empty; back up into a new folder.`);
  // The backup holds password hashes and the audit trail: only this user may read it.
  await privateFolder(outDir);
  for (const dir of DIRS) await mkdirPrivate(path.join(outDir, dir));
  const dbCopy = path.join(outDir, DB_FILE);
  await (await createPrivate(dbCopy)).close(); // VACUUM INTO fills an empty file, keeping its mode
  await snapshotDatabase(paths.db, dbCopy);

  const refs = await filesReferenced(dbCopy);
  const optional = new Set(refs.optional);
  const files: ManifestFile[] = [];
  const missing: BackupManifest['missing'] = [];
  for (const dir of DIRS) {
    for (const name of refs[dir]) {
      const from = dir === 'uploads' ? paths.upload(name) : paths.output(name);
      const copied = await copyPrivate(from, path.join(outDir, dir, name), `${dir}/${name}`);
      if (copied) files.push({ dir, name, ...copied });
      else if (!optional.has(name)) missing.push({ dir, name });
    }
  }
  const database = await sha256(dbCopy, DB_FILE);
  if (!database) throw new BackupError(`The database snapshot ${dbCopy} went missing.`);
  const manifest: BackupManifest = {
    format: 1,
    release,
    created_at: new Date().toISOString(),
    database,
    files,
    missing,
  };
  const tmp = path.join(outDir, `.${MANIFEST}.tmp`);
  const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const fh = await createPrivate(tmp);
  try {
    await fh.writeFile(text);
    await fh.sync();
    await checkSize(fh, text.length, 'the backup manifest');
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, path.join(outDir, MANIFEST));
  return manifest;
}

async function readManifest(fromDir: string): Promise<BackupManifest> {
  const fh = await openToRead(path.join(fromDir, MANIFEST), MANIFEST);
  if (!fh) throw new BackupError(`${fromDir} has no ${MANIFEST}: not a Sparecast backup (or an unfinished one).`);
  let data: unknown;
  try {
    data = JSON.parse(await fh.readFile('utf8'));
  } catch {
    throw new BackupError(`${MANIFEST} in ${fromDir} is not valid JSON: the backup is damaged.`);
  } finally {
    await fh.close();
  }
  const format = (data as { format?: unknown } | null)?.format;
  if (typeof data === 'object' && data && format !== 1)
    throw new BackupError(`Unknown backup format ${JSON.stringify(format) ?? 'undefined'}.`);
  const m = manifestSchema.safeParse(data);
  if (!m.success) {
    const i = m.error.issues[0]!;
    const where = i.path.length ? ` at ${i.path.join('.')}` : '';
    throw new BackupError(`${MANIFEST} in ${fromDir} is not a valid manifest (${i.message}${where}): refused.`);
  }
  return m.data;
}

async function verify(file: string, want: { bytes: number; sha256: string }, label: string): Promise<void> {
  const got = await sha256(file, label);
  if (!got) throw new BackupError(`The backup lacks ${label}.`);
  if (got.sha256 !== want.sha256 || got.bytes !== want.bytes)
    throw new BackupError(`${label} does not match its checksum in the manifest: the backup is damaged.`);
}

/** Copies a verified file of the backup; what arrives must still match its checksum. */
async function restoreFile(from: string, to: string, want: { bytes: number; sha256: string }, label: string) {
  const got = await copyPrivate(from, to, label);
  if (!got || got.sha256 !== want.sha256 || got.bytes !== want.bytes) {
    await fs.rm(to, { force: true });
    throw new BackupError(`${label} changed while it was restored: the backup is damaged.`);
  }
}

/** Restores a backup into an empty storage folder; returns the manifest it restored. */
export async function restore(fromDir: string, storageDir: string): Promise<BackupManifest> {
  const manifest = await readManifest(fromDir);
  const present = await contentOf(storageDir);
  if (present.length)
    throw new BackupError(
      `${storageDir} is not empty (${present.slice(0, 5).join(', ')}): restore only into an empty folder.`,
    );
  const tmp = path.join(storageDir, `.${DB_FILE}.restoring`);
  if (await fs.lstat(tmp).catch(() => null))
    throw new BackupError(`${tmp} is there (a restore cut short, or planted): remove it and restore again.`);
  await verify(path.join(fromDir, DB_FILE), manifest.database, DB_FILE);
  for (const f of manifest.files) await verify(path.join(fromDir, f.dir, f.name), f, `${f.dir}/${f.name}`);
  const integrity = await integrityCheck(path.join(fromDir, DB_FILE));
  if (integrity !== 'ok') throw new BackupError(`The backup's database fails its integrity check: ${integrity}`);

  const paths = storagePaths(storageDir);
  await privateFolder(storageDir);
  for (const d of [paths.uploads, paths.outputs, paths.tmp]) await mkdirPrivate(d);
  for (const f of manifest.files) {
    const to = f.dir === 'uploads' ? paths.upload(f.name) : paths.output(f.name);
    await restoreFile(path.join(fromDir, f.dir, f.name), to, f, `${f.dir}/${f.name}`);
  }
  // The database last: a restore cut short leaves no database, so the server refuses to start on it.
  await restoreFile(path.join(fromDir, DB_FILE), tmp, manifest.database, DB_FILE);
  await fs.rename(tmp, paths.db);
  return manifest;
}
