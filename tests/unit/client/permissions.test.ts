import { describe, expect, it } from 'vitest';
import { JOB_STATUSES, type JobStatus } from '../../../server/contract/dto.js';
import { canSelect, jobActionsFor, NO_PERMISSIONS, permissionsFor } from '../../../client/src/lib/permissions.js';

const viewer = permissionsFor({ username: 'vera', role: 'viewer' });
const planner = permissionsFor({ username: 'pat', role: 'planner' });
const admin = permissionsFor({ username: 'ada', role: 'admin' });
const local = permissionsFor({ username: 'local', role: 'admin' }); // AUTH=off

const buttons = (status: JobStatus, created_by: string | null, can: typeof admin) =>
  jobActionsFor({ status, created_by }, can).map((a) => `${a.action}${a.enabled ? '' : '(disabled)'}`);

describe('role → actions', () => {
  it('a viewer only sees and downloads', () => {
    expect(viewer).toMatchObject({ run: false, stop: false, admin: false, override: false });
    expect(buttons('PROCESSING', 'vera', viewer)).toEqual(['download(disabled)']);
    expect(buttons('COMPLETED', 'vera', viewer)).toEqual(['download']);
    expect(buttons('CANCELLED', null, viewer)).toEqual(['download(disabled)']);
    for (const s of JOB_STATUSES) expect(canSelect({ status: s, created_by: 'vera' }, viewer)).toBe(false);
  });

  it('a planner runs and stops any job, but deletes or force-deletes only their own', () => {
    expect(planner).toMatchObject({ run: true, stop: true, admin: false, override: true });
    expect(buttons('PROCESSING', 'pat', planner)).toEqual(['stop', 'download(disabled)', 'force-delete']);
    expect(buttons('PROCESSING', 'ada', planner)).toEqual(['stop', 'download(disabled)']);
    expect(buttons('COMPLETED', 'pat', planner)).toEqual(['download', 'delete']);
    expect(buttons('COMPLETED', 'ada', planner)).toEqual(['download']);
    expect(buttons('FAILED', null, planner)).toEqual(['download(disabled)']); // started before sign-in existed
    expect(canSelect({ status: 'COMPLETED', created_by: 'pat' }, planner)).toBe(true);
    expect(canSelect({ status: 'COMPLETED', created_by: 'ada' }, planner)).toBe(false);
    expect(canSelect({ status: 'PROCESSING', created_by: 'pat' }, planner)).toBe(false);
  });

  it('an admin (and the local admin of AUTH=off) may do everything to any job', () => {
    for (const can of [admin, local]) {
      expect(can).toMatchObject({ run: true, stop: true, admin: true });
      expect(buttons('QUEUED', 'pat', can)).toEqual(['stop', 'download(disabled)', 'force-delete']);
      expect(buttons('COMPLETED', null, can)).toEqual(['download', 'delete']);
      expect(canSelect({ status: 'FAILED', created_by: 'someone' }, can)).toBe(true);
    }
  });

  it('actuals are sent or removed as a job is deleted: a planner their own jobs, an admin any', () => {
    expect(viewer.actuals({ created_by: 'vera' })).toBe(false);
    expect(planner.actuals({ created_by: 'pat' })).toBe(true);
    expect(planner.actuals({ created_by: 'ada' })).toBe(false);
    expect(planner.actuals({ created_by: null })).toBe(false);
    for (const can of [admin, local]) expect(can.actuals({ created_by: null })).toBe(true);
    expect(NO_PERMISSIONS.actuals({ created_by: null })).toBe(false);
  });

  it('nobody signed in may do nothing', () => {
    expect(NO_PERMISSIONS).toMatchObject({ run: false, stop: false, admin: false });
    expect(NO_PERMISSIONS.deleteJob({ created_by: null })).toBe(false);
    expect(buttons('COMPLETED', null, NO_PERMISSIONS)).toEqual(['download']);
  });
});
