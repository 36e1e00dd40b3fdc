/**
 * Issue 13 item 11: the rerun form's site list comes from GET /api/jobs/:id/sites (the sites of the
 * job's own upload), for any job whose upload is still there, whatever its status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSitesDto } from '../../server/contract/dto.js';
import { api, bootServer, uploadJob, type TestServer } from '../helpers/server.js';

const CSV = [
  'date,partnumber,site_code,demand_qty',
  '2025-01-01,A,SBY,1',
  '2025-01-02,A,JKT,2',
  '2025-01-03,B,<b>MDN</b>,3',
  '2025-01-04,B,JKT,1',
].join('\n');

describe('GET /api/jobs/:id/sites', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await bootServer();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('lists the upload’s sites, sorted, as plain data; an unknown job is 404', async () => {
    const up = await uploadJob(s.url, { name: 'd.csv', content: CSV }, { forecast_horizon: 3 });
    expect(up.status).toBe(201);
    const r = await api<JobSitesDto>(s.url, 'GET', `/api/jobs/${up.body.id}/sites`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: up.body.id, sites: ['<b>MDN</b>', 'JKT', 'SBY'] });
    const again = await api<JobSitesDto>(s.url, 'GET', `/api/jobs/${up.body.id}/sites`);
    expect(again.body.sites).toEqual(r.body.sites);

    const missing = await api<{ error: { code: string } }>(s.url, 'GET', '/api/jobs/nope123/sites');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('JOB_NOT_FOUND');
  });
});
