import { isFinal, isStoppable, type JobStatus } from '$contract/dto.js';

export type JobAction = 'stop' | 'download' | 'force-delete' | 'delete';
export interface ActionSpec {
  action: JobAction;
  enabled: boolean;
  /** Shown red and asks for confirmation. */
  danger: boolean;
}

/**
 * The History row's buttons, exactly by status (issue 4):
 * QUEUED/PROCESSING → Stop, Download (disabled), Force Delete; COMPLETED → Download, Hapus;
 * FAILED/CANCELLED → Download (disabled), Hapus.
 */
export function actionsFor(status: JobStatus): ActionSpec[] {
  if (!isFinal(status)) {
    return [
      { action: 'stop', enabled: true, danger: false },
      { action: 'download', enabled: false, danger: false },
      { action: 'force-delete', enabled: true, danger: true },
    ];
  }
  return [
    { action: 'download', enabled: status === 'COMPLETED', danger: false },
    { action: 'delete', enabled: true, danger: true },
  ];
}

/** Only finished jobs can be selected for bulk delete (running ones need Force Delete, one by one). */
export const canBulkDelete = (status: JobStatus): boolean => isFinal(status);

/** The dashboard's Stop Job button shows only while the job can still be stopped. */
export const canStop = (status: JobStatus | undefined): boolean => status !== undefined && isStoppable(status);
