/**
 * Tracking's figures are the reference scorers' (../shared/tools/score.mjs for accuracy,
 * ../shared/tools/inventory/score.mjs for cycle service) on a small hand-made case, both scorers run as they
 * are; the exceptions and the actuals reader's refusals on the same case.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobConfigSchema } from '../../../server/contract/schemas.js';
import { InputError, PLAN_HEADER, trackJob, type TrackRequest } from '../../../server/forecast/index.js';

const SHARED = path.resolve(import.meta.dirname, '../../../../shared/tools');
const dir = mkdtempSync(path.join(os.tmpdir(), 'sparecast-tracking-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};
const month = (k: number) => {
  const d = new Date(Date.UTC(2020, k, 1));
  return d.toISOString().slice(0, 10);
};

// 12 months of history (2020-01..2020-12), a 6-month forecast, actuals for the first 4 of them
let seed = 11;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const parts = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'];
const hist: string[] = ['demand_qty,date,partnumber,site_code'];
for (const [j, p] of parts.entries())
  for (let k = 0; k < 12; k++) {
    if (p === 'P6') break; // P6 has no history: a new part
    if (p === 'P5' && k !== 11) continue; // one demand in the last month: zero scale (a single period)
    const q = rnd() < 0.3 + j * 0.1 ? Math.floor(rnd() * 5) + 1 : 0;
    if (q || (p === 'P5' && k === 11)) hist.push(`${q || 2},${month(k)},${p},S1`);
  }
const forecast: string[] = [
  'date,partnumber,site_code,forecast_qty,forecast_qty_raw,forecast_qty_raw_model,method,demand_class,forecast_lo,forecast_hi',
];
for (const [j, p] of parts.slice(0, 5).entries())
  for (let k = 12; k < 18; k++) {
    const v = p === 'P4' ? 2.5 : 0.3 + j * 0.4 + (k % 3) * 0.1;
    forecast.push(`${month(k)},${p},S1,${Math.round(v)},${v},${v},sba,intermittent,0,${v * 2}`);
  }
const actual: string[] = ['date,partnumber,site_code,demand_qty'];
for (const p of parts)
  for (let k = 12; k < 16; k++) {
    const q = p === 'P4' ? 0 : p === 'P2' ? 6 : Math.floor(rnd() * 3);
    actual.push(`${month(k)},${p},S1,${q}`);
  }
// a row before the origin (not counted) and one after the forecast window (not counted)
actual.push(`${month(5)},P1,S1,40`);
actual.push(`${month(20)},P1,S1,40`);

const planRows = [PLAN_HEADER];
const partsRows = ['partnumber,site_code,lead_time_periods,unit_cost'];
for (const [j, p] of parts.slice(0, 5).entries()) {
  const L = j % 3;
  const oup = 1 + j;
  const mean = 0.8 * (L + 1) * (1 + j * 0.3);
  const q = [mean, mean + 0.5, mean + 1, oup, oup + 2].map((x) => Math.max(x, 0));
  q.sort((a, b) => a - b);
  const sl = j % 2 ? 0.9 : 0.95;
  const quant = sl === 0.9 ? q[2] : q[3];
  // by the plan's own column names, so a column added to the plan later is left blank, not misplaced
  const row: Record<string, string | number> = {
    partnumber: p,
    site_code: 'S1',
    demand_class: 'intermittent',
    lead_time_periods: L,
    review_periods: 1,
    service_level: sl,
    ltd_mean: mean,
    ltd_q50: q[0],
    ltd_q80: q[1],
    ltd_q90: q[2],
    ltd_q95: q[3],
    ltd_q99: q[4],
    order_up_to: quant,
    safety_stock: quant - mean,
    unit_cost: 10,
    stock_value: quant * 10,
    expected_fill_rate: 0.9,
    expected_units_short: 0.1 * mean,
  };
  planRows.push(
    PLAN_HEADER.split(',')
      .map((c) => row[c] ?? '')
      .join(','),
  );
  partsRows.push(`${p},S1,${L},10`);
}

const files = {
  history: file('hist.csv', hist.join('\n') + '\n'),
  forecast: file('forecast.csv', forecast.join('\n') + '\n'),
  actuals: file('actuals.csv', actual.join('\n') + '\n'),
  plan: file('plan.csv', planRows.join('\n') + '\n'),
  parts: file('parts.csv', partsRows.join('\n') + '\n'),
};

const request = (over: Partial<TrackRequest> = {}): TrackRequest => ({
  history: { uploadFile: files.history, originalName: 'hist.csv', config: jobConfigSchema.parse({}) },
  outputFile: files.forecast,
  planFile: files.plan,
  actualsFile: files.actuals,
  actualsName: 'actuals.csv',
  rows: true,
  ...over,
});

/**
 * The reference scorers' figures for this case. The scorers live outside the repository (../shared/tools): where
 * they are, they are run as they are and must still give the figures recorded in tests/fixtures/tracking (so the
 * record cannot go stale); where they are not (a clean clone on CI), the record stands in for them.
 */
const RECORDED = path.resolve(import.meta.dirname, '../../fixtures/tracking/reference-scores.json');
const KEYS: Record<string, string[]> = {
  'score.mjs': ['scored', 'excluded_no_train', 'excluded_zero_scale', 'rmsse', 'mase', 'bias_pct'],
  'inventory/score.mjs': ['n_evaluated', 'service_achieved', 'service_target_mean'],
};
function reference(script: string, args: string[]): Record<string, unknown> {
  const recorded = (JSON.parse(readFileSync(RECORDED, 'utf8')) as Record<string, Record<string, unknown>>)[script];
  if (!existsSync(path.join(SHARED, script))) {
    expect(recorded, `no recorded figures for ${script}`).toBeDefined();
    return recorded;
  }
  const out = execFileSync(process.execPath, [path.join(SHARED, script), ...args, '--json'], { encoding: 'utf8' });
  const all = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
  const live = Object.fromEntries(KEYS[script].map((k) => [k, all[k]]));
  if (process.env.RECORD_REFERENCE) {
    const file = existsSync(RECORDED) ? (JSON.parse(readFileSync(RECORDED, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(RECORDED, JSON.stringify({ ...file, [script]: live }, null, 2) + '\n');
  } else expect(live).toEqual(recorded);
  return live;
}

describe('tracking against the reference scorers', () => {
  it('gives score.mjs RMSSE, MASE and bias, and the inventory scorer cycle service', async () => {
    // the reference scores the covered periods: its test file without the rows outside them
    const test = file('test.csv', actual.slice(0, -2).join('\n') + '\n');
    const acc = reference('score.mjs', ['--train', files.history, '--test', test, '--forecast', files.forecast]);
    const inv = reference('inventory/score.mjs', [
      ...['--train', files.history, '--test', test, '--parts', files.parts, '--plan', files.plan, '--lenient'],
    ]);
    const { summary, rows } = await trackJob(request());
    expect(summary.periods).toMatchObject({ count: 4, forecast: 6, first: '2021-01-01', last: '2021-04-01' });
    expect(acc.scored).toBeGreaterThanOrEqual(3);
    expect(summary.series.scored).toBe(acc.scored);
    expect(summary.series.excluded_no_history).toBe(acc.excluded_no_train);
    expect(summary.series.excluded_zero_scale).toBe(acc.excluded_zero_scale);
    expect(summary.accuracy.rmsse).toBeCloseTo(acc.rmsse as number, 4);
    expect(summary.accuracy.mase).toBeCloseTo(acc.mase as number, 4);
    expect(summary.accuracy.bias_pct).toBeCloseTo(acc.bias_pct as number, 2);
    expect(summary.service.evaluated).toBe(inv.n_evaluated);
    expect(summary.service.achieved_cycle_service).toBeCloseTo(inv.service_achieved as number, 4);
    expect(summary.service.promised_cycle_service).toBeCloseTo(inv.service_target_mean as number, 4);
    const above = rows!.filter((r) => r.exceptions.includes('DEMAND_ABOVE_PLAN')).length;
    expect(above).toBe(Math.round((1 - (inv.service_achieved as number)) * (inv.n_evaluated as number)));
    expect(summary.exceptions.DEMAND_ABOVE_PLAN).toBe(above);
    expect(summary.rows_ignored).toEqual({ before_origin: 1, after_window: 1, other_sites: 0 });
  });

  it('names the exceptions: a new part, a part that stopped selling, demand above the plan', async () => {
    const { summary, rows } = await trackJob(request());
    const by = new Map(rows!.map((r) => [r.partnumber, r]));
    expect(by.get('P6')!.exceptions).toContain('NEW_PART');
    expect(by.get('P6')!.has_history).toBe(false);
    // P4: 2.5 a month forecast, nothing sold in 4 months
    expect(by.get('P4')!.exceptions).toEqual(expect.arrayContaining(['STOPPED_SELLING', 'BIAS_DRIFT']));
    expect(by.get('P4')!.tracking_signal).toBeLessThan(-4);
    // P2 sold 6 a month: above any order-up-to level of this plan
    expect(by.get('P2')!.exceptions).toContain('DEMAND_ABOVE_PLAN');
    expect(summary.exceptions.NEW_PART).toBe(1);
    expect(summary.by_site.map((s) => s.site_code)).toEqual(['S1']);
    expect(summary.by_site[0].exceptions).toEqual(summary.exceptions);
  });

  it('refuses actuals with nothing after the origin, or for other parts, naming what is missing', async () => {
    const before = file('before.csv', `date,partnumber,site_code,demand_qty\n${month(3)},P1,S1,4\n`);
    const err = await trackJob(request({ actualsFile: before, actualsName: 'before.csv' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('NO_ACTUALS_AFTER_ORIGIN');
    expect((err as InputError).message).toContain('2020-12-01');
    const other = file('other.csv', `qty;tanggal;sku;lokasi\n3;${month(13)};ZZ9;S1\n`);
    const e2 = await trackJob(request({ actualsFile: other, actualsName: 'other.csv' })).catch((e: unknown) => e);
    expect((e2 as InputError).code).toBe('ACTUALS_NO_COMMON_SERIES');
    expect((e2 as InputError).message).toContain('ZZ9');
    const noQty = file('noqty.csv', `date,partnumber,site_code\n${month(13)},P1,S1\n`);
    const e3 = await trackJob(request({ actualsFile: noQty, actualsName: 'noqty.csv' })).catch((e: unknown) => e);
    expect((e3 as InputError).code).toBe('MISSING_COLUMNS');
  });
});
