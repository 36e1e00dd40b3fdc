import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type { JobDto, PreviewDto } from '../../../server/contract/dto.js';
import type { UploadFile } from '../../../client/src/lib/api.js';
import { ConnectionStore } from '../../../client/src/lib/connection.svelte.js';
import { DashboardStore, settingsKey } from '../../../client/src/lib/dashboard.svelte.js';
import { readRemembered } from '../../../client/src/lib/config-form.svelte.js';
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

describe('horizon by frequency and remembered settings (issue 21)', () => {
  function store(freq: 'D' | 'W' | 'M', local = new Map<string, string>()) {
    const api = new FakeApi();
    const sent: unknown[] = [];
    const at = { freq };
    api.preview = async () => ({ ok: true, data: { ...preview(['JKT']), frequency: at.freq } });
    api.createJob = async (_f, config) => {
      sent.push(config);
      const j: JobDto = makeJob({ status: 'QUEUED', queue_position: 1 });
      api.jobs.push(j);
      return { ok: true, data: j };
    };
    const kv = {
      getItem: (k: string) => local.get(k) ?? null,
      setItem: (k: string, v: string) => void local.set(k, v),
    };
    const d = new DashboardStore(api, new FakeCommands(api), new LiveBus(), undefined, kv);
    return { d, sent, local, at };
  }

  it('proposes 30 days, 13 weeks or 12 months after the preview, unless the person typed one', async () => {
    for (const [freq, h] of [
      ['D', 30],
      ['W', 13],
      ['M', 12],
    ] as const) {
      const { d } = store(freq);
      await d.chooseFile(file);
      expect(d.form.horizon).toBe(h);
      expect(d.form.proposal).toEqual({ frequency: freq, horizon: h });
    }
    const { d, sent, at } = store('M');
    await d.chooseFile(file);
    d.form.frequency = 'W'; // asked for weekly: the proposal follows
    expect(d.form.horizon).toBe(13);
    d.form.frequency = '';
    d.form.horizon = 24; // typed: neither another file nor another frequency replaces it
    expect(d.form.proposal).toBeNull();
    at.freq = 'D';
    await d.chooseFile(file);
    d.form.frequency = 'W';
    expect(d.form.horizon).toBe(24);
    expect(await d.run()).toBe(true);
    expect(sent[0]).toMatchObject({ forecast_horizon: 24 });
    // typed before the file was chosen: kept too
    const typed = store('M');
    typed.d.form.horizon = 6;
    await typed.d.chooseFile(file);
    expect(typed.d.form.horizon).toBe(6);
  });

  it("remembers each person's last settings, the horizon per frequency", async () => {
    const local = new Map<string, string>();
    const ana = store('M', local);
    ana.d.signedIn('ana');
    await ana.d.chooseFile(file);
    ana.d.form.horizon = 18;
    ana.d.form.rounding = 'half_up';
    ana.d.form.serviceLevel = 90;
    expect(await ana.d.run()).toBe(true);
    expect(JSON.parse(local.get(settingsKey('ana'))!)).toMatchObject({ horizons: { M: 18 }, rounding_mode: 'half_up' });

    // another visit: Ana's settings, and her 18 months on a monthly file, the default on a weekly one
    const again = store('M', local);
    again.d.signedIn('ana');
    expect(again.d.form.rounding).toBe('half_up');
    expect(again.d.form.serviceLevel).toBe(90);
    await again.d.chooseFile(file);
    expect(again.d.form.horizon).toBe(18);
    again.at.freq = 'W';
    await again.d.chooseFile(file);
    expect(again.d.form.horizon).toBe(13);
    again.d.reset(); // a reset goes back to her settings, not the product's
    expect(again.d.form.rounding).toBe('half_up');

    // Budi has none: the defaults
    const budi = store('M', local);
    budi.d.signedIn('budi');
    await budi.d.chooseFile(file);
    expect(budi.d.form.rounding).toBe('cumulative');
    expect(budi.d.form.horizon).toBe(12);
  });

  it('ignores remembered settings that are not valid', () => {
    expect(readRemembered(null)).toBeNull();
    expect(readRemembered('{not json')).toBeNull();
    expect(readRemembered('{"rounding_mode":"sideways"}')).toBeNull();
    const ok = readRemembered(
      JSON.stringify({
        horizons: { M: 12, W: 0, D: 'x' },
        zero_threshold: 0.5,
        rounding_mode: 'floor',
        date_format: 'auto',
        method: 'auto',
        service_level: 90,
        lead_time_days: 14,
        review_periods: 1,
      }),
    );
    expect(ok).toMatchObject({ horizons: { M: 12 }, rounding_mode: 'floor', service_level: 90 });
    expect(ok!.horizons).toEqual({ M: 12 });
  });
});
