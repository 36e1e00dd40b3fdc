import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type { JobMetrics } from '../../../server/contract/dto.js';
import { listQuery } from '../../../client/src/lib/api.js';
import { ConfigForm } from '../../../client/src/lib/config-form.svelte.js';
import {
  elapsedMs,
  etaMs,
  formatBytes,
  formatDateTime,
  formatDay,
  formatDuration,
} from '../../../client/src/lib/format.js';
import { applyProgress, mergeJob } from '../../../client/src/lib/job-merge.js';
import { describeMetrics, liftPct, roundingLossPct } from '../../../client/src/lib/metrics-words.js';
import { href, parseRoute } from '../../../client/src/lib/route.js';
import { toChartColumns } from '../../../client/src/lib/series.svelte.js';
import { makeJob } from './fakes.js';

describe('route', () => {
  it('parses and builds the three pages', () => {
    expect(parseRoute('')).toEqual({ page: 'dashboard' });
    expect(parseRoute('#/')).toEqual({ page: 'dashboard' });
    expect(parseRoute('#/history')).toEqual({ page: 'history' });
    expect(parseRoute('#/jobs/abc_123-x')).toEqual({ page: 'job', id: 'abc_123-x' });
    expect(parseRoute('#/jobs/../../etc')).toEqual({ page: 'dashboard' });
    expect(href({ page: 'job', id: 'j1' })).toBe('#/jobs/j1');
    expect(parseRoute(href({ page: 'history' }))).toEqual({ page: 'history' });
  });
});

describe('format', () => {
  it('durations, sizes and times in a given zone', () => {
    expect(formatDuration(45_000, 'en-US')).toBe('45 sec');
    expect(formatDuration(185_000, 'en-US')).toBe('3 min 05 sec');
    expect(formatDuration(3_720_000, 'en-US')).toBe('1 hr 02 min');
    expect(formatDuration(null, 'en-US')).toBe('—');
    expect(formatBytes(2048, 'en-US')).toBe('2.0 KB');
    expect(formatDateTime('2026-01-01T00:30:00Z', 'en-GB', 'Asia/Jakarta')).toContain('07:30');
    expect(formatDateTime(null, 'en-GB')).toBe('—');
    expect(formatDay('2026-03-04', 'en-GB')).toBe('4 Mar 2026');
  });
  it('elapsed and ETA', () => {
    const now = Date.parse('2026-01-01T00:01:40Z');
    expect(elapsedMs('2026-01-01T00:00:00Z', null, now)).toBe(100_000);
    expect(elapsedMs('2026-01-01T00:00:00Z', '2026-01-01T00:00:10Z', now)).toBe(10_000);
    expect(elapsedMs(null, null, now)).toBeNull();
    expect(etaMs(25, 100_000)).toBe(300_000);
    expect(etaMs(1, 100_000)).toBeNull();
    expect(etaMs(100, 100_000)).toBeNull();
  });
});

describe('job merge', () => {
  it('never regresses status or progress; late progress after a final status is ignored', () => {
    const j = makeJob({ status: 'PROCESSING', progress: 50 });
    expect(mergeJob(j, { ...j, progress: 40 }).progress).toBe(50);
    expect(mergeJob(j, { ...j, status: 'QUEUED', progress: 0 }).status).toBe('PROCESSING');
    const done = { ...j, status: 'CANCELLED' as const };
    expect(mergeJob(done, { ...j, progress: 60 }).status).toBe('CANCELLED');
    expect(mergeJob(j, done).status).toBe('CANCELLED');
    const parts = { total: 2, completed: 1, skipped: 0, failed: 0 };
    expect(applyProgress(done, { id: j.id, progress: 70, stage: 's', stage_info: null, partitions: parts })).toBe(done);
    const q = makeJob({ status: 'QUEUED', queue_position: 2 });
    expect(
      applyProgress(q, { id: q.id, progress: 3, stage: 'reading', stage_info: null, partitions: parts }),
    ).toMatchObject({
      status: 'PROCESSING',
      queue_position: null,
    });
  });
});

describe('list query', () => {
  it('builds GET /api/jobs parameters', () => {
    expect(
      listQuery({ status: ['CANCELLED', 'FAILED'], q: ' may ', page: 2, page_size: 20, sort: 'created_desc' }),
    ).toBe('status=CANCELLED%2CFAILED&q=may&page=2&page_size=20&sort=created_desc');
    expect(listQuery({ status: [], q: '', page: 1, page_size: 20, sort: 'created_asc' })).toBe(
      'page=1&page_size=20&sort=created_asc',
    );
  });
});

describe('config form', () => {
  it('validates with the server schema and round-trips a job config', () => {
    const f = new ConfigForm();
    expect(f.valid).toBe(true);
    expect(f.toInput()).toMatchObject({
      forecast_horizon: 30,
      forecast_start_date: null,
      frequency: null,
      method: 'auto',
    });
    f.horizon = 400;
    f.zeroThreshold = -1;
    f.startDate = '31/02/2026';
    expect(f.valid).toBe(false);
    expect(Object.keys(f.errors).sort()).toEqual(['forecast_horizon', 'forecast_start_date', 'zero_threshold']);
    f.horizon = '';
    expect(f.errors.forecast_horizon).toBeTruthy();
    const job = makeJob();
    f.load({ ...job.config, forecast_horizon: 12, forecast_site_codes: ['JKT'], frequency: 'W', method: 'sba' });
    expect(f.valid).toBe(true);
    expect(f.toInput()).toMatchObject({
      forecast_horizon: 12,
      forecast_site_codes: ['JKT'],
      frequency: 'W',
      method: 'sba',
    });
    f.toggleSite('JKT');
    f.toggleSite('SBY');
    expect(f.sites).toEqual(['SBY']);
    f.reset();
    expect(f.toInput().forecast_horizon).toBe(30);
    // the inventory fields: percent in the form, a share in the job; blank or out of range is named
    f.load({ ...job.config, service_level: 0.9, lead_time_days: 14, review_periods: 2 });
    expect(f.toInput()).toMatchObject({ service_level: 90, lead_time_days: 14, review_periods: 2 });
    f.serviceLevel = 40;
    f.leadTimeDays = '';
    f.reviewPeriods = 1.5;
    expect(Object.keys(f.errors).sort()).toEqual(['lead_time_days', 'review_periods', 'service_level']);
    f.reset();
    expect(f.valid).toBe(true);
  });
});

describe('metrics in words', () => {
  const base = (over: Partial<JobMetrics>): JobMetrics => ({
    chosen: { rmsse: 0.8, mase: 0.7, mae: 1, rmse: 1, bias_pct: 12 },
    naive: { rmsse: 1.0, mase: 1.0, mae: 1, rmse: 1, bias_pct: 0 },
    sba: { rmsse: 0.9, mase: 0.8, mae: 1, rmse: 1, bias_pct: 0 },
    series: 10,
    scored_series: 8,
    classes: {},
    methods: {},
    frequency: 'M',
    horizon: 6,
    warnings: [],
    seconds: 1,
    ...over,
  });
  it('says how much better than the baselines and which way the bias leans', () => {
    expect(liftPct(base({}).chosen, base({}).naive)).toBeCloseTo(-20);
    const s = describeMetrics(base({}));
    expect(s.map((x) => x.key)).toEqual(['metrics.better', 'metrics.better.sba', 'metrics.over.M']);
    expect(s[0]!.params).toEqual({ pct: 20 });
    expect(s[2]!.params).toEqual({ pct: 12 });
    const worse = describeMetrics(base({ chosen: { rmsse: 1.5, mase: 1, mae: 1, rmse: 1, bias_pct: -2 } }));
    expect(worse.map((x) => x.key)).toEqual(['metrics.worse', 'metrics.worse.sba', 'metrics.unbiased']);
    expect(describeMetrics(base({ scored_series: 0 })).map((x) => x.key)).toEqual(['metrics.unscored']);
  });
  it('does not call a forecast unbiased when rounding removes its volume', () => {
    const flat = { rmsse: 0.8, mase: 0.7, mae: 1, rmse: 1, bias_pct: -1 };
    // the sample's default run: the model expects 2,029 units, the rounded column holds 21
    const lost = describeMetrics(base({ chosen: flat, forecast_total: { model: 2029, rounded: 21 } }));
    expect(lost.map((x) => x.key)).toEqual(['metrics.better', 'metrics.better.sba', 'metrics.rounding.loses.M']);
    expect(lost[2]!.params).toEqual({ pct: 99 });
    expect(roundingLossPct(base({ forecast_total: { model: 100, rounded: 130 } }))).toBeCloseTo(30);
    const kept = describeMetrics(base({ chosen: flat, forecast_total: { model: 100, rounded: 90 } }));
    expect(kept.map((x) => x.key)).toContain('metrics.unbiased');
    expect(roundingLossPct(base({}))).toBeNull(); // jobs from before the totals were recorded
  });
});

describe('chart columns', () => {
  it('aligns history and forecast on one time axis, joining the forecast to the last actual', () => {
    const cols = toChartColumns({
      partnumber: 'P1',
      site_code: 'JKT',
      history: [
        { date: '2026-01-01', qty: 3 },
        { date: '2026-02-01', qty: 5 },
      ],
      forecast: [{ date: '2026-03-01', qty: 4, raw: 4.2, lo: 2, hi: 6 }],
    });
    expect(cols[0]).toHaveLength(3);
    expect(cols[1]).toEqual([3, 5, null]);
    expect(cols[2]).toEqual([null, 5, 4]);
    expect(cols[3]).toEqual([null, null, 2]);
    expect(cols[4]).toEqual([null, null, 6]);
  });
});
