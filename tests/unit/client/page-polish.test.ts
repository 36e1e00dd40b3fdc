/**
 * Issue 13 items 6, 7, 9 and 11, at the level of the stores and view helpers the pages render from.
 */
import './runes-shim.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobDto, PreviewDto } from '../../../server/contract/dto.js';
import { previewDemand } from '../../../server/forecast/index.js';
import type { UploadFile } from '../../../client/src/lib/api.js';
import { AuthStore } from '../../../client/src/lib/auth.svelte.js';
import { DashboardStore } from '../../../client/src/lib/dashboard.svelte.js';
import { checkedDownload } from '../../../client/src/lib/download.js';
import { chartNotice } from '../../../client/src/lib/job-view.js';
import { LiveBus } from '../../../client/src/lib/live.js';
import { extraWarnings, uniqueIssues } from '../../../client/src/lib/preview-view.js';
import { RerunForm } from '../../../client/src/lib/rerun.svelte.js';
import { FakeApi, FakeAuthApi, FakeCommands, makeJob } from './fakes.js';

/** What the real engine says about a file whose every quantity is unreadable. */
async function unusablePreview(): Promise<PreviewDto> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sparecast-pv-'));
  const file = path.join(dir, 'zero.csv');
  writeFileSync(file, 'date,partnumber,site_code,demand_qty\n2025-01-01,A,S1,abc\n2025-01-02,A,S1,x\n');
  return previewDemand(file, 'zero.csv', { date_format: 'auto' });
}

function dashboard(preview: PreviewDto) {
  const api = new FakeApi();
  const bus = new LiveBus();
  api.preview = async () => ({ ok: true, data: preview });
  const d = new DashboardStore(api, new FakeCommands(api), bus);
  return { api, bus, d };
}

describe('item 7: a file with nothing usable', () => {
  it('cannot be run, and says why', async () => {
    const p = await unusablePreview();
    expect(p.rows).toBe(2);
    expect(p.series).toBe(0);
    const { d } = dashboard(p);
    await d.chooseFile({ name: 'zero.csv', size: 3 } as unknown as UploadFile);
    expect(d.preview).not.toBeNull();
    expect(d.form.valid).toBe(true);
    expect(d.runBlocked).toBe('preview.blocked.unusable');
    expect(d.canRun).toBe(false);
    expect(await d.run()).toBe(false);
  });

  it('an empty file is blocked too; a usable one is not', async () => {
    const p = await unusablePreview();
    const empty = dashboard({ ...p, rows: 0, issues: [], warnings: [] }).d;
    await empty.chooseFile({ name: 'e.csv', size: 1 } as unknown as UploadFile);
    expect(empty.runBlocked).toBe('preview.blocked.empty');
    const fine = dashboard({ ...p, series: 3, parts: 2, first_date: '2025-01-01', last_date: '2025-01-02' }).d;
    await fine.chooseFile({ name: 'f.csv', size: 1 } as unknown as UploadFile);
    expect(fine.runBlocked).toBeNull();
    expect(fine.canRun).toBe(true);
  });

  it('lists each problem once (the engine repeats it among the warnings)', async () => {
    const p = await unusablePreview();
    expect(p.warnings.some((w) => w.startsWith(p.issues[0]!.message))).toBe(true);
    expect(extraWarnings(p)).toEqual([]);
    const twice = { ...p, issues: [...p.issues, ...p.issues], warnings: [...p.warnings, 'Other', 'Other'] };
    expect(uniqueIssues(twice)).toEqual(p.issues);
    expect(extraWarnings(twice)).toEqual(['Other']);
  });
});

describe('item 6: the dashboard card follows job:deleted', () => {
  it('a deleted job offers neither Download nor its page; after a reload it is known gone', async () => {
    const p = await unusablePreview();
    const { api, bus, d } = dashboard(p);
    const j = makeJob({ status: 'COMPLETED', progress: 100, has_output: true });
    api.jobs.push(j);
    await d.watch.watch(j.id);
    expect(d.canDownload).toBe(true);
    expect(d.canOpenJob).toBe(true);
    bus.emit('job:deleted', { id: j.id });
    expect(d.jobGone).toBe(true);
    expect(d.canDownload).toBe(false);
    expect(d.canOpenJob).toBe(false);

    api.jobs = [];
    const again = new DashboardStore(api, new FakeCommands(api), bus);
    await again.watch.watch(j.id);
    expect(again.jobGone).toBe(true);
    expect(again.canOpenJob).toBe(false);
  });

  it('a download the server refuses is an error, never a saved file', async () => {
    const saved: string[] = [];
    const refuse = async () =>
      new Response(JSON.stringify({ error: { code: 'JOB_NOT_FOUND', message: 'No job with id x.' } }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    const r = await checkedDownload('/api/jobs/x/download', { fetch: refuse, save: (u) => saved.push(u) });
    expect(r).toEqual({ ok: false, error: { code: 'JOB_NOT_FOUND', message: 'No job with id x.' } });
    expect(saved).toEqual([]);

    let signal: AbortSignal | undefined;
    const serve = async (_u: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return new Response('date,partnumber\n', { status: 200 });
    };
    expect((await checkedDownload('/api/jobs/y/download', { fetch: serve, save: (u) => saved.push(u) })).ok).toBe(true);
    expect(saved).toEqual(['/api/jobs/y/download']);
    expect(signal?.aborted).toBe(true); // the check's own body is not read

    const down = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await checkedDownload('/d', { fetch: down, save: () => undefined })).toMatchObject({
      ok: false,
      error: { code: 'NETWORK' },
    });
  });
});

describe('item 9: after the first admin is created', () => {
  it('the dashboard is told to welcome the admin; signing out forgets it', async () => {
    const api = new FakeAuthApi();
    api.setupToken = 'tok';
    const auth = new AuthStore(api);
    await auth.load();
    expect(auth.welcomeAdmin).toBe(false);
    expect(await auth.setup('tok', 'boss', 'boss-password')).toBe(true);
    expect(auth.welcomeAdmin).toBe(true);
    await auth.signOut();
    expect(auth.welcomeAdmin).toBe(false);
    await auth.signIn('ada', 'ada-pass');
    expect(auth.welcomeAdmin).toBe(false);
  });
});

describe('item 11: polish', () => {
  it('the rerun form lists the sites of the job’s file', async () => {
    const api = new FakeApi();
    let asked = 0;
    api.jobSites = async (id) => {
      asked++;
      return { ok: true, data: { id, sites: ['SBY', 'JKT'] } };
    };
    const base = makeJob({ status: 'COMPLETED' });
    const job: JobDto = { ...base, config: { ...base.config, forecast_site_codes: ['MDN'] } };
    const rerun = new RerunForm(api, job.id);
    expect(rerun.sites).toEqual([]);
    await rerun.show(job);
    expect(rerun.open).toBe(true);
    expect(rerun.sites).toEqual(['JKT', 'MDN', 'SBY']);
    expect(rerun.form.sites).toEqual(['MDN']);
    rerun.hide();
    await rerun.show(job);
    expect(asked).toBe(1);
  });

  it('a FAILED job’s chart card says it has no chart, with its error; a running one that it will', () => {
    const failed = makeJob({ status: 'FAILED', error_message: 'No usable rows.' });
    expect(chartNotice(failed, false)).toEqual({ key: 'job.chart.failed', error: 'No usable rows.' });
    expect(chartNotice(makeJob({ status: 'CANCELLED' }), false)?.key).toBe('job.chart.cancelled');
    expect(chartNotice(makeJob({ status: 'PROCESSING' }), false)?.key).toBe('job.chart.unavailable');
    expect(chartNotice(makeJob({ status: 'COMPLETED' }), false)).toBeNull();
    expect(chartNotice(makeJob({ status: 'COMPLETED' }), true)?.key).toBe('job.chart.deleted');
  });
});
