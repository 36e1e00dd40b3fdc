import type { JobConfig, JobDto, JobFlags, JobMetrics, PartitionCounts } from '../contract/dto.js';
import type { JobRow } from '../db/job.model.js';

/** Live values of a running job, newer than its row. */
export interface LiveState {
  progress: number;
  stage: string;
  partitions: PartitionCounts;
  lastProgressAt: number;
  lastLogAt: number;
  lastHeartbeatAt: number;
  expectedSeconds: number | null;
  flags: JobFlags;
}

export const NO_FLAGS: JobFlags = Object.freeze({ stalled: false, slow: false, silent: false });
const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

export const EMPTY_PARTITIONS: PartitionCounts = { total: 0, completed: 0, skipped: 0, failed: 0 };

function parse<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The wire shape of a job. */
export function toDto(row: JobRow, queuePosition: number | null, live?: LiveState): JobDto {
  return {
    id: row.id,
    filename: row.filename,
    status: row.status,
    progress: live?.progress ?? row.progress,
    stage: live?.stage ?? row.stage,
    error_message: row.error_message,
    config: parse<JobConfig>(row.config, {} as JobConfig),
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    partitions: live?.partitions ?? parse<PartitionCounts>(row.partitions, { ...EMPTY_PARTITIONS }),
    rows: row.rows,
    queue_position: row.status === 'QUEUED' ? queuePosition : null,
    metrics: parse<JobMetrics | null>(row.metrics, null),
    has_output: row.status === 'COMPLETED' && !!row.output_name,
    file_size: row.file_size,
    created_by: row.created_by_name ?? null,
    last_progress_at: iso(live?.lastProgressAt),
    last_log_at: iso(live?.lastLogAt),
    last_heartbeat_at: iso(live?.lastHeartbeatAt),
    expected_seconds: live?.expectedSeconds ?? null,
    flags: live ? { ...live.flags } : { ...NO_FLAGS },
  };
}
