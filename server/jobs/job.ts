/**
 * The job as the service, runner and routes see it: JSON columns already parsed (the config
 * validated by its zod schema), the owner as one value. Only job.repo.ts knows the row behind it.
 */
import type { JobMetrics, LogLine, PartitionCounts } from '../contract/dto.js';
import type { JobConfig, JobStatus } from '../contract/schemas.js';

/** Who started a job (absent with AUTH=off). */
export interface JobOwner {
  id: string;
  username: string;
}

/** A job's parts file as stored. */
export interface StoredParts {
  /** under uploads/ (server-made) */
  name: string;
  /** as the person named it */
  filename: string;
  size: number;
}

/** The actuals sent for a completed job (tracking): under uploads/, as sent, their size, when. */
export interface StoredActuals {
  name: string;
  filename: string;
  size: number;
  uploaded_at: string;
}

export interface Job {
  id: string;
  /** Creation order (ids are random). */
  seq: number;
  /** The uploaded file's name as the person saw it. */
  filename: string;
  /** The name a person gave the job (cleaned, at most JOB_NAME_MAX characters); null: none. */
  name: string | null;
  /** The file under uploads/. */
  upload_name: string;
  file_size: number;
  /** The file under outputs/, once COMPLETED. */
  output_name: string | null;
  /** The optional parts file (lead times, costs, stock): under uploads/, as uploaded, its size. */
  parts: StoredParts | null;
  /** The inventory plan under outputs/, once COMPLETED (null on jobs from before the plan existed). */
  plan_name: string | null;
  /** The actuals its tracking holds the forecast and plan against (null: none sent). */
  actuals: StoredActuals | null;
  /**
   * The newest later job whose upload covers part of this job's forecast window: its actuals when none were
   * sent (a file sent wins). Null: none found.
   */
  actuals_job: string | null;
  status: JobStatus;
  progress: number;
  /** A CANCELLED job's progress when it was stopped; null otherwise (and on rows from before it was kept). */
  stopped_progress: number | null;
  stage: string;
  error_message: string | null;
  config: JobConfig;
  partitions: PartitionCounts;
  rows: number | null;
  metrics: JobMetrics | null;
  /** The saved tail of the log (the live one is in LogBuffer). */
  log: LogLine[];
  /** How many times a run started (a restart requeues a PROCESSING job once). */
  attempts: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  owner: JobOwner | null;
}

/** A job to insert: everything but the creation order, which the repository assigns. */
export type NewJobRecord = Omit<Job, 'seq'>;

/** Fields a status change or a progress save may set; status moves only through transition(). */
export type JobPatch = Partial<
  Omit<Job, 'id' | 'seq' | 'status' | 'config' | 'owner' | 'created_at' | 'parts' | 'actuals' | 'actuals_job'>
>;

export const EMPTY_PARTITIONS: Readonly<PartitionCounts> = Object.freeze({
  total: 0,
  completed: 0,
  skipped: 0,
  failed: 0,
});
