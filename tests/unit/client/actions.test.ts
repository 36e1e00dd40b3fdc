import { describe, expect, it } from 'vitest';
import { JOB_STATUSES } from '../../../server/contract/dto.js';
import { actionsFor, canBulkDelete, canStop } from '../../../client/src/lib/actions.js';

const summary = (s: (typeof JOB_STATUSES)[number]) =>
  actionsFor(s).map((a) => `${a.action}${a.enabled ? '' : '(disabled)'}`);

describe('history actions by status', () => {
  it('QUEUED and PROCESSING: Stop, Download disabled, Force Delete (red)', () => {
    for (const s of ['QUEUED', 'PROCESSING'] as const) {
      expect(summary(s)).toEqual(['stop', 'download(disabled)', 'force-delete']);
      expect(actionsFor(s).find((a) => a.action === 'force-delete')?.danger).toBe(true);
    }
  });
  it('COMPLETED: Download, Hapus', () => {
    expect(summary('COMPLETED')).toEqual(['download', 'delete']);
  });
  it('FAILED and CANCELLED: Download disabled, Hapus', () => {
    expect(summary('FAILED')).toEqual(['download(disabled)', 'delete']);
    expect(summary('CANCELLED')).toEqual(['download(disabled)', 'delete']);
  });
  it('covers every status; only finished jobs are bulk-deletable; Stop only while active', () => {
    for (const s of JOB_STATUSES) expect(actionsFor(s).length).toBeGreaterThan(0);
    expect(JOB_STATUSES.filter(canBulkDelete)).toEqual(['COMPLETED', 'FAILED', 'CANCELLED']);
    expect(JOB_STATUSES.filter(canStop)).toEqual(['QUEUED', 'PROCESSING']);
    expect(canStop(undefined)).toBe(false);
  });
});
