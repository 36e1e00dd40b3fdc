import type { JobDto, JobFlags, PartitionCounts } from '../contract/dto.js';
import { parseStage } from '../contract/stages.js';
import type { Job } from './job.js';

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

/** The wire shape of a job: its stored state, overlaid with the live one while it runs. */
export function toDto(row: Job, queuePosition: number | null, live?: LiveState): JobDto {
  return {
    id: row.id,
    filename: row.filename,
    name: row.name,
    status: row.status,
    progress: live?.progress ?? row.progress,
    stopped_progress: row.status === 'CANCELLED' ? row.stopped_progress : null,
    stage: live?.stage ?? row.stage,
    stage_info: parseStage(live?.stage ?? row.stage),
    error_message: row.error_message,
    config: row.config,
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    partitions: { ...(live?.partitions ?? row.partitions) },
    rows: row.rows,
    queue_position: row.status === 'QUEUED' ? queuePosition : null,
    metrics: row.metrics,
    replanned_at: row.metrics?.inventory?.replanned_at ?? null,
    has_output: row.status === 'COMPLETED' && !!row.output_name,
    has_plan: row.status === 'COMPLETED' && !!row.plan_name,
    has_actuals: row.status === 'COMPLETED' && (!!row.actuals || !!row.actuals_job),
    parts_filename: row.parts?.filename ?? null,
    file_size: row.file_size,
    created_by: row.owner?.username ?? null,
    last_progress_at: iso(live?.lastProgressAt),
    last_log_at: iso(live?.lastLogAt),
    last_heartbeat_at: iso(live?.lastHeartbeatAt),
    expected_seconds: live?.expectedSeconds ?? null,
    flags: live ? { ...live.flags } : { ...NO_FLAGS },
  };
}
