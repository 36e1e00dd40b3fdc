import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import type { TrackingRow, TrackingRowsDto } from '../../../server/contract/tracking.js';
import {
  ChartActuals,
  chartOverrideRow,
  pickTrackingRow,
  seriesActual,
  withActualColumn,
} from '../../../client/src/lib/chart-actuals.svelte.js';
import { toChartColumns } from '../../../client/src/lib/series.svelte.js';
import { startValue } from '../../../client/src/lib/overrides-view.js';
import { ok, type Result } from '../../../client/src/lib/result.js';

const row = (partnumber: string, site_code: string, actual: number[]): TrackingRow => ({
  partnumber,
  site_code,
  demand_class: 'smooth',
  has_history: true,
  forecast: actual.map(() => 1),
  actual,
  forecast_total: actual.length,
  actual_total: actual.reduce((a, b) => a + b, 0),
  error: 0,
  rmsse: null,
  tracking_signal: null,
  protection_periods: null,
  order_up_to: null,
  actual_over_p: null,
  unit_cost: null,
  exceptions: [],
});
const dto = (rows: TrackingRow[], periods = ['2025-02-01', '2025-03-01']): TrackingRowsDto => ({
  state: 'ready',
  total: rows.length,
  page: 1,
  page_size: 500,
  periods,
  rows,
});
const sec = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;

describe('the chart’s actuals', () => {
  it('picks the row of exactly this part and site, not one that only contains it', () => {
    const rows = [row('A-10', 'S1', [9]), row('A-1', 'S10', [8]), row('A-1', 'S1', [7])];
    expect(pickTrackingRow(rows, { partnumber: 'A-1', site_code: 'S1' })?.actual).toEqual([7]);
    expect(pickTrackingRow(rows, { partnumber: 'A-1', site_code: 'S2' })).toBeNull();
  });

  it('gives the periods with their actuals, or null without a row or before actuals', () => {
    const d = dto([row('A', 'S', [3, 4])]);
    expect(seriesActual(d, { partnumber: 'A', site_code: 'S' })).toEqual({
      periods: ['2025-02-01', '2025-03-01'],
      values: [3, 4],
    });
    expect(seriesActual(d, { partnumber: 'B', site_code: 'S' })).toBeNull();
    expect(seriesActual({ ...d, state: 'none', rows: [] }, { partnumber: 'A', site_code: 'S' })).toBeNull();
  });

  it('lines the actuals up with the forecast periods and adds a period the chart lacks', () => {
    const cols = toChartColumns({
      partnumber: 'A',
      site_code: 'S',
      history: [{ date: '2025-01-01', qty: 5 }],
      forecast: [{ date: '2025-02-01', qty: 6, raw: 6, lo: 4, hi: 8 }],
    });
    const [xs, hist, fc, lo, hi, act] = withActualColumn(cols, {
      periods: ['2025-02-01', '2025-03-01'],
      values: [7, 2],
    });
    expect(xs).toEqual([sec('2025-01-01'), sec('2025-02-01'), sec('2025-03-01')]);
    expect(hist).toEqual([5, null, null]);
    expect(fc).toEqual([5, 6, null]);
    expect(lo).toEqual([null, 4, null]);
    expect(hi).toEqual([null, 8, null]);
    expect(act).toEqual([null, 7, 2]);
    // no actuals: a column of nulls, the rest unchanged
    const none = withActualColumn(cols, null);
    expect(none.slice(0, 5)).toEqual(cols);
    expect(none[5]).toEqual([null, null]);
  });
});

describe('ChartActuals', () => {
  function fake() {
    const asked: string[] = [];
    const answers: Result<TrackingRowsDto>[] = [];
    const api = {
      rows(id: string, q: { q: string; site_code: string; page_size: number }) {
        asked.push(`${id}:${q.q}:${q.site_code}`);
        return Promise.resolve(answers.shift() ?? ok(dto([])));
      },
    };
    return { api, asked, answers };
  }

  it('asks nothing while the job has no actuals', async () => {
    const { api, asked } = fake();
    const s = new ChartActuals(api, 'j1');
    await s.load({ partnumber: 'A', site_code: 'S' }, false);
    expect(asked).toEqual([]);
    expect(s.data).toBeNull();
  });

  it('asks for the part at its site and keeps the matching row', async () => {
    const { api, asked, answers } = fake();
    answers.push(ok(dto([row('AB', 'S', [1, 1]), row('A', 'S', [3, 4])])));
    const s = new ChartActuals(api, 'j1');
    await s.load({ partnumber: 'A', site_code: 'S' }, true);
    expect(asked).toEqual(['j1:A:S']);
    expect(s.data?.values).toEqual([3, 4]);
  });

  it('keeps only the latest answer', async () => {
    let release: (v: Result<TrackingRowsDto>) => void = () => {};
    const slow = new Promise<Result<TrackingRowsDto>>((r) => (release = r));
    const calls: Promise<Result<TrackingRowsDto>>[] = [slow, Promise.resolve(ok(dto([row('B', 'S', [9, 9])])))];
    const s = new ChartActuals({ rows: () => calls.shift()! }, 'j1');
    const first = s.load({ partnumber: 'A', site_code: 'S' }, true);
    await s.load({ partnumber: 'B', site_code: 'S' }, true);
    release(ok(dto([row('A', 'S', [1, 1])])));
    await first;
    expect(s.data?.values).toEqual([9, 9]);
  });
});

describe('chartOverrideRow', () => {
  const series = {
    partnumber: 'A',
    site_code: 'S',
    forecast: [
      { date: '2025-02-01', qty: 2, raw: 2, lo: null, hi: null },
      { date: '2025-03-01', qty: 3, raw: 3, lo: null, hi: null },
    ],
  };
  it('starts from the mean forecast per period without a plan row', () => {
    const r = chartOverrideRow(series, null);
    expect(startValue('forecast_per_period', r)).toBe('2.5');
    expect(startValue('order_up_to', r)).toBe('');
    expect(startValue('service_level', r)).toBe('');
  });
  it('uses the plan row of the same part and site', () => {
    const plan = {
      partnumber: 'A',
      site_code: 'S',
      order_up_to: 7,
      ltd_mean: 4,
      lead_time_periods: 1,
      review_periods: 1,
      service_level: 0.95,
    };
    expect(chartOverrideRow(series, plan)).toBe(plan);
    expect(chartOverrideRow(series, { ...plan, site_code: 'T' }).order_up_to).toBeNull();
  });
});
