/**
 * `npm run forecast -- --inventory`: the plan written next to the forecast, on real worker threads, through
 * its own temp file; a bad parts file leaves neither output behind.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLE = path.join(ROOT, 'server/assets/sample-demand.csv');
const dir = mkdtempSync(path.join(tmpdir(), 'sparecast-cli-inv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PLAN_HEADER =
  'partnumber,site_code,demand_class,lead_time_periods,review_periods,service_level,ltd_mean,ltd_q50,ltd_q80,' +
  'ltd_q90,ltd_q95,ltd_q99,order_up_to,safety_stock,unit_cost,stock_value,on_hand,on_order,suggested_order,' +
  'expected_fill_rate,expected_units_short,demand_chance,periods_since_demand,reorder_point,order_value,replaces,' +
  'system_ltd_mean,system_order_up_to,override_kind,override_reason';

async function forecast(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const cli = path.join(ROOT, 'server/cli/forecast.ts');
    const opts = { cwd: ROOT, encoding: 'utf8' as const };
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], opts);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('npm run forecast -- --inventory', () => {
  it('writes one plan row per series with the fixed columns, the parts file applied, no temp file', async () => {
    const out = path.join(dir, 'f.csv');
    const plan = path.join(dir, 'plan.csv');
    const forecastLines = () => readFileSync(out, 'utf8').trimEnd().split('\n').slice(1);
    const parts = path.join(dir, 'parts.csv');
    writeFileSync(parts, 'kode_part,lokasi,lead_time_hari,harga,stok\n0018040707,,8,2.5,1\nNOPE,,1,1,1\n');
    const r = await forecast(
      ...['--input', SAMPLE, '--output', out, '--horizon', '14', '--threads', '2'],
      ...['--inventory', plan, '--parts', parts, '--service-level', '90', '--review-periods', '2'],
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/inventory .*plan\.csv: \d+ rows, service level 90 %, stock value [\d.]+ /);
    expect(r.stdout).toMatch(/warning: Parts file: 1 rows name a part or site that is not forecast .*NOPE/);
    const lines = readFileSync(plan, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(PLAN_HEADER);
    const rows = lines.slice(1).map((l) => l.split(','));
    const series = new Set(forecastLines().map((l) => l.split(',').slice(1, 3).join(',')));
    expect(rows).toHaveLength(series.size);
    expect(new Set(rows.map((x) => `${x[0]},${x[1]}`))).toEqual(series);
    const col = (c: string) => PLAN_HEADER.split(',').indexOf(c);
    for (const x of rows) {
      expect(x[col('service_level')]).toBe('0.9');
      expect(x[col('review_periods')]).toBe('2');
      expect(Number(x[col('order_up_to')])).toBe(Number(x[col('ltd_q90')]));
    }
    const own = rows.filter((x) => x[0] === '0018040707');
    expect(own.length).toBeGreaterThan(0);
    for (const x of own) {
      expect(x[col('lead_time_periods')]).toBe('8');
      expect(Number(x[col('stock_value')])).toBeCloseTo(2.5 * Number(x[col('order_up_to')]), 3);
      expect(Number(x[col('suggested_order')])).toBe(Math.max(0, Number(x[col('order_up_to')]) - 1));
    }
    expect(rows.filter((x) => x[0] !== '0018040707').every((x) => x[col('lead_time_periods')] === '30')).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]); // nor the re-plan inputs' temp file
  }, 120_000);
  it("one mean: every plan row's ltd_mean is the forecast CSV's mean summed over P (past the horizon too)", async () => {
    const out = path.join(dir, 'one-mean.csv');
    const plan = path.join(dir, 'one-mean-plan.csv');
    const parts = path.join(dir, 'one-mean-parts.csv');
    // one part's P inside the 14-day horizon (5 + 1), the rest at the default 30 + 1 days, past it
    writeFileSync(parts, 'kode_part,lokasi,lead_time_hari\n0018040707,,5\n');
    const r = await forecast(
      ...['--input', SAMPLE, '--output', out, '--horizon', '14', '--threads', '2'],
      ...['--inventory', plan, '--parts', parts, '--review-periods', '1'],
    );
    expect(r.code, r.stderr).toBe(0);
    const fc = new Map<string, number[]>();
    const [head, ...body] = readFileSync(out, 'utf8').trimEnd().split('\n');
    const fcol = head.split(',');
    for (const l of body) {
      const x = l.split(',');
      const k = `${x[fcol.indexOf('partnumber')]},${x[fcol.indexOf('site_code')]}`;
      fc.set(k, [...(fc.get(k) ?? []), Number(x[fcol.indexOf('forecast_qty_raw_model')])]);
    }
    const col = (c: string) => PLAN_HEADER.split(',').indexOf(c);
    const rows = readFileSync(plan, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(rows.length).toBe(fc.size);
    let inside = 0;
    let positive = 0;
    for (const x of rows) {
      const f = fc.get(`${x[0]},${x[1]}`)!;
      const P = Number(x[col('lead_time_periods')]) + Number(x[col('review_periods')]);
      const all = f.reduce((a, b) => a + b, 0);
      const overP = f.slice(0, P).reduce((a, b) => a + b, 0) + (P > f.length ? ((P - f.length) * all) / f.length : 0);
      if (P <= f.length) inside++;
      const mean = Number(x[col('ltd_mean')]);
      if (mean > 0) positive++;
      // the CSV's means have 4 decimals; the goal's tolerance is 2 % + 0.05 units
      expect(Math.abs(mean - overP), `${x[0]}@${x[1]}: ${mean} vs ${overP}`).toBeLessThanOrEqual(
        0.001 * Math.max(mean, overP) + 0.005,
      );
    }
    expect(inside).toBeGreaterThan(0);
    expect(inside).toBeLessThan(rows.length);
    expect(positive).toBeGreaterThan(rows.length / 2);
  }, 120_000);
  it('a parts file without a needed column: exit 1 naming it, no forecast, plan or temp file', async () => {
    const parts = path.join(dir, 'bad-parts.csv');
    writeFileSync(parts, 'partnumber,colour\n0018040707,red\n');
    const out = path.join(dir, 'never.csv');
    const plan = path.join(dir, 'never-plan.csv');
    const r = await forecast('--input', SAMPLE, '--output', out, '--inventory', plan, '--parts', parts);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /MISSING_COLUMNS: The parts file "bad-parts.csv" is missing at least one of lead_time_days/,
    );
    expect(readdirSync(dir).filter((f) => f.startsWith('never') || f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(plan)).toBe(false);
  }, 60_000);
  it('--parts without --inventory is a usage error', async () => {
    const r = await forecast('--input', SAMPLE, '--output', path.join(dir, 'x.csv'), '--parts', 'p.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--parts needs --inventory/);
  });
  it('--plan off: the forecast alone, byte for byte the same forecast, no plan fitted; not with --inventory', async () => {
    const on = path.join(dir, 'on.csv'),
      off = path.join(dir, 'off.csv');
    const base = ['--input', SAMPLE, '--horizon', '14', '--threads', '2'];
    const a = await forecast(...base, '--output', on);
    const b = await forecast(...base, '--output', off, '--plan', 'off');
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout).toMatch(/note: Inventory plan fitted on backtest windows of \d+ sampled series/);
    expect(b.stdout).not.toMatch(/Inventory plan fitted/);
    expect(b.stdout).toMatch(/^peak RSS \d+ MB$/m);
    expect(readFileSync(off, 'utf8')).toBe(readFileSync(on, 'utf8'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const both = await forecast(...base, '--output', off, '--plan', 'off', '--inventory', path.join(dir, 'p.csv'));
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--plan off writes no plan/);
  }, 120_000);

  it('--transfers FILE: the excess of one site moves to the short one, its order reduced', async () => {
    const parts = path.join(dir, 'stock.csv');
    writeFileSync(
      parts,
      'partnumber,site_code,unit_cost,on_hand\n19247356901,IEL-ST-BPN,2,500\n19247356901,IEL-ST-KDI,2,0\n',
    );
    const [out, plan, moved] = ['tf.csv', 'tp.csv', 'tt.csv'].map((f) => path.join(dir, f));
    const r = await forecast(
      ...['--input', SAMPLE, '--output', out, '--horizon', '7', '--threads', '2'],
      ...['--inventory', plan, '--parts', parts, '--transfers', moved],
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(moved, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('partnumber,from_site,to_site,qty,value');
    expect(lines).toHaveLength(2);
    const [part, from, to, qty, value] = lines[1].split(',');
    expect([part, from, to]).toEqual(['19247356901', 'IEL-ST-BPN', 'IEL-ST-KDI']);
    expect(Number(value)).toBe(2 * Number(qty));
    const col = (c: string) => PLAN_HEADER.split(',').indexOf(c);
    const kdi = readFileSync(plan, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('19247356901,IEL-ST-KDI,'))!
      .split(',');
    expect(Number(kdi[col('suggested_order')])).toBe(Number(kdi[col('order_up_to')]) - Number(qty));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.includes('.transfers.'))).toEqual([]);
    const bad = await forecast('--input', SAMPLE, '--output', out, '--transfers', moved);
    expect(bad.code).toBe(2);
  }, 120_000);
});
