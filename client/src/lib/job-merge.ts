import { isFinal, type JobDto, type JobProgressDto, type JobStatus } from '$contract/dto.js';

const rank = (s: JobStatus): number => (s === 'QUEUED' ? 0 : s === 'PROCESSING' ? 1 : 2);

/**
 * Picks the newer of two snapshots of the same job. Pushes and REST answers can cross (a REST page
 * fetched before a push lands after it), so a job never moves back from a final status, nor from
 * PROCESSING to QUEUED, nor backwards in progress while processing.
 */
export function mergeJob(current: JobDto | null | undefined, incoming: JobDto): JobDto {
  if (!current || current.id !== incoming.id) return incoming;
  const a = rank(current.status);
  const b = rank(incoming.status);
  if (b < a) return current;
  if (b === a && !isFinal(incoming.status) && incoming.progress < current.progress) return current;
  return incoming;
}

/** Applies a job:progress push; ignored once the job is final (late progress after Stop). */
export function applyProgress(job: JobDto, p: JobProgressDto): JobDto {
  if (job.id !== p.id || isFinal(job.status)) return job;
  if (p.progress < job.progress) return job;
  return {
    ...job,
    status: job.status === 'QUEUED' ? 'PROCESSING' : job.status,
    progress: p.progress,
    stage: p.stage,
    stage_info: p.stage_info,
    partitions: p.partitions,
    queue_position: null,
  };
}
