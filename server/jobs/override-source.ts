/**
 * What a job or a re-plan needs of the planners' overrides (jobs/override.service.ts is the one source): those in
 * force when it starts, each as it is applied and kept in the job's snapshot.
 */
import { promises as fs } from 'node:fs';
import type { OverrideFields } from '../contract/override-rules.js';

/** An override as a job applies it: the fields, who set it and when (kept in the job's snapshot). */
export interface AppliedOverride extends OverrideFields {
  id: number;
  created_by: string | null;
  created_at: string;
}

/** Where jobs and re-plans read the overrides in force (the service; a test may hand its own). */
export interface OverrideSource {
  inForce(): Promise<AppliedOverride[]>;
}

/** A job's overrides snapshot as written (uploads/<id>.overrides.json, storage/job-files.ts names it). */
export interface OverridesSnapshot {
  taken_at: string;
  overrides: AppliedOverride[];
}

/** The overrides a job applied (its snapshot); null when it has none (none were in force, or an older job). */
export async function readOverridesSnapshot(file: string): Promise<AppliedOverride[] | null> {
  try {
    return (JSON.parse(await fs.readFile(file, 'utf8')) as OverridesSnapshot).overrides;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
