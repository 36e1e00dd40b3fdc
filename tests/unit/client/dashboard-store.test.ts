import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type { JobDto, PreviewDto } from '../../../server/contract/dto.js';
import type { UploadFile } from '../../../client/src/lib/api.js';
import { ConnectionStore } from '../../../client/src/lib/connection.svelte.js';
import { DashboardStore } from '../../../client/src/lib/dashboard.svelte.js';
import { LiveBus } from '../../../client/src/lib/live.js';
import { FakeApi, FakeCommands, makeJob, tick } from './fakes.js';

const preview = (sites: string[]): PreviewDto => ({
  filename: 'd.csv',
  format: 'csv',
  encoding: 'utf-8',
  delimiter: ',',
  columns: { demand_qty: 'qty', date: 'date', partnumber: 'part', site_code: 'site' },
  extra_columns: [],
  rows: 10,
  parts: 2,
  series: 3,
  sites,
  date_order: 'DMY',
  date_order_ambiguous: true,
  first_date: '2025-01-01',
  last_date: '2025-06-01',
  frequency: 'M',
  duplicates: 0,
  issues: [],
  warnings: [],
});
const file = { name: 'd.csv', size: 3 } as unknown as UploadFile;

function setup() {
  const api = new FakeApi();
  const bus = new LiveBus();
  const seen: { dateFormat?: string; config?: unknown } = {};
  api.preview = async (_f, dateFormat) => {
    seen.dateFormat = dateFormat;
    return { ok: true, data: preview(['JKT', 'SBY']) };
  };
  api.createJob = async (_f, config) => {
    seen.config = config;
    const j: JobDto = makeJob({ status: 'QUEUED', queue_position: 1 });
    api.jobs.push(j);
    return { ok: true, data: j };
  };
  const mem = new Map<string, string>();
  const session = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
  const d = new DashboardStore(api, new FakeCommands(api), bus, session);
  return { api, bus, d, seen, mem };
}

describe('DashboardStore', () => {
  it('previews a file, runs it with the form config, disables Run while the job runs, stops it', async () => {
    const { api, bus, d, seen } = setup();
    expect(d.canRun).toBe(false);
    await d.chooseFile(file);
    expect(d.preview?.sites).toEqual(['JKT', 'SBY']);
    d.form.toggleSite('SBY');
    d.form.horizon = 12;
    expect(d.canRun).toBe(true);
    expect(await d.run()).toBe(true);
    expect(seen.config).toMatchObject({ forecast_horizon: 12, forecast_site_codes: ['SBY'] });
    expect(d.running).toBe(true);
    expect(d.canRun).toBe(false);
    const job = d.watch.job!;
    bus.emit('job:updated', { ...job, status: 'PROCESSING', progress: 15 });
    expect(d.watch.job?.progress).toBe(15);
    expect(await d.stop()).toBe(true);
    expect(d.watch.job?.status).toBe('CANCELLED');
    expect(d.running).toBe(false);
    expect(api.jobs[0]!.status).toBe('CANCELLED');
  });

  it('sends the parts file with the preview and the job; Reset and Remove drop it', async () => {
    const { api, d } = setup();
    const sent: { preview: (UploadFile | null | undefined)[]; job: (UploadFile | null | undefined)[] } = {
      preview: [],
      job: [],
    };
    api.preview = async (_f, _d, parts) => (sent.preview.push(parts), { ok: true, data: preview(['JKT']) });
    api.createJob = async (_f, _c, parts) => {
      sent.job.push(parts);
      const j = makeJob({ status: 'QUEUED' });
      api.jobs.push(j);
      return { ok: true, data: j };
    };
    const parts = { name: 'parts.csv', size: 2 } as unknown as UploadFile;
    await d.chooseParts(parts); // no demand file yet: nothing to preview
    expect(sent.preview).toEqual([]);
    await d.chooseFile(file);
    expect(sent.preview).toEqual([parts]);
    await d.chooseParts(null);
    await d.chooseParts(parts);
    expect(sent.preview).toEqual([parts, null, parts]);
    d.form.serviceLevel = 90;
    d.form.leadTimeDays = 14;
    expect(d.form.toInput()).toMatchObject({ service_level: 90, lead_time_days: 14, review_periods: 1 });
    expect(await d.run()).toBe(true);
    expect(sent.job).toEqual([parts]);
    d.watch.clear();
    d.reset();
    expect(d.partsFile).toBeNull();
  });

  it('re-reads the preview when the date order changes and keeps only known sites', async () => {
    const { d, seen } = setup();
    await d.chooseFile(file);
    d.form.sites = ['JKT', 'GONE'];
    await d.setDateFormat('MDY');
    expect(seen.dateFormat).toBe('MDY');
    expect(d.form.sites).toEqual(['JKT']);
  });

  it('shows a preview error and refuses to run; Reset clears everything but not while running', async () => {
    const { api, d, mem } = setup();
    api.preview = async () => ({ ok: false, error: { code: 'MISSING_COLUMNS', message: 'no date column' } });
    await d.chooseFile(file);
    expect(d.previewError?.code).toBe('MISSING_COLUMNS');
    expect(d.canRun).toBe(false);
    expect(await d.run()).toBe(false);
    d.reset();
    expect(d.file).toBeNull();
    expect(d.previewError).toBeNull();
    api.sample = async () => {
      const j = makeJob({ status: 'PROCESSING' });
      api.jobs.push(j);
      return { ok: true, data: j };
    };
    expect(await d.runSample()).toBe(true);
    expect(mem.get('sparecast.dashboard.job')).toBe(d.watch.id);
    d.reset();
    expect(d.watch.job).not.toBeNull();
  });

  it('resumes the job of this tab after a reload', async () => {
    const { api, bus, mem } = setup();
    const j = makeJob({ status: 'PROCESSING' });
    api.jobs.push(j);
    mem.set('sparecast.dashboard.job', j.id);
    const d2 = new DashboardStore(api, new FakeCommands(api), bus, {
      getItem: (k) => mem.get(k) ?? null,
      setItem: () => {},
    });
    d2.resume();
    await tick();
    await tick();
    expect(d2.watch.job?.id).toBe(j.id);
  });
});

describe('ConnectionStore', () => {
  it('tracks the socket and notes resyncs after unrecovered reconnects', () => {
    const bus = new LiveBus();
    const conn = new ConnectionStore(bus, () => 42);
    expect(conn.state).toBe('connecting');
    bus.emit('connect', { recovered: false, first: true });
    expect(conn.state).toBe('connected');
    expect(conn.resyncedAt).toBeNull();
    bus.emit('disconnect', 'ping timeout');
    expect(conn.state).toBe('disconnected');
    expect(bus.connected).toBe(false);
    bus.emit('connect', { recovered: false, first: false });
    expect(conn.resyncedAt).toBe(42);
  });
});
