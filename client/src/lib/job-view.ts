import type { JobDto } from '$contract/dto.js';
import type { MessageKey } from './i18n/messages.js';

/**
 * What the job page's chart card says instead of a chart, or null when the chart can be shown.
 * Only a job still on its way gets "available once completed"; a FAILED or stopped job never
 * will have one, and a failure names its error.
 */
export function chartNotice(job: JobDto, deleted: boolean): { key: MessageKey; error: string | null } | null {
  if (deleted) return { key: 'job.chart.deleted', error: null };
  switch (job.status) {
    case 'COMPLETED':
      return null;
    case 'FAILED':
      return { key: 'job.chart.failed', error: job.error_message };
    case 'CANCELLED':
      return { key: 'job.chart.cancelled', error: null };
    default:
      return { key: 'job.chart.unavailable', error: null };
  }
}
