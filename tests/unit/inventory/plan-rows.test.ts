/** Plan rows through the real engine: columns, suggested orders, blanks, P beyond the horizon, L = 0. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobConfigSchema } from '../../../server/contract/schemas.js';
import { engine, PLAN_COLUMNS, type PartsSource } from '../../../server/forecast/index.js';
import { PRIOR, type PooledParams } from '../../../server/forecast/inventory/index.js';
import { planRow } from '../../../server/forecast/inventory/plan-row.js';
import { planLine } from '../../../server/forecast/output/plan-write.js';

const dir = mkdtempSync(join(tmpdir(), 'sparecast-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pooled: PooledParams = { groups: { '*': PRIOR }, calibration: {}, minWindows: 0, form: 'size' };
const key = { partnumber: '=HYPERLINK("x")', site: 'S, 1', demandClass: 'smooth' };
const history = Array.from({ length: 60 }, (_, t) => (t % 2 ? 3 : 2));
const base = { L: 3, R: 1, target: 0.95, unitCost: 2.5, onHand: 4, onOrder: null };

describe('planRow and planLine', () => {
  it('order_up_to is the target quantile; safety stock, stock value and suggested order follow', () => {
    const r = planRow(key, history, [2.5, 2.5], base, pooled);
    expect(r.orderUpTo).toBe(r.q[3]); // 0.95
    expect(r.safetyStock).toBeCloseTo(r.orderUpTo - r.mean, 9);
    expect(r.stockValue).toBeCloseTo(r.orderUpTo * 2.5, 9);
    expect(r.suggestedOrder).toBe(Math.max(0, r.orderUpTo - 4));
    const withOrder = planRow(key, history, [2.5], { ...base, onOrder: 1000 }, pooled);
    expect(withOrder.suggestedOrder).toBe(0); // never negative
  });
  it('blank cost, stock value and suggested order where the inputs are missing; text fields quoted', () => {
    const r = planRow(key, history, [2.5], { ...base, unitCost: null, onHand: null }, pooled);
    const line = planLine(r);
    expect(line.endsWith('\n')).toBe(true);
    const cells = line.trimEnd().split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    expect(cells).toHaveLength(PLAN_COLUMNS.length);
    const at = (c: (typeof PLAN_COLUMNS)[number]) => cells[PLAN_COLUMNS.indexOf(c)];
    expect(at('site_code')).toBe('"S, 1"');
    expect([at('unit_cost'), at('stock_value'), at('on_hand'), at('on_order'), at('suggested_order')]).toEqual([
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(Number(at('order_up_to'))).toBe(r.orderUpTo);
  });
  it('a part never sold plans zero stock', () => {
    const r = planRow(key, new Array(30).fill(0), [0], base, pooled);
    expect([r.mean, r.orderUpTo, r.suggestedOrder]).toEqual([0, 0, 0]);
  });
});

describe('the plan through the real engine', () => {
  // two sites, 40 parts of steady daily demand (Poisson-like), a year
  const lines = ['demand_qty,date,partnumber,site_code'];
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  for (let d = 0; d < 365; d++) {
    const date = new Date(Date.UTC(2024, 0, 1) + d * 864e5).toISOString().slice(0, 10);
    for (let p = 0; p < 40; p++) if (rand() < 0.4) lines.push(`${1 + Math.floor(rand() * 3)},${date},P${p},S${p % 2}`);
  }
  const demand = join(dir, 'demand.csv');
  writeFileSync(demand, `${lines.join('\n')}\n`);
  const run = async (cfg: Record<string, unknown>, parts?: PartsSource) => {
    const config = jobConfigSchema.parse({ forecast_horizon: 7, ...cfg });
    const prep = await engine.loadDemand(demand, 'demand.csv', config, undefined, parts);
    const results = prep.partitions.map((p) =>
      engine.forecastPartition(p, prep.context, config, { progress() {}, shouldStop: () => false }),
    );
    const rows = results.flatMap((r) =>
      r
        .plan!.csv.trimEnd()
        .split('\n')
        .map((l) => l.split(',')),
    );
    const col = (c: (typeof PLAN_COLUMNS)[number]) => PLAN_COLUMNS.indexOf(c);
    return { prep, results, rows, col, metrics: engine.combineMetrics(results, prep.context, config, 1) };
  };
  it('P longer than the horizon: the forecast continues at its mean, quantiles grow with P', async () => {
    const short = await run({ lead_time_days: 2 });
    const long = await run({ lead_time_days: 59 }); // P = 60 periods, horizon 7
    expect(long.rows).toHaveLength(40);
    const m = (x: typeof short, i: number) => Number(x.rows[i][x.col('ltd_mean')]);
    expect(long.rows[0][long.col('lead_time_periods')]).toBe('59');
    for (let i = 0; i < 40; i++) expect(m(long, i)).toBeGreaterThan(10 * m(short, i));
    for (const r of long.rows) {
      const q = ['ltd_q50', 'ltd_q80', 'ltd_q90', 'ltd_q95', 'ltd_q99'].map((c) => Number(r[long.col(c as 'ltd_q50')]));
      expect(q).toEqual([...q].sort((a, b) => a - b));
      q.forEach((v) => expect(Number.isInteger(v)).toBe(true));
    }
    expect(long.metrics.inventory).toMatchObject({ series: 40, service_level: 0.95 });
    expect(long.metrics.inventory!.backtest_windows).toBeGreaterThan(0);
  });
  it('L = 0 plans the review period only; the parts file sets costs and stock per part and site', async () => {
    const partsPath = join(dir, 'parts.csv');
    writeFileSync(partsPath, 'partnumber,site_code,lead_time_days,unit_cost,on_hand\nP0,S0,0,10,0\nP1,,0,,\n');
    const r = await run({ review_periods: 1 }, { filePath: partsPath, originalName: 'parts.csv' });
    const p0 = r.rows.find((x) => x[0] === 'P0')!;
    expect(p0[r.col('lead_time_periods')]).toBe('0');
    expect(Number(p0[r.col('stock_value')])).toBe(10 * Number(p0[r.col('order_up_to')]));
    expect(p0[r.col('suggested_order')]).toBe(p0[r.col('order_up_to')]);
    expect(Number(p0[r.col('ltd_mean')])).toBeLessThan(3); // about one day of demand
    const other = r.rows.find((x) => x[0] === 'P2')!;
    expect(other[r.col('lead_time_periods')]).toBe('30'); // the default lead time
    expect(r.metrics.inventory!.by_site.S0).toMatchObject({ series: 20, costed_series: 1 });
    expect(r.prep.warnings.join(' ')).toMatch(/covers 2 of 40 series/);
  });
  it('a bad parts file fails the read with its message', async () => {
    const bad = join(dir, 'bad-parts.csv');
    writeFileSync(bad, 'partnumber,colour\nP0,red\n');
    await expect(run({}, { filePath: bad, originalName: 'bad-parts.csv' })).rejects.toMatchObject({
      code: 'MISSING_COLUMNS',
    });
  });
});
