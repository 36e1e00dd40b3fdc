/**
 * Whether storage can take work, for /api/health: free space on its disk (statfs) and write access to
 * each of its folders. Cheap, and cached for a second so a monitor polling hard costs nothing.
 */
import { constants, promises as fs } from 'node:fs';
import type { RequestHandler } from 'express';
import type { HealthDto } from '../contract/dto.js';
import { AppError } from '../contract/errors.js';
import type { StoragePaths } from '../storage/paths.js';

/** Below this much free space an upload or a forecast file would fail: the disk counts as full. */
export const MIN_FREE_BYTES = 1024 * 1024;
const CACHE_MS = 1000;

export type StorageProblem = NonNullable<HealthDto['problem']>;

async function check(paths: StoragePaths): Promise<StorageProblem | null> {
  for (const dir of [paths.root, paths.uploads, paths.outputs, paths.tmp]) {
    try {
      if (!(await fs.stat(dir)).isDirectory()) throw new Error('not a folder');
      await fs.access(dir, constants.W_OK); // EROFS even for root on a read-only mount
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      return {
        code: 'STORAGE_UNWRITABLE',
        message: `The storage folder ${dir} cannot be written (${why}); new jobs would fail.`,
      };
    }
  }
  const st = await fs.statfs(paths.root);
  const free = st.bavail * st.bsize;
  if (free < MIN_FREE_BYTES)
    return {
      code: 'DISK_FULL',
      message: `The storage disk is full (${Math.round(free / 1024)} KB free under ${paths.root}); free some space.`,
    };
  return null;
}

/** A checker that looks at most once a second (concurrent callers share one look). */
export function storageHealth(paths: StoragePaths): () => Promise<StorageProblem | null> {
  let last: { at: number; result: Promise<StorageProblem | null> } | null = null;
  return () => {
    const now = performance.now();
    if (!last || now - last.at >= CACHE_MS) last = { at: now, result: check(paths) };
    return last.result;
  };
}

/** What makes a new job (a file into tmp/, then uploads/): the uploads, the sample and a rerun, never Stop. */
const NEW_JOB = /^\/(?:jobs|preview|sample|jobs\/[^/]+\/rerun)\/?$/;

/**
 * Refuses what would make a new job while health says the disk is full, before the body is read: it
 * would be accepted (201) and then fail, or be lost. Mounted on /api, ahead of the upload routes.
 */
export function refuseWhenDiskFull(health: () => Promise<StorageProblem | null>): RequestHandler {
  return (req, _res, next) => {
    if (req.method !== 'POST' || !NEW_JOB.test(req.path)) return next();
    health().then(
      (problem) =>
        next(
          problem?.code === 'DISK_FULL'
            ? new AppError(
                507,
                'DISK_FULL',
                'The server disk is full: nothing was saved. Ask an administrator to free some space.',
              )
            : undefined,
        ),
      // the check itself failing (statfs) says nothing of this upload: let it try
      () => next(),
    );
  };
}
