/**
 * Issue 21 item 11: the job's name in the dashboard form (sent with the job, checked before Run, cleared
 * on Reset, never remembered as a setting) and in the rerun form (the source job's, changeable).
 */
import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type { JobDto } from '../../../server/contract/dto.js';
import type { UploadFile } from '../../../client/src/lib/api.js';
import { DashboardStore } from '../../../client/src/lib/dashboard.svelte.js';
import { RerunForm } from '../../../client/src/lib/rerun.svelte.js';
import { LiveBus } from '../../../client/src/lib/live.js';
import { FakeApi, FakeCommands, makeJob } from './fakes.js';

const file = { name: 'carparts.csv', size: 3 } as unknown as UploadFile;

describe('the job name in the forms', () => {
  it('the dashboard sends the cleaned name with the job, refuses a long one, forgets it on Reset', async () => {
    const api = new FakeApi();
    const sent: (string | null | undefined)[] = [];
    api.preview = async () => ({
      ok: true,
      data: {
        filename: 'carparts.csv',
        format: 'csv',
        encoding: 'utf-8',
        delimiter: ',',
        columns: { demand_qty: 'q', date: 'd', partnumber: 'p', site_code: 's' },
        extra_columns: [],
        rows: 10,
        parts: 2,
        series: 2,
        sites: ['JKT'],
        date_order: 'YMD',
        date_order_ambiguous: false,
        first_date: '2025-01-01',
        last_date: '2025-06-01',
        frequency: 'M',
        duplicates: 0,
        issues: [],
        warnings: [],
      },
    });
    api.createJob = async (_f, _c, _p, name) => {
      sent.push(name);
      const j = makeJob({ status: 'QUEUED', name: name ?? null });
      api.jobs.push(j);
      return { ok: true, data: j };
    };
    const local = new Map<string, string>();
    const d = new DashboardStore(api, new FakeCommands(api), new LiveBus(), undefined, {
      getItem: (k) => local.get(k) ?? null,
      setItem: (k, v) => void local.set(k, v),
    });
    d.signedIn('');
    await d.chooseFile(file);
    d.form.name = 'x'.repeat(101);
    expect(d.form.nameError).toMatch(/100/);
    expect(d.canRun).toBe(false);
    d.form.name = '  Q3 \u202Eplan\u202C  ';
    expect(d.form.nameError).toBeNull();
    expect(d.canRun).toBe(true);
    expect(await d.run()).toBe(true);
    expect(sent).toEqual(['Q3 plan']);
    expect([...local.values()].join('')).not.toContain('Q3');
    d.watch.clear();
    d.reset();
    expect(d.form.name).toBe('');
    await d.chooseFile(file);
    expect(await d.run()).toBe(true);
    expect(sent).toEqual(['Q3 plan', null]);
  });

  it('the rerun form starts from the source job’s name and sends the edited one', async () => {
    const api = new FakeApi();
    const sent: (string | null | undefined)[] = [];
    api.jobSites = async (id) => ({ ok: true, data: { id, sites: [] } });
    api.rerun = async (_id, _c, name) => {
      sent.push(name);
      return { ok: true, data: makeJob({ name: name ?? null }) };
    };
    const job: JobDto = makeJob({ status: 'COMPLETED', name: 'Basis' });
    const rerun = new RerunForm(api, job.id);
    await rerun.show(job);
    expect(rerun.form.name).toBe('Basis');
    rerun.form.name = 'Basis, 99 %';
    expect(await rerun.submit()).not.toBeNull();
    expect(sent).toEqual(['Basis, 99 %']);
  });
});
