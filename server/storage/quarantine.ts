/**
 * Files the database does not account for are moved aside, never deleted at boot: a stray upload may
 * be the only copy of someone's data (a restored backup of the wrong day, a database replaced by
 * hand). They wait in quarantine/<time>/uploads|outputs/<name> for QUARANTINE_DAYS, then go.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { StoragePaths } from './paths.js';

const DAY_MS = 86_400_000;
/** A folder name stampOf made: an ISO time with "-" for ":" (a name every file system takes). */
const STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})(\.\d{3})?Z$/;

/** The quarantine folder name for a moment. */
export function stampOf(at: Date): string {
  return at.toISOString().replace(/:/g, '-');
}

/** The moment a quarantine folder was made, or null for a folder that is not ours. */
function timeOfStamp(name: string): number | null {
  const m = STAMP.exec(name);
  if (!m) return null;
  const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}${m[5] ?? ''}Z`);
  return Number.isNaN(t) ? null : t;
}

/**
 * Moves storage/<area>/<name> to quarantine/<stamp>/<area>/<name>; returns the new path, or null
 * when the move failed (the file then stays where it was: still never deleted).
 */
export async function quarantineFile(
  paths: StoragePaths,
  area: 'uploads' | 'outputs',
  name: string,
  stamp: string,
  logger: Logger,
): Promise<string | null> {
  const to = path.join(paths.quarantine, stamp, area, name);
  try {
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.rename(path.join(paths[area], name), to);
    logger.warn({ file: `${area}/${name}`, to }, `stray file ${area}/${name} (no job) moved to quarantine`);
    return to;
  } catch (err) {
    logger.error({ err, file: `${area}/${name}` }, 'could not move a stray file to quarantine; left in place');
    return null;
  }
}

/** Removes quarantine folders older than `days` (0 = keep them forever); returns how many went. */
export async function pruneQuarantine(paths: StoragePaths, days: number, logger: Logger, now = Date.now()) {
  if (days <= 0) return 0;
  const names = await fs.readdir(paths.quarantine).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const t = timeOfStamp(name);
    if (t === null || t > now - days * DAY_MS) continue;
    try {
      await fs.rm(path.join(paths.quarantine, name), { recursive: true, force: true });
      removed++;
      logger.info({ folder: `quarantine/${name}`, days }, `quarantine/${name} is older than ${days} days; removed`);
    } catch (err) {
      logger.error({ err, folder: `quarantine/${name}` }, 'could not remove an old quarantine folder');
    }
  }
  return removed;
}
