/**
 * What a job or a re-plan needs of the planners' overrides (jobs/override.service.ts is the one source): those in
 * force when it starts, each as it is applied and kept in the job's snapshot.
 */
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
